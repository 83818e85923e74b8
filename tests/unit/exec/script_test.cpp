#include "flowrun/exec/script.h"

#include <gtest/gtest.h>

namespace flowrun::exec {
namespace {

TEST(Script, StartsWithTheGitLabRunnerPrelude) {
  const std::string script = build_script({"true"}, false, 3, 4);
  EXPECT_NE(script.find("trap exit 1 TERM\nset -o pipefail\nset -o errexit\nset +o noclobber\n"), std::string::npos);
  EXPECT_NE(script.find("exec 4<&-\n"), std::string::npos) << "the script's own descriptor is closed";
  EXPECT_LT(script.find("set +o noclobber"), script.find("eval"));
}

TEST(Script, LeavesTheScriptDescriptorAloneWhenThereIsNone) {
  EXPECT_EQ(build_script({"true"}, false, 3).find("<&-"), std::string::npos);
}

TEST(Script, RunsEachCommandThroughEvalWithTheStatusChannelClosed) {
  const std::string script = build_script({"echo 'it'\"s\"", "make"}, false, 7, -1);
  EXPECT_NE(script.find(R"({ eval 'echo '\''it'\''"s"'; } 7>&-)"), std::string::npos) << script;
  EXPECT_NE(script.find("{ eval 'make'; } 7>&-"), std::string::npos);
}

TEST(Script, ReportsStartAndFinishOnTheStatusChannelInOrder) {
  const std::string script = build_script({"a", "b"}, false, 3, -1);
  const auto start0 = script.find("builtin printf 'S %d\\n' 0 >&3; builtin read -r -u 3 flowrun_go_ahead;");
  const auto run0 = script.find("{ eval 'a'; }");
  const auto finish0 = script.find("builtin printf 'F %d\\n' 0 >&3;");
  const auto start1 = script.find("builtin printf 'S %d\\n' 1 >&3;");
  ASSERT_NE(start0, std::string::npos) << script;
  ASSERT_NE(run0, std::string::npos);
  ASSERT_NE(finish0, std::string::npos);
  ASSERT_NE(start1, std::string::npos);
  EXPECT_LT(start0, run0);
  EXPECT_LT(run0, finish0);
  EXPECT_LT(finish0, start1);
}

TEST(Script, EchoLinesAreGreenOnlyWithColor) {
  EXPECT_NE(build_script({"ls"}, true, 3).find(R"({ builtin printf '\033[32;1m%s\033[0;m\n' '$ ls'; } 2>/dev/null)"),
            std::string::npos);
  EXPECT_NE(build_script({"ls"}, false, 3).find(R"({ builtin printf '%s\n' '$ ls'; } 2>/dev/null)"), std::string::npos);
}

TEST(Script, CommandTextIsNeverOutsideSingleQuotes) {
  const std::string hostile = "echo $(touch x) `id` '; rm -rf ~; '";
  const std::string script = build_script({hostile}, false, 3);
  EXPECT_NE(script.find("eval " + single_quoted(hostile) + ";"), std::string::npos);
  EXPECT_NE(script.find("'" + std::string("$ echo $(touch x) `id` ") + R"('\''; rm -rf ~; '\''')"), std::string::npos)
      << script;
}

TEST(SingleQuoted, EscapesOnlySingleQuotes) {
  EXPECT_EQ(single_quoted(""), "''");
  EXPECT_EQ(single_quoted("plain $HOME \"x\" \\n"), "'plain $HOME \"x\" \\n'");
  EXPECT_EQ(single_quoted("it's"), R"('it'\''s')");
  EXPECT_EQ(single_quoted("a\nb"), "'a\nb'");
}

TEST(CommandEcho, ShowsTheFirstLineLikeGitLabRunner) {
  EXPECT_EQ(command_echo_text("make test"), "$ make test");
  EXPECT_EQ(command_echo_text("  make test \n"), "$ make test");
  EXPECT_EQ(command_echo_text("for f in *; do\n  echo $f\ndone\n"), "$ for f in *; do # collapsed multi-line command");
  EXPECT_EQ(command_echo_text(" \n "), "");
  EXPECT_EQ(command_first_line("\n  cd src\n  make\n"), "cd src");
}

TEST(Script, BlankCommandShowsAnEmptyLine) {
  const std::string script = build_script({"  "}, true, 3);
  EXPECT_NE(script.find("{ builtin printf '\\n'; } 2>/dev/null\n"), std::string::npos) << script;
}

}  // namespace
}  // namespace flowrun::exec
