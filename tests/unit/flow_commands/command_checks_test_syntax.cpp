// shell-syntax: bash -n's verdict on each command and on all of them as one script, at file positions.
#include <gtest/gtest.h>

#include "test_flows.h"

namespace flowrun::flow {
namespace {

using testing::check;
using testing::describe;
using testing::flow_from_yaml;
using testing::flow_of;
using testing::places;
using testing::with_rule;

TEST(ShellSyntax, ValidCommandsGiveNoFinding) {
  const Flow flow = flow_of({"echo hi", "if true; then\n  echo yes\nfi", "for f in *; do echo \"$f\"; done",
                             "ls @(a|b) || true", "cat <<EOF\nbody\nEOF"});
  EXPECT_TRUE(with_rule(check(flow), "shell-syntax").empty()) << describe(check(flow));
}

TEST(ShellSyntax, UnexpectedTokenOnALaterLineOfABlock) {
  // Line 3 is `commands:` + `- |`, the text starts on line 4 at column 5.
  const Flow flow =
      flow_from_yaml("image: x\ncommands:\n  - |\n    if true; then\n      echo a\n    done\n  - echo fine\n");
  const auto found = with_rule(check(flow), "shell-syntax");
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_EQ(found[0].severity, Severity::error);
  EXPECT_EQ(places(found), (std::vector<std::string>{"6:5"}));
  EXPECT_NE(found[0].message.find("syntax error near unexpected token `done'"), std::string::npos);
  EXPECT_NE(found[0].message.find("bash cannot parse this command"), std::string::npos);
  EXPECT_EQ(found[0].message.find("/dev/stdin"), std::string::npos);
}

TEST(ShellSyntax, UnclosedQuotePointsAtTheQuote) {
  const Flow flow =
      flow_from_yaml("commands:\n  - echo ok\n  - |\n    echo start\n    echo \"never closed\n    more\n");
  const auto found = with_rule(check(flow), "shell-syntax");
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_EQ(places(found), (std::vector<std::string>{"5:10"}));
  EXPECT_NE(found[0].message.find("unexpected EOF while looking for matching"), std::string::npos);
  EXPECT_NE(found[0].message.find("Close the quote"), std::string::npos);
}

TEST(ShellSyntax, UnclosedBlockInOneEntryIsReportedEvenIfTheNextEntryClosesIt) {
  // Together the entries parse, as GitLab Runner joins them (with its echo line in the `then` body): each is a
  // warning, not an error.
  const Flow flow = flow_of({"if true; then", "fi"});
  const auto found = with_rule(check(flow), "shell-syntax");
  ASSERT_EQ(found.size(), 2u) << describe(found);
  EXPECT_NE(found[0].message.find("unexpected end of file"), std::string::npos);
  EXPECT_NE(found[1].message.find("unexpected token `fi'"), std::string::npos);
  for (const auto& finding : found) {
    EXPECT_EQ(finding.severity, Severity::warning) << describe(found);
    EXPECT_NE(finding.message.find("joins the commands into one script text"), std::string::npos);
  }
}

TEST(ShellSyntax, APipeOrContinuationIntoTheNextCommandIsNoError) {
  const Flow flow = flow_of({"echo one |", "tr a-z A-Z", "echo a \\", "echo b"});
  for (const auto& finding : with_rule(check(flow), "shell-syntax")) EXPECT_NE(finding.severity, Severity::error);
}

TEST(ShellSyntax, TextRunnerTrimsAwayIsNotHeldAgainstTheCommand) {
  const Flow flow = flow_of({"cat <<EOF\nbody\nEOF   ", "echo crlf\r", "  \n  echo indented  \n"});
  EXPECT_TRUE(with_rule(check(flow), "shell-syntax").empty()) << describe(check(flow));
}

TEST(ShellSyntax, AScriptThatDoesNotParseEvenJoinedIsAnError) {
  const Flow flow = flow_of({"if true; then", "echo never closed"});
  const auto found = with_rule(check(flow), "shell-syntax");
  ASSERT_FALSE(found.empty());
  for (const auto& finding : found) EXPECT_EQ(finding.severity, Severity::error) << describe(found);
}

TEST(ShellSyntax, QuotesLeftOpenInTwoEntriesDoNotHideEachOther) {
  const Flow flow = flow_of({"echo \"one", "echo two\""});
  const auto found = with_rule(check(flow), "shell-syntax");
  EXPECT_EQ(found.size(), 2u) << describe(found);
}

TEST(ShellSyntax, ExtglobPatternsParse) {
  const Flow flow = flow_of({"rm -f !(keep).txt", "case x in +([0-9])) echo n;; esac"});
  EXPECT_TRUE(with_rule(check(flow), "shell-syntax").empty()) << describe(check(flow));
}

TEST(ShellSyntax, UnterminatedHereDocumentIsAnError) {
  const Flow flow = flow_from_yaml("commands:\n  - |\n    cat <<EOF\n    body\n  - echo after\n");
  const auto found = with_rule(check(flow), "shell-syntax");
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_EQ(places(found), (std::vector<std::string>{"3:9"}));
  EXPECT_NE(found[0].message.find("never ends: no line holds only `EOF`"), std::string::npos);
}

TEST(ShellSyntax, ATrailingBackslashContinuesIntoRunnersEchoLineNotIntoTheNextCommand) {
  // In GitLab Runner's script the echo line of the `if` comes between the two: `echo a \` joins that line, and the
  // `if` starts a line of its own. So this runs.
  const Flow flow = flow_from_yaml("commands:\n  - echo a \\\n  - |\n    if true; then\n      echo b\n    fi\n");
  EXPECT_TRUE(with_rule(check(flow), "shell-syntax").empty()) << describe(check(flow));
}

TEST(ShellSyntax, ACommandThatFailsAloneAndJoinedIsAnError) {
  // The second entry fails alone, and joining the commands does not help: the `fi` closes nothing.
  const Flow flow = flow_from_yaml("commands:\n  - echo a\n  - |\n    echo b\n    fi\n");
  const auto found = with_rule(check(flow), "shell-syntax");
  ASSERT_GE(found.size(), 1u) << describe(found);
  EXPECT_EQ(found.back().severity, Severity::error);
}

TEST(ShellSyntax, ErrorsInManyFlowsAreAllFoundAndAttributed) {
  std::vector<Flow> flows;
  for (int i = 0; i < 40; ++i) {
    if (i % 7 == 3) {
      flows.push_back(flow_of({"echo " + std::to_string(i), "echo broken )", "echo after"}));
    } else {
      flows.push_back(flow_of({"echo " + std::to_string(i), "if true; then echo ok; fi"}));
    }
  }
  std::vector<const Flow*> pointers;
  for (const auto& flow : flows) pointers.push_back(&flow);
  const auto results = check_commands(pointers, {false});
  ASSERT_EQ(results.size(), flows.size());
  for (std::size_t i = 0; i < flows.size(); ++i) {
    const auto found = with_rule(results[i], "shell-syntax");
    if (i % 7 == 3) {
      ASSERT_EQ(found.size(), 1u) << i << "\n" << describe(found);
      // The second command's text starts on line 6 of flow_of's YAML (its `- |` is on line 5).
      EXPECT_EQ(places(found), (std::vector<std::string>{"6:5"})) << i;
    } else {
      EXPECT_TRUE(found.empty()) << i << "\n" << describe(found);
    }
  }
}

TEST(ShellSyntax, EmptyFlowListAndFlowsWithoutCommands) {
  EXPECT_TRUE(check_commands({}, {false}).empty());
  Flow empty;
  const auto results = check_commands({&empty, nullptr}, {false});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0].empty());
  EXPECT_TRUE(results[1].empty());
}

}  // namespace
}  // namespace flowrun::flow
