// Hostile command text never crashes the checks and is never executed: only parsed.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "flowrun/flow/command_checks.h"
#include "flowrun/flow/shell_syntax.h"
#include "test_flows.h"

namespace flowrun::flow {
namespace {

using testing::check;
using testing::flow_of;
using testing::unique_temp_path;

// Builds a flow directly (no YAML), so any byte can be in a command.
Flow raw_flow(const std::vector<std::string>& commands) {
  Flow flow;
  flow.display_path = "hostile.yaml";
  int line = 3;
  for (const auto& text : commands) {
    FlowCommand command;
    command.text = text;
    command.first_line = line;
    command.first_column = 5;
    command.is_block_scalar = true;
    flow.commands.push_back(command);
    line += text_line_count(text) + 1;
  }
  return flow;
}

TEST(HostileText, CommandsAreNeverExecuted) {
  const auto marker = unique_temp_path("flowrun-never-run");
  const std::string touch = "touch " + marker.string();
  const Flow flow = raw_flow({touch, "echo $(" + touch + ")", "x=`" + touch + "`", "cat <(" + touch + ")",
                              "if true; then " + touch + "; fi", touch + "\nfi",  // this one is a syntax error
                              "trap '" + touch + "' EXIT", "BASH_ENV=x " + touch});
  const auto found = check_commands({&flow}, {true}).at(0);
  EXPECT_FALSE(std::filesystem::exists(marker)) << "a command was executed";
  EXPECT_FALSE(testing::with_rule(found, "shell-syntax").empty());
  std::filesystem::remove(marker);
}

TEST(HostileText, QuotesSubstitutionsAndBrokenNesting) {
  const std::vector<std::string> nasty{"\"",
                                       "'",
                                       "`",
                                       "$(",
                                       "${",
                                       "$((",
                                       "$(echo \"$(echo '",
                                       "echo \"${x:-$(echo \"${y:-`z`}\")}\"",
                                       "<<",
                                       "cat <<",
                                       "cat <<EOF",
                                       ")",
                                       "}",
                                       "((",
                                       "[[",
                                       "echo \\",
                                       "\\",
                                       "$",
                                       "${!}",
                                       "${#}",
                                       "$'\\''",
                                       "a=(",
                                       "@(",
                                       "case x in",
                                       "echo $((1 + $(echo 2)))",
                                       "f() {",
                                       "<(",
                                       "2>&",
                                       "&>",
                                       "|&",
                                       ";;&",
                                       "echo ${x:=$(cat <<EOF\n$y\nEOF\n)}"};
  for (const auto& text : nasty) {
    const Flow flow = raw_flow({text});
    EXPECT_NO_THROW(check(flow)) << text;
    EXPECT_NO_THROW(scan_shell(text)) << text;
  }
}

TEST(HostileText, DeepNestingDoesNotExhaustTheStack) {
  std::string deep;
  for (int i = 0; i < 20000; ++i) deep += "$(";
  const auto scan = scan_shell(deep);
  EXPECT_TRUE(scan.commands.empty() || scan.commands.size() < 20000);
  std::string braces;
  for (int i = 0; i < 20000; ++i) braces += "\"${x:-";
  EXPECT_NO_THROW(scan_shell(braces));
}

TEST(HostileText, BinaryJunkAndVeryLongLines) {
  std::mt19937 random(12345);  // fixed seed: the same junk on every run
  std::vector<std::string> commands;
  for (int c = 0; c < 20; ++c) {
    std::string junk;
    for (int i = 0; i < 2000; ++i) {
      char byte = static_cast<char>(random() % 255 + 1);  // no NUL: a YAML string cannot hold one
      junk += byte;
    }
    commands.push_back(junk);
  }
  commands.push_back("echo " + std::string(300000, 'a') + " \"$LONG_VAR");
  commands.push_back(std::string(100000, '('));
  const Flow flow = raw_flow(commands);
  std::vector<Diagnostic> found;
  EXPECT_NO_THROW(found = check_commands({&flow}, {true}).at(0));
  for (const auto& diagnostic : found) {
    EXPECT_GE(diagnostic.position.line, 0);
    EXPECT_LT(diagnostic.message.size(), 2000u) << "a message quotes the text at length";
  }
}

TEST(HostileText, ManyFlowsWithJunkStayAttributed) {
  std::vector<Flow> flows;
  for (int i = 0; i < 30; ++i) flows.push_back(raw_flow({"echo ok", i % 2 == 0 ? "echo \"open" : "echo fine"}));
  std::vector<const Flow*> pointers;
  for (const auto& flow : flows) pointers.push_back(&flow);
  const auto results = check_commands(pointers, {false});
  for (std::size_t i = 0; i < flows.size(); ++i) {
    EXPECT_EQ(testing::with_rule(results[i], "shell-syntax").size(), i % 2 == 0 ? 1u : 0u) << i;
  }
}

}  // namespace
}  // namespace flowrun::flow
