// run_checker(): how the syntax check and shellcheck run their programs, without a shell and with a time limit.
#include <gtest/gtest.h>

#include "flowrun/flow/shell_syntax.h"

namespace flowrun::flow {
namespace {

using namespace std::chrono_literals;

std::string program(const char* name) {
  const auto path = find_on_path(name);
  return path ? *path : std::string("/bin/") + name;
}

TEST(CheckerProcess, PassesInputAndCollectsOutputAndExitCode) {
  const auto run = run_checker(program("bash"), {"-c", "cat; echo to-err >&2; exit 3"}, "some input\n", 10s);
  ASSERT_TRUE(run.started) << run.failure;
  EXPECT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "some input\n");
  EXPECT_EQ(run.err, "to-err\n");
}

TEST(CheckerProcess, LargeInputAndOutputDoNotDeadlock) {
  const std::string input(4 * 1024 * 1024, 'x');
  const auto run = run_checker(program("cat"), {}, input, 20s);
  ASSERT_TRUE(run.started) << run.failure;
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out.size(), input.size());
}

TEST(CheckerProcess, TheEnvironmentIsClean) {
  const auto run = run_checker(program("bash"), {"-c", "env"}, "", 10s);
  ASSERT_TRUE(run.started) << run.failure;
  EXPECT_NE(run.out.find("LC_ALL=C"), std::string::npos);
  EXPECT_EQ(run.out.find("HOME="), std::string::npos);
  EXPECT_EQ(run.out.find("BASH_ENV="), std::string::npos);
}

TEST(CheckerProcess, AHungChildIsKilledAtTheTimeLimit) {
  const auto start = std::chrono::steady_clock::now();
  const auto run = run_checker(program("bash"), {"-c", "while :; do :; done"}, "", 200ms);
  EXPECT_TRUE(run.started);
  EXPECT_TRUE(run.timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(CheckerProcess, AMissingProgramIsReportedNotThrown) {
  const auto run = run_checker("/nonexistent/flowrun-no-such-program", {}, "x", 1s);
  EXPECT_FALSE(run.started);
  EXPECT_NE(run.failure.find("/nonexistent/flowrun-no-such-program"), std::string::npos);
}

TEST(CheckerProcess, AChildThatIgnoresItsInputIsFine) {
  const auto run = run_checker(program("bash"), {"-c", "exit 0"}, std::string(1024 * 1024, 'y'), 10s);
  ASSERT_TRUE(run.started);
  EXPECT_EQ(run.exit_code, 0);
}

TEST(CheckerProcess, FindsProgramsOnPath) {
  const auto bash = find_on_path("bash");
  ASSERT_TRUE(bash.has_value());
  EXPECT_EQ(bash->front(), '/');
  EXPECT_FALSE(find_on_path("flowrun-no-such-program-anywhere").has_value());
}

}  // namespace
}  // namespace flowrun::flow
