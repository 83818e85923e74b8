#include "flowrun/exec/command_tracker.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

namespace flowrun::exec {
namespace {

using Clock = CommandTracker::Clock;
using std::chrono::milliseconds;

// Raw wait statuses as waitpid reports them.
int exited(int code) { return (code & 0xff) << 8; }
int killed_by(int signal_number) { return signal_number & 0x7f; }

class CommandTrackerTest : public ::testing::Test {
 protected:
  CommandTracker tracker{{"echo one", "make\nmake install\n", "echo three"}};
  Clock::time_point t0 = Clock::now();
  Clock::time_point at(int ms) const { return t0 + milliseconds(ms); }
};

TEST_F(CommandTrackerTest, AcceptsOnlyTheOrderTheScriptProduces) {
  EXPECT_EQ(tracker.next_to_start(), 0U);
  EXPECT_FALSE(tracker.start(1, at(0))) << "commands start in order";
  EXPECT_FALSE(tracker.finish(0, at(0))) << "a command that did not start cannot finish";
  EXPECT_TRUE(tracker.start(0, at(0)));
  EXPECT_FALSE(tracker.start(1, at(1))) << "no start while a command runs";
  EXPECT_FALSE(tracker.finish(1, at(1)));
  EXPECT_TRUE(tracker.finish(0, at(5)));
  EXPECT_FALSE(tracker.finish(0, at(6))) << "finished once";
  EXPECT_EQ(tracker.next_to_start(), 1U);
  EXPECT_FALSE(tracker.start(7, at(7))) << "an index out of range";
}

TEST_F(CommandTrackerTest, AllFinishedAndACleanExitIsSuccess) {
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(tracker.start(i, at(10 * static_cast<int>(i))));
    ASSERT_TRUE(tracker.finish(i, at(10 * static_cast<int>(i) + 4)));
  }
  SessionResult result;
  tracker.complete(result, ShellExit::from_wait_status(exited(0)), StopReason::none, at(40));
  EXPECT_EQ(result.outcome, SessionOutcome::succeeded);
  EXPECT_FALSE(result.failed_index);
  EXPECT_FALSE(result.shell_exited_early);
  ASSERT_EQ(result.commands.size(), 3U);
  EXPECT_EQ(result.commands[1].first_line, "make");
  EXPECT_EQ(result.commands[1].state, CommandState::succeeded);
  EXPECT_EQ(result.commands[2].duration, milliseconds(4));
}

TEST_F(CommandTrackerTest, TheCommandThatNeverFinishedIsTheFailedOne) {
  tracker.start(0, at(0));
  tracker.finish(0, at(1));
  tracker.start(1, at(2));
  SessionResult result;
  tracker.complete(result, ShellExit::from_wait_status(exited(3)), StopReason::none, at(12));
  EXPECT_EQ(result.outcome, SessionOutcome::command_failed);
  EXPECT_EQ(result.failed_index, 1U);
  EXPECT_EQ(result.shell_exit_code, 3);
  EXPECT_EQ(result.commands[1].state, CommandState::failed);
  EXPECT_EQ(result.commands[1].exit_code, 3);
  EXPECT_EQ(result.commands[1].signal, 0);
  EXPECT_EQ(result.commands[1].duration, milliseconds(10));
  EXPECT_EQ(result.commands[2].state, CommandState::not_run);
}

TEST_F(CommandTrackerTest, ReportsTheSignalThatKilledBashOrItsCommand) {
  tracker.start(0, at(0));
  SessionResult killed;
  tracker.complete(killed, ShellExit::from_wait_status(killed_by(9)), StopReason::none, at(1));
  EXPECT_EQ(killed.shell_exit_code, -1);
  EXPECT_EQ(killed.shell_signal, 9);
  EXPECT_EQ(killed.commands[0].exit_code, -1);
  EXPECT_EQ(killed.commands[0].signal, 9);

  SessionResult crashed;  // bash reports a command killed by SIGSEGV as 139
  tracker.complete(crashed, ShellExit::from_wait_status(exited(139)), StopReason::none, at(1));
  EXPECT_EQ(crashed.shell_signal, 0);
  EXPECT_EQ(crashed.commands[0].exit_code, 139);
  EXPECT_EQ(crashed.commands[0].signal, 11);
}

TEST_F(CommandTrackerTest, ExitZeroInACommandEndsTheSessionEarlyButSuccessfully) {
  tracker.start(0, at(0));
  SessionResult result;
  tracker.complete(result, ShellExit::from_wait_status(exited(0)), StopReason::none, at(1));
  EXPECT_EQ(result.outcome, SessionOutcome::succeeded);
  EXPECT_TRUE(result.shell_exited_early);
  EXPECT_EQ(result.commands[0].state, CommandState::succeeded);
  EXPECT_EQ(result.commands[1].state, CommandState::not_run);
}

TEST_F(CommandTrackerTest, ExitZeroInTheLastCommandIsNotAnEarlyEnd) {
  for (std::size_t i = 0; i < 2; ++i) {
    tracker.start(i, at(0));
    tracker.finish(i, at(0));
  }
  tracker.start(2, at(1));
  SessionResult result;
  tracker.complete(result, ShellExit::from_wait_status(exited(0)), StopReason::none, at(2));
  EXPECT_EQ(result.outcome, SessionOutcome::succeeded);
  EXPECT_FALSE(result.shell_exited_early);
  EXPECT_EQ(result.commands[2].state, CommandState::succeeded);
}

TEST_F(CommandTrackerTest, AStoppedSessionInterruptsTheRunningCommand) {
  tracker.start(0, at(0));
  tracker.finish(0, at(1));
  tracker.start(1, at(2));
  SessionResult timed_out;
  tracker.complete(timed_out, ShellExit::from_wait_status(exited(1)), StopReason::timed_out, at(9));
  EXPECT_EQ(timed_out.outcome, SessionOutcome::timed_out);
  EXPECT_FALSE(timed_out.failed_index);
  EXPECT_EQ(timed_out.commands[1].state, CommandState::interrupted);
  EXPECT_EQ(timed_out.commands[1].exit_code, 1);

  SessionResult cancelled;
  tracker.complete(cancelled, ShellExit::from_wait_status(exited(0)), StopReason::cancelled, at(9));
  EXPECT_EQ(cancelled.outcome, SessionOutcome::cancelled);
  EXPECT_EQ(cancelled.commands[1].state, CommandState::interrupted) << "even if bash then exited with 0";
}

TEST_F(CommandTrackerTest, AFailureOutsideAnyCommandIsAFailureWithoutIndex) {
  for (std::size_t i = 0; i < 3; ++i) {
    tracker.start(i, at(0));
    tracker.finish(i, at(0));
  }
  SessionResult result;
  tracker.complete(result, ShellExit::from_wait_status(exited(4)), StopReason::none, at(1));
  EXPECT_EQ(result.outcome, SessionOutcome::command_failed);
  EXPECT_FALSE(result.failed_index);
  EXPECT_NE(result.error.find("after the last command"), std::string::npos) << result.error;
}

TEST_F(CommandTrackerTest, ALostExitStatusFailsTheRunningCommand) {
  tracker.start(0, at(0));
  SessionResult result;
  tracker.complete(result, ShellExit{}, StopReason::none, at(1));
  EXPECT_EQ(result.outcome, SessionOutcome::command_failed);
  EXPECT_EQ(result.failed_index, 0U);
  EXPECT_EQ(result.commands[0].exit_code, -1);
  EXPECT_NE(result.error.find("SIGCHLD"), std::string::npos) << result.error;
}

}  // namespace
}  // namespace flowrun::exec
