// Real bash sessions: GitLab Runner semantics, echo lines, command markers, stdin, descriptors, output.
#include "flowrun/exec/shell_session.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "session_test_support.h"

namespace flowrun::exec {
namespace {

using testing::read_file;
using testing::run_captured;
using testing::session_options;
using testing::TempDir;

// A line of /proc/self/status in KiB, or -1.
long memory_kib(const std::string& field) {
  std::istringstream status(read_file("/proc/self/status"));
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(field.size()));
  }
  return -1;
}

// Starts VmHWM (peak resident memory) afresh from the current resident size.
void reset_peak_memory() {
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";
}

TEST(ShellSession, OneShellCarriesExportsDirectoriesFunctionsAndVariables) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "sub");
  const auto run =
      run_captured(session_options(dir.path(), {
                                                   "export GREETING=hello",
                                                   "cd sub",
                                                   "shout() { echo \"$1!\"; }",
                                                   "count=41",
                                                   "shout \"$GREETING $((count + 1)) $(basename \"$PWD\")\"",
                                               }));
  EXPECT_EQ(run.result.outcome, SessionOutcome::succeeded) << run.result.error;
  EXPECT_NE(run.output.find("\nhello 42 sub!\n"), std::string::npos) << run.output;
  for (const CommandResult& command : run.result.commands) EXPECT_EQ(command.state, CommandState::succeeded);
}

TEST(ShellSession, EchoLinesAndOutputAreExactBytesInOrder) {
  TempDir dir;
  auto options =
      session_options(dir.path(), {"echo one", "printf 'two\\n' >&2", "echo 'it'\\''s' \"$HOME\" | tr a-z A-Z"});
  const auto plain = run_captured(options);
  EXPECT_EQ(
      plain.output,
      "<start 0>$ echo one\none\n"
      "<start 1>$ printf 'two\\n' >&2\ntwo\n"
      "<start 2>$ echo 'it'\\''s' \"$HOME\" | tr a-z A-Z\nIT'S " +
          [&] {
            std::string upper = dir.path().string();
            for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            return upper;
          }() +
          "\n");

  options.commands = {"echo one"};
  options.color = true;
  EXPECT_EQ(run_captured(options).output, "<start 0>\x1b[32;1m$ echo one\x1b[0;m\none\n");
}

TEST(ShellSession, MultiLineCommandsRunWholeAndShowTheirFirstLine) {
  TempDir dir;
  const auto run =
      run_captured(session_options(dir.path(), {
                                                   "printf 'a\\nb\\nc\\n' |\n  grep -v b |\n  tr a-z A-Z\n",
                                                   "for i in 1 2; do\n  echo \"item $i\"\ndone",
                                                   "first=$LINENO\nsecond=$LINENO\necho $((second - first))",
                                               }));
  EXPECT_EQ(run.result.outcome, SessionOutcome::succeeded) << run.result.error;
  EXPECT_EQ(run.output,
            "<start 0>$ printf 'a\\nb\\nc\\n' | # collapsed multi-line command\nA\nC\n"
            "<start 1>$ for i in 1 2; do # collapsed multi-line command\nitem 1\nitem 2\n"
            "<start 2>$ first=$LINENO # collapsed multi-line command\n1\n")
      << "the command's lines stay lines";
  EXPECT_EQ(run.result.commands[1].first_line, "for i in 1 2; do");
}

TEST(ShellSession, TracingShowsWhatRunnersScriptShowsWithoutTheMarkers) {
  TempDir dir;
  const auto run = run_captured(session_options(dir.path(), {"set -x", "echo hi"}));
  EXPECT_EQ(run.result.outcome, SessionOutcome::succeeded) << run.result.error;
  // As in a GitLab job: bash traces the echo line too. Its marker is taken out (the first sight of it starts the
  // command; the echo's own copy is a repeat).
  EXPECT_EQ(run.output, "<start 0>$ set -x\n++ echo '<start 1>$ echo hi'\n$ echo hi\n++ echo hi\nhi\n");
}

TEST(ShellSession, StopsAtTheFirstFailureWithItsExitCode) {
  TempDir dir;
  const auto run = run_captured(session_options(dir.path(), {"echo before", "exit 3", "echo after"}));
  EXPECT_EQ(run.result.outcome, SessionOutcome::command_failed);
  ASSERT_EQ(run.result.failed_index, 1U);
  EXPECT_EQ(run.result.shell_exit_code, 3);
  EXPECT_EQ(run.result.commands[0].state, CommandState::succeeded);
  EXPECT_EQ(run.result.commands[1].state, CommandState::failed);
  EXPECT_EQ(run.result.commands[1].exit_code, 3);
  EXPECT_EQ(run.result.commands[2].state, CommandState::not_run);
  EXPECT_EQ(run.output.find("after"), std::string::npos) << run.output;
}

