// Timeouts, cancellation and signals: the whole process tree goes, and run_session returns in bounded time.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "flowrun/exec/reaper.h"
#include "flowrun/exec/shell_session.h"
#include "session_test_support.h"

namespace flowrun::exec {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::process_gone;
using testing::read_pids;
using testing::run_captured;
using testing::session_options;
using testing::TempDir;

TEST(SessionStop, TimeoutKillsTheWholeTreeIncludingProcessesThatLeftTheGroup) {
  become_child_subreaper();  // so the double-forked `setsid` orphan comes back to this process
  TempDir dir;
  auto options = session_options(dir.path(), {
                                                 "echo setting up",
                                                 "sleep 100 & echo $! >> pids\n"
                                                 "setsid sleep 100 & echo $! >> pids\n"
                                                 "( setsid sleep 100 & echo $! >> pids )\n"
                                                 "( trap '' TERM; exec sleep 100 ) & echo $! >> pids\n",
                                                 "sleep 100",
                                                 "echo never",
                                             });
  options.timeout = seconds(1);
  options.kill_grace = milliseconds(300);
  const auto started = std::chrono::steady_clock::now();
  const auto run = run_captured(options);
  const auto took = std::chrono::steady_clock::now() - started;

  EXPECT_EQ(run.result.outcome, SessionOutcome::timed_out);
  EXPECT_EQ(run.result.commands[1].state, CommandState::succeeded);
  EXPECT_EQ(run.result.commands[2].state, CommandState::interrupted);
  EXPECT_EQ(run.result.commands[3].state, CommandState::not_run);
  EXPECT_FALSE(run.result.failed_index);
  EXPECT_LT(took, seconds(5));
  const auto pids = read_pids(dir.path() / "pids");
  ASSERT_EQ(pids.size(), 4U);
  for (int pid : pids) EXPECT_TRUE(process_gone(pid)) << "pid " << pid << " survived";
}

TEST(SessionStop, BackgroundProcessesLeftByASuccessfulSessionAreStopped) {
  become_child_subreaper();
  TempDir dir;
  auto options =
      session_options(dir.path(), {"sleep 100 & echo $! > pids", "setsid sleep 100 >/dev/null 2>&1 & echo $! >> pids"});
  options.kill_grace = milliseconds(300);
  const auto run = run_captured(options);
  EXPECT_EQ(run.result.outcome, SessionOutcome::succeeded) << run.result.error;
  const auto pids = read_pids(dir.path() / "pids");
  ASSERT_EQ(pids.size(), 2U);
  for (int pid : pids) EXPECT_TRUE(process_gone(pid)) << "pid " << pid << " survived";
}

TEST(SessionStop, ALeftoverThatIgnoresSigtermIsKilledAfterTheShortLeftoverGrace) {
  become_child_subreaper();
  TempDir dir;
  auto options = session_options(dir.path(), {"(trap '' TERM; exec sleep 100) & echo $! > pids"});
  options.kill_grace = seconds(30);  // for timeouts and cancels only
  const auto run = run_captured(options);
  EXPECT_EQ(run.result.outcome, SessionOutcome::succeeded) << run.result.error;
  EXPECT_LT(run.result.duration, seconds(10)) << "the 30 s grace of a timeout was not waited for";
  const auto pids = read_pids(dir.path() / "pids");
  ASSERT_EQ(pids.size(), 1U);
  EXPECT_TRUE(process_gone(pids[0]));
}

TEST(SessionStop, CancellingFromAnotherThreadInterruptsTheRunningCommand) {
  TempDir dir;
  CancellationToken cancel;
  auto options = session_options(dir.path(), {"echo first", "sleep 100", "echo never"});
  std::thread canceller;
  options.on_command_start = [&](std::size_t index) {
    if (index == 1) canceller = std::thread([&cancel] { cancel.cancel(); });
  };
  const auto started = std::chrono::steady_clock::now();
  const SessionResult result = run_session(options, cancel);
  const auto took = std::chrono::steady_clock::now() - started;
  if (canceller.joinable()) canceller.join();

  EXPECT_EQ(result.outcome, SessionOutcome::cancelled);
  EXPECT_EQ(result.commands[0].state, CommandState::succeeded);
  EXPECT_EQ(result.commands[1].state, CommandState::interrupted);
  EXPECT_EQ(result.commands[2].state, CommandState::not_run);
  EXPECT_LT(took, seconds(5)) << "sleep 100 was stopped by SIGTERM, well within the grace period";
}

TEST(SessionStop, AlreadyCancelledRunsNothing) {
  TempDir dir;
  CancellationToken cancel;
  cancel.cancel();
  const auto run = run_captured(session_options(dir.path(), {"touch ran"}), cancel);
  EXPECT_EQ(run.result.outcome, SessionOutcome::cancelled);
  EXPECT_EQ(run.result.commands[0].state, CommandState::not_run);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "ran"));
}

TEST(SessionStop, ACommandThatIgnoresSigtermIsKilledAfterTheGracePeriod) {
  TempDir dir;
  auto options = session_options(dir.path(), {"trap '' TERM; echo $$ > pid; sleep 100 & wait"});
  options.timeout = milliseconds(500);
  options.kill_grace = milliseconds(300);
  const auto run = run_captured(options);
  EXPECT_EQ(run.result.outcome, SessionOutcome::timed_out);
  EXPECT_EQ(run.result.commands[0].state, CommandState::interrupted);
  EXPECT_EQ(run.result.shell_signal, SIGKILL);
  EXPECT_EQ(run.result.commands[0].signal, SIGKILL);
  EXPECT_LT(run.result.duration, seconds(5));
}

TEST(SessionStop, AShellKilledBySignalIsReportedWithTheSignal) {
  TempDir dir;
  // The commands' shell is Runner's subshell: killed, it fails the job with 128+9 through errexit.
  const auto killed = run_captured(session_options(dir.path(), {"echo hi", "kill -9 $BASHPID", "echo never"}));
  EXPECT_EQ(killed.result.outcome, SessionOutcome::command_failed);
  ASSERT_EQ(killed.result.failed_index, 1U);
  EXPECT_EQ(killed.result.shell_exit_code, 128 + SIGKILL);
  EXPECT_EQ(killed.result.commands[1].exit_code, 128 + SIGKILL);
  EXPECT_EQ(killed.result.commands[1].signal, SIGKILL);
  EXPECT_EQ(killed.result.commands[2].state, CommandState::not_run);

  const auto crashed = run_captured(session_options(dir.path(), {"ulimit -c 0; ( kill -SEGV $BASHPID )"}));
  EXPECT_EQ(crashed.result.outcome, SessionOutcome::command_failed);
  EXPECT_EQ(crashed.result.commands[0].exit_code, 128 + SIGSEGV);
  EXPECT_EQ(crashed.result.commands[0].signal, SIGSEGV);
}

}  // namespace
}  // namespace flowrun::exec
