// AI_FLOW_* values come from whoever wrote the issue or comment: they must reach the commands as data only.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "flowrun/exec/shell_session.h"
#include "session_test_support.h"

namespace flowrun::exec {
namespace {

using testing::read_file;
using testing::run_captured;
using testing::session_options;
using testing::TempDir;

std::vector<std::string> hostile_values(const std::string& marker) {
  const std::string touch = "touch " + marker;
  std::vector<std::string> values = {
      "$(" + touch + ")",
      "`" + touch + "`",
      "'; " + touch + "; '",
      "\"; " + touch + "; \"",
      "\"$(" + touch + ")\"",
      "'$(" + touch + ")'",
      "$(" + touch + ")\n",
      "\n" + touch + "\n",
      "line1\nline2\n$(" + touch + ")",
      "\\$(" + touch + ")",
      "\\`" + touch + "\\`",
      "${IFS}" + touch,
      "$({IFS}" + touch + ")",
      ";" + touch,
      ";rm -rf ~;" + touch,
      "&& " + touch,
      "|| " + touch,
      "| " + touch,
      "& " + touch + " &",
      "> " + marker,
      ">> " + marker,
      "< /etc/passwd > " + marker,
      "$((1+1))$(" + touch + ")",
      "${PATH:0:1}$(" + touch + ")",
      "${x:=$(" + touch + ")}",
      "$'\\x24(" + touch + ")'",
      "!!" + touch,
      "!-1 " + touch,
      "{a,b}$(" + touch + ")",
      "*",
      "/*",
      "~root",
      "-n",
      "-e \\x41",
      "--help",
      "%s%s%s%n",
      "\x1b[31mred\x1b[0m\x1b]0;title\x07",
      "\x1b[2J\x1b[H$(" + touch + ")",
      "\r$(" + touch + ")\r",
      "\t\v\f",
      "'",
      "\"",
      "\\",
      "`",
      "$",
      "$(",
      "${",
      "'\"'\"'",
      "\"'\"'\"",
      "eval " + touch,
      "exec " + touch,
      "source /dev/stdin",
      "$(<" + marker + ")",
      "<(" + touch + ")",
      ">(" + touch + ")",
      "$[$(" + touch + ")]",
      "a=b " + touch,
      "() { :; }; " + touch,  // shellshock's shape
      "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 unicode $(" + touch + ")",
      "\xff\xfe invalid utf-8 $(" + touch + ")",
      "",
      " ",
      std::string(64 * 1024, 'A') + "$(" + touch + ")",
  };
  return values;
}

TEST(HostileInput, AiFlowValuesNeverRunAndArriveByteExact) {
  TempDir dir;
  const std::string marker = (dir.path() / "pwned").string();
  const auto values = hostile_values(marker);
  ASSERT_GE(values.size(), 50U);
  for (std::size_t i = 0; i < values.size(); ++i) {
    SCOPED_TRACE("value " + std::to_string(i));
    auto options =
        session_options(dir.path(), {
                                        "echo \"$AI_FLOW_INPUT\"",
                                        "printf '%s' \"$AI_FLOW_INPUT\" > input.out",
                                        "printf '%s' \"$AI_FLOW_CONTEXT\" > context.out",
                                        "printf '%s' \"$AI_FLOW_EVENT\" > event.out",
                                        "printf '%s' $AI_FLOW_CONTEXT; printf '%s' $AI_FLOW_EVENT $AI_FLOW_INPUT; echo",
                                        "echo $AI_FLOW_INPUT | cat",
                                        "test -n \"$AI_FLOW_EVENT\" || true",
                                    });
    options.environment["AI_FLOW_INPUT"] = values[i];
    options.environment["AI_FLOW_CONTEXT"] = values[i];
    options.environment["AI_FLOW_EVENT"] = values[i];
    const auto run = run_captured(options);
    EXPECT_EQ(run.result.outcome, SessionOutcome::succeeded) << run.result.error << "\n" << run.output.substr(0, 2000);
    EXPECT_FALSE(std::filesystem::exists(marker)) << "the value was run as a command";
    EXPECT_EQ(read_file(dir.path() / "input.out"), values[i]);
    EXPECT_EQ(read_file(dir.path() / "context.out"), values[i]);
    EXPECT_EQ(read_file(dir.path() / "event.out"), values[i]);
    const bool echo_option = values[i] == "-n";  // echo "-n" prints nothing: an option, not an injection
    if (!echo_option) {
      EXPECT_NE(run.output.find("<start 0>$ echo \"$AI_FLOW_INPUT\"\n" + values[i] + "\n<start 1>"), std::string::npos);
    }
    std::filesystem::remove(marker);
  }
}

}  // namespace
}  // namespace flowrun::exec