TEST(ShellSession, PipefailAndErrexitApplyInsideACommand) {
  TempDir dir;
  const auto pipe = run_captured(session_options(dir.path(), {"false | true", "echo unreachable"}));
  EXPECT_EQ(pipe.result.outcome, SessionOutcome::command_failed);
  EXPECT_EQ(pipe.result.failed_index, 0U);
  EXPECT_EQ(pipe.result.commands[0].exit_code, 1);

  const auto errexit = run_captured(session_options(dir.path(), {"echo first; false; echo not-this", "true"}));
  EXPECT_EQ(errexit.result.failed_index, 0U);
  EXPECT_NE(errexit.output.find("first\n"), std::string::npos);
  EXPECT_EQ(errexit.output.find("\nnot-this"), std::string::npos) << errexit.output;
  EXPECT_EQ(errexit.result.commands[1].state, CommandState::not_run);
}

TEST(ShellSession, ExitZeroEndsTheSessionSuccessfully) {
  TempDir dir;
  const auto run = run_captured(session_options(dir.path(), {"echo a", "exit 0", "echo c"}));
  EXPECT_EQ(run.result.outcome, SessionOutcome::succeeded);
  EXPECT_TRUE(run.result.shell_exited_early);
  EXPECT_EQ(run.result.commands[1].state, CommandState::succeeded);
  EXPECT_EQ(run.result.commands[2].state, CommandState::not_run);
}

