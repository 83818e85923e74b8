#include "flowrun/exec/runner_script.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>

#include <array>
#include <string>

#include "flowrun/exec/command_markers.h"

namespace flowrun::exec {
namespace {

// Runs `script` with bash reading it on stdin, as GitLab Runner's Docker executor does; returns stdout.
std::string run_with_bash(const std::string& script, int* status = nullptr) {
  char path[] = "/tmp/flowrun-script-XXXXXX";
  const int fd = ::mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(::write(fd, script.data(), script.size()), static_cast<ssize_t>(script.size()));
  ::close(fd);
  FILE* pipe = ::popen(("bash < " + std::string(path) + " 2>&1").c_str(), "r");
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::size_t count = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), count);
  const int wait_status = ::pclose(pipe);
  if (status != nullptr) *status = WEXITSTATUS(wait_status);
  ::unlink(path);
  return output;
}

TEST(RunnerScript, IsGitLabRunnersScriptWithEveryCommandInOneEval) {
  const std::string script = build_runner_script({"echo hi", "false"}, ScriptOptions{false, ""});
  EXPECT_EQ(script.rfind("trap 'exit 1' TERM\nset -o pipefail\nset -o errexit\nset +o noclobber\n"
                         "(trap 'exit 1' TERM; eval $'",
                         0),
            0U)
      << script;
  EXPECT_NE(script.find("') < /dev/null\nexit 0\n"), std::string::npos) << script;
  EXPECT_EQ(runner_script_body({"echo hi", " false\r\n"}, ScriptOptions{false, ""}),
            "echo $'$ echo hi'\necho hi\necho $'$ false'\nfalse\n");
}

TEST(RunnerScript, EchoLinesAreRunnersBoldGreenWithColor) {
  int status = -1;
  const std::string output = run_with_bash(build_runner_script({"echo out"}, ScriptOptions{true, ""}), &status);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(output, "\x1b[32;1m$ echo out\x1b[0;m\nout\n");
}

TEST(RunnerScript, ABlankCommandIsAnEmptyEchoLine) {
  EXPECT_EQ(run_with_bash(build_runner_script({"  ", "echo x"}, ScriptOptions{false, ""})), "\n$ echo x\nx\n");
}

TEST(RunnerScript, CommandsAreOneTextSoAContinuationJoinsTheNextLine) {
  const std::string output = run_with_bash(build_runner_script({"echo a \\", "echo b"}, ScriptOptions{false, ""}));
  EXPECT_EQ(output, "$ echo a \\\na echo $ echo b\nb\n") << output;
}

TEST(RunnerScript, TheFailingStatusOfTheLastCommandIsTheScriptsEvenAfterSetPlusE) {
  int status = -1;
  run_with_bash(build_runner_script({"set +e", "false", "(exit 7)"}, ScriptOptions{false, ""}), &status);
  EXPECT_EQ(status, 7);
}

TEST(RunnerScript, AnsiCQuotingRoundTripsEveryByteButNul) {
  std::string all;
  for (int byte = 1; byte < 256; ++byte) all += static_cast<char>(byte);
  all += "a1f";  // hex digits right after an escape stay separate characters
  const std::string output = run_with_bash("printf %s " + ansi_c_quoted(all) + "\n");
  EXPECT_EQ(output, all);
}

TEST(RunnerTrim, RemovesGoUnicodeWhiteSpaceAtBothEnds) {
  EXPECT_EQ(runner_trim("  make\r\n"), "make");
  EXPECT_EQ(runner_trim("\t\v\f\r\n"), "");
  EXPECT_EQ(runner_trim("\xc2\xa0x y\xe3\x80\x80\xe2\x80\xa8"), "x y");  // NBSP, ideographic space, line separator
  EXPECT_EQ(runner_trim("cat <<EOF\nbody\nEOF   "), "cat <<EOF\nbody\nEOF");
  EXPECT_EQ(runner_trim("x\xc2"), "x\xc2") << "a cut UTF-8 sequence is not white space";
  EXPECT_EQ(runner_trim("\xe2\x80\x8bx"), "\xe2\x80\x8bx") << "a zero-width space is not white space in Go";
}

TEST(CommandText, EchoTextAndTitle) {
  EXPECT_EQ(command_echo_text("make test"), "$ make test");
  EXPECT_EQ(command_echo_text("for f in *; do\n  echo $f\ndone"), "$ for f in *; do # collapsed multi-line command");
  EXPECT_EQ(command_echo_text(" \n "), "");
  EXPECT_EQ(command_title("\n# install the agent\n\n  npm ci  \nnpm test"), "npm ci");
  EXPECT_EQ(command_title("# only a comment"), "# only a comment");
}

TEST(RunnerScript, MarkersBecomeInvisibleEscapeSequencesCarryingThePreviousStatus) {
  const std::string nonce = "0123456789abcdef";
  const std::string output =
      run_with_bash(build_runner_script({"set +e", "(exit 4)", "true"}, ScriptOptions{false, nonce}));
  const std::string prefix = "\x1b_flowrun:" + nonce + ":";
  EXPECT_EQ(output, prefix + "0:0\x1b\\$ set +e\n" + prefix + "1:0\x1b\\$ (exit 4)\n" + prefix + "2:4\x1b\\$ true\n");
}

}  // namespace
}  // namespace flowrun::exec