TEST(ShellSession, MarkersCannotBeForgedByOutputAndNoChannelIsOpenInTheCommands) {
  TempDir dir;
  const std::string forged = "\\x1b_flowrun:0123456789abcdef:3:0\\x1b\\\\";
  const auto run = run_captured(
      session_options(dir.path(), {
                                      "printf '" + forged + "'; printf '" + forged + "' >&2",
                                      "echo x >&3 || echo \"no fd 3 in the shell\"",
                                      "shell=$BASHPID; ls /proc/$shell/fd > fds.txt; tr '\\n' ' ' < fds.txt; echo",
                                      "exit 5",
                                  }));
  EXPECT_EQ(run.result.outcome, SessionOutcome::command_failed);
  ASSERT_EQ(run.result.failed_index, 3U) << run.output;
  EXPECT_EQ(run.result.commands[3].exit_code, 5);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(run.result.commands[i].state, CommandState::succeeded);
  EXPECT_NE(run.output.find("\x1b_flowrun:0123456789abcdef:3:0\x1b\\\x1b_flowrun:0123456789abcdef:3:0\x1b\\"),
            std::string::npos)
      << "a lookalike without the run's nonce is output like any other";
  EXPECT_NE(run.output.find("no fd 3 in the shell"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("\n0 1 2 \n"), std::string::npos) << "the shell of the commands has stdin, stdout, stderr\n"
                                                              << run.output;
  EXPECT_NE(run.output.find("<start 3>$ exit 5"), std::string::npos);
}

TEST(ShellSession, ADescriptorOpenedByOneCommandServesTheNext) {
  TempDir dir;
  const auto run = run_captured(session_options(dir.path(), {"exec 3>out.txt", "echo to-three >&3", "exec 3>&-"}));
  EXPECT_EQ(run.result.outcome, SessionOutcome::succeeded) << run.output;
  EXPECT_EQ(read_file(dir.path() / "out.txt"), "to-three\n");
}

TEST(ShellSession, AFailingLastCommandAfterSetPlusEFailsAsInRunner) {
  TempDir dir;
  const auto run = run_captured(session_options(dir.path(), {"set +e", "false", "(exit 6)"}));
  EXPECT_EQ(run.result.outcome, SessionOutcome::command_failed) << run.output;
  EXPECT_EQ(run.result.failed_index, 2U);
  EXPECT_EQ(run.result.commands[1].state, CommandState::failed_ignored);
  EXPECT_EQ(run.result.commands[1].exit_code, 1);
  EXPECT_EQ(run.result.commands[2].exit_code, 6);
}

TEST(ShellSession, AnExitTrapDecidesTheStatusAndTheLastCommandSeenCarriesIt) {
  TempDir dir;
  const auto run = run_captured(session_options(dir.path(), {"trap 'exit 3' EXIT", "echo done"}));
  EXPECT_EQ(run.result.outcome, SessionOutcome::command_failed) << run.output;
  EXPECT_EQ(run.result.shell_exit_code, 3);
  EXPECT_EQ(run.result.last_seen_index, 1U);
  EXPECT_EQ(run.result.failed_index, 1U);
}

TEST(ShellSession, TermSentToTheShellFailsTheJobWithOneAsRunnersTrapSays) {
  TempDir dir;
  const auto run = run_captured(session_options(dir.path(), {"kill -TERM $$", "echo still-runs"}));
  EXPECT_EQ(run.result.shell_exit_code, 1) << run.output;
  EXPECT_EQ(run.result.outcome, SessionOutcome::command_failed);
}

TEST(ShellSession, StdinIsEmpty) {
  TempDir dir;
  const auto run =
      run_captured(session_options(dir.path(), {
                                                   "if read -r line; then echo \"got $line\"; else echo eof; fi",
                                                   "cat; echo cat-done",
                                                   "wc -c </dev/stdin",
                                               }));
  EXPECT_EQ(run.result.outcome, SessionOutcome::succeeded) << run.output;
  EXPECT_NE(run.output.find("\neof\n"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("\ncat-done\n"), std::string::npos);
  EXPECT_NE(run.output.find("\n0\n"), std::string::npos);
}

TEST(ShellSession, TheEnvironmentIsExactlyTheGivenOne) {
  TempDir dir;
  ::setenv("FLOWRUN_EXEC_TEST_LEAK", "leaked", 1);
  auto options = session_options(dir.path(), {"echo \"leak=${FLOWRUN_EXEC_TEST_LEAK-unset} mine=$MINE\"", "pwd"});
  options.environment["MINE"] = "a value with spaces";
  const auto run = run_captured(options);
  ::unsetenv("FLOWRUN_EXEC_TEST_LEAK");
  EXPECT_NE(run.output.find("\nleak=unset mine=a value with spaces\n"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("\n" + dir.path().string() + "\n"), std::string::npos) << run.output;
}

TEST(ShellSession, CommandsInheritNoDescriptorsOfFlowrun) {
  TempDir dir;
  const auto leaked_path = dir.path() / "flowrun-private-file";
  const int leaked = ::open(leaked_path.c_str(), O_WRONLY | O_CREAT, 0600);  // deliberately without O_CLOEXEC
  ASSERT_GE(leaked, 0);
  const auto run = run_captured(session_options(dir.path(), {"ls -l /proc/$$/fd/ > shell-fds; ls -l /proc/self/fd/"}));
  ::close(leaked);
  EXPECT_EQ(run.result.outcome, SessionOutcome::succeeded) << run.output;
  // A command's process has stdin, the output pipe twice, and the descriptor ls opened itself for /proc/self/fd.
  EXPECT_EQ(run.output.find("flowrun-private-file"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("socket:"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("memfd:"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find(" 0 -> /dev/null\n"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find(" 4 -> "), std::string::npos) << run.output;
  // The outer bash has its script on stdin and the output: nothing else.
  const std::string shell_fds = read_file(dir.path() / "shell-fds");
  EXPECT_EQ(shell_fds.find("flowrun-private-file"), std::string::npos) << shell_fds;
  EXPECT_EQ(shell_fds.find(" 3 -> "), std::string::npos) << shell_fds;
  EXPECT_EQ(shell_fds.find(" 4 -> "), std::string::npos) << shell_fds;
}

TEST(ShellSession, APartialLineArrivesWhileItsCommandStillRuns) {
  TempDir dir;
  CancellationToken cancel;
  auto options = session_options(dir.path(), {"printf abc; sleep 100"});
  std::string output;
  std::string seen_when_cancelling;
  options.on_output = [&](std::string_view bytes) {
    output.append(bytes);
    if (output.find("$ printf abc; sleep 100\nabc") != std::string::npos && !cancel.cancelled()) {
      seen_when_cancelling = output;
      cancel.cancel();  // the command can only be running: it never finishes by itself
    }
  };
  const SessionResult result = run_session(options, cancel);
  EXPECT_EQ(result.outcome, SessionOutcome::cancelled);
  EXPECT_EQ(result.commands[0].state, CommandState::interrupted);
  EXPECT_EQ(seen_when_cancelling, "$ printf abc; sleep 100\nabc");
}

TEST(ShellSession, FiftyMegabytesArriveCompletelyInBoundedPieces) {
  TempDir dir;
  auto options = session_options(dir.path(), {"head -c 50000000 /dev/zero | tr '\\0' 'x'; echo; echo end"});
  std::size_t total = 0;
  std::size_t largest_piece = 0;
  std::string tail;
  options.on_output = [&](std::string_view bytes) {
    total += bytes.size();
    largest_piece = std::max(largest_piece, bytes.size());
    tail.append(bytes.substr(bytes.size() > 16 ? bytes.size() - 16 : 0));
    if (tail.size() > 16) tail.erase(0, tail.size() - 16);
  };
  CancellationToken never;
  const long resident_before = memory_kib("VmRSS:");
  reset_peak_memory();
  const SessionResult result = run_session(options, never);
  const long peak_during = memory_kib("VmHWM:");
  EXPECT_EQ(result.outcome, SessionOutcome::succeeded) << result.error;
  if (resident_before > 0 && peak_during > 0) {
    EXPECT_LT(peak_during - resident_before, 16 * 1024) << "KiB more memory than before the session";
  }
  const std::string echo = "$ head -c 50000000 /dev/zero | tr '\\0' 'x'; echo; echo end\n";
  EXPECT_EQ(total, echo.size() + 50000000 + 1 + 4);
  EXPECT_EQ(tail, "xxxxxxxxxxx\nend\n");
  EXPECT_LE(largest_piece, 2 * 64 * 1024U) << "output is passed on, not accumulated";
}

TEST(ShellSession, ExitStatusesSurviveAnIgnoredSigchld) {
  TempDir dir;
  auto previous = ::signal(SIGCHLD, SIG_IGN);
  const auto run = run_captured(session_options(dir.path(), {"exit 3"}));
  ::signal(SIGCHLD, previous);
  EXPECT_EQ(run.result.outcome, SessionOutcome::command_failed) << run.result.error;
  EXPECT_EQ(run.result.commands[0].exit_code, 3);
}

TEST(ShellSession, MissingBashFailsToStartWithAClearError) {
  TempDir dir;
  auto options = session_options(dir.path(), {"echo hi"});
  options.environment["PATH"] = (dir.path() / "empty").string();
  options.bash_path = "bash-of-another-name";  // "bash" itself is also looked for where Runner looks for it
  const auto not_on_path = run_captured(options);
  EXPECT_EQ(not_on_path.result.outcome, SessionOutcome::failed_to_start);
  EXPECT_NE(not_on_path.result.error.find("\"bash-of-another-name\" was not found on the PATH of the job (PATH=" +
                                          (dir.path() / "empty").string() + ")"),
            std::string::npos)
      << not_on_path.result.error;
  EXPECT_EQ(not_on_path.result.commands[0].state, CommandState::not_run);
  EXPECT_TRUE(not_on_path.output.empty());

  options.bash_path = "/nonexistent/bin/bash";
  const auto bad_path = run_captured(options);
  EXPECT_EQ(bad_path.result.outcome, SessionOutcome::failed_to_start);
  EXPECT_NE(bad_path.result.error.find("no executable bash at /nonexistent/bin/bash"), std::string::npos)
      << bad_path.result.error;
}

TEST(ShellSession, BashIsFoundOnTheSessionsPath) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "bin");
  std::filesystem::create_symlink("/bin/bash", dir.path() / "bin" / "my-bash");
  auto options = session_options(dir.path(), {"echo \"$BASH\""});
  options.environment["PATH"] = "bin:/usr/bin:/bin";  // relative entries count from the working directory
  options.bash_path = "my-bash";
  const auto run = run_captured(options);
  EXPECT_EQ(run.result.outcome, SessionOutcome::succeeded) << run.result.error;
  EXPECT_NE(run.output.find((dir.path() / "bin" / "my-bash").string()), std::string::npos) << run.output;
}

TEST(ShellSession, AMissingWorkdirFailsToStart) {
  TempDir dir;
  const auto run = run_captured(session_options(dir.path() / "missing", {"true"}));
  EXPECT_EQ(run.result.outcome, SessionOutcome::failed_to_start);
  EXPECT_NE(run.result.error.find("does not exist"), std::string::npos) << run.result.error;
}

TEST(ShellSession, NoCommandsIsASuccess) {
  TempDir dir;
  const auto run = run_captured(session_options(dir.path(), {}));
  EXPECT_EQ(run.result.outcome, SessionOutcome::succeeded) << run.result.error;
  EXPECT_EQ(run.result.shell_exit_code, 0);
  EXPECT_TRUE(run.output.empty());
}

}  // namespace
}  // namespace flowrun::exec
