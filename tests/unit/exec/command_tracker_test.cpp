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
  CommandTracker tracker{{"echo one", "# build\nmake\nmake install\n", "echo three"}};
  Clock::time_point t0 = Clock::now();
  Clock::time_point at(int ms) const { return t0 + milliseconds(ms); }
  bool start(std::size_t index, int previous_status, int ms) {
    return tracker.start(Marker{index, previous_status}, at(ms));
  }
  SessionResult complete(int wait_status, StopReason stop = StopReason::none, int ended_ms = 100) {
    SessionResult result;
    tracker.complete(result, ShellExit::from_wait_status(wait_status), stop, at(ended_ms));
    return result;
  }
};

TEST_F(CommandTrackerTest, MarkersOnlyMoveForward) {
  EXPECT_TRUE(start(0, 0, 0));
  EXPECT_FALSE(start(0, 0, 1)) << "a repeat (set -x traces the echo line before it runs)";
  EXPECT_TRUE(start(2, 0, 2)) << "a skipped command (its echo line went into a here-doc)";
  EXPECT_FALSE(start(1, 0, 3)) << "backwards";
  EXPECT_FALSE(start(7, 0, 4)) << "an index out of range";
  EXPECT_EQ(tracker.running(), 2U);
}

TEST_F(CommandTrackerTest, AllStartedAndACleanExitIsSuccessWithDurations) {
  start(0, 0, 0);
  start(1, 0, 10);
  start(2, 0, 40);
  const SessionResult result = complete(exited(0), StopReason::none, 45);
  EXPECT_EQ(result.outcome, SessionOutcome::succeeded);
  EXPECT_FALSE(result.shell_exited_early);
  ASSERT_EQ(result.commands.size(), 3U);
  for (const auto& command : result.commands) EXPECT_EQ(command.state, CommandState::succeeded);
  EXPECT_EQ(result.commands[0].duration, milliseconds(10));
  EXPECT_EQ(result.commands[1].duration, milliseconds(30));
  EXPECT_EQ(result.commands[2].duration, milliseconds(5));
  EXPECT_EQ(result.commands[1].first_line, "make") << "named by its first line that is not blank or a comment";
}

TEST_F(CommandTrackerTest, BashsNonZeroStatusFailsTheLastCommandSeen) {
  start(0, 0, 0);
  start(1, 0, 1);
  const SessionResult result = complete(exited(3));
  EXPECT_EQ(result.outcome, SessionOutcome::command_failed);
  EXPECT_EQ(result.failed_index, 1U);
  EXPECT_EQ(result.last_seen_index, 1U);
  EXPECT_EQ(result.shell_exit_code, 3);
  EXPECT_EQ(result.commands[1].state, CommandState::failed);
  EXPECT_EQ(result.commands[1].exit_code, 3);
  EXPECT_EQ(result.commands[2].state, CommandState::not_run);
}

TEST_F(CommandTrackerTest, ANonZeroStatusTheShellWentOnFromIsAnIgnoredFailure) {
  start(0, 0, 0);
  start(1, 0, 1);
  start(2, 5, 2);  // command 1 returned 5 and the shell went on (set +e)
  const SessionResult result = complete(exited(0));
  EXPECT_EQ(result.outcome, SessionOutcome::succeeded);
  EXPECT_EQ(result.commands[1].state, CommandState::failed_ignored);
  EXPECT_EQ(result.commands[1].exit_code, 5);
}

TEST_F(CommandTrackerTest, ReportsTheSignalThatKilledBashOrItsCommand) {
  start(0, 0, 0);
  EXPECT_EQ(complete(killed_by(SIGKILL)).commands[0].signal, SIGKILL);
  EXPECT_EQ(complete(exited(128 + SIGSEGV)).commands[0].signal, SIGSEGV);
  EXPECT_EQ(complete(exited(128 + SIGSEGV)).commands[0].exit_code, 128 + SIGSEGV);
}

TEST_F(CommandTrackerTest, ExitZeroBeforeTheLastCommandEndsTheSessionEarlyButSuccessfully) {
  start(0, 0, 0);
  const SessionResult result = complete(exited(0));
  EXPECT_EQ(result.outcome, SessionOutcome::succeeded);
  EXPECT_TRUE(result.shell_exited_early);
  EXPECT_EQ(result.commands[0].state, CommandState::succeeded);
  EXPECT_EQ(result.commands[1].state, CommandState::not_run);
}

TEST_F(CommandTrackerTest, AStoppedSessionInterruptsTheRunningCommand) {
  start(0, 0, 0);
  start(1, 0, 1);
  const SessionResult result = complete(exited(1), StopReason::timed_out);
  EXPECT_EQ(result.outcome, SessionOutcome::timed_out);
  EXPECT_EQ(result.commands[1].state, CommandState::interrupted);
  EXPECT_EQ(result.last_seen_index, 1U);
  EXPECT_FALSE(result.failed_index);
  EXPECT_EQ(complete(killed_by(SIGKILL), StopReason::cancelled).outcome, SessionOutcome::cancelled);
}

TEST_F(CommandTrackerTest, AFailureBeforeAnyCommandHasNoIndex) {
  const SessionResult result = complete(exited(2));
  EXPECT_EQ(result.outcome, SessionOutcome::command_failed);
  EXPECT_FALSE(result.failed_index);
  EXPECT_NE(result.error.find("before the first command"), std::string::npos) << result.error;
}

TEST_F(CommandTrackerTest, ALostExitStatusFailsTheRunningCommand) {
  start(0, 0, 0);
  SessionResult result;
  tracker.complete(result, ShellExit{}, StopReason::none, at(1));
  EXPECT_EQ(result.outcome, SessionOutcome::command_failed);
  EXPECT_EQ(result.failed_index, 0U);
  EXPECT_NE(result.error.find("could not collect"), std::string::npos);
}

}  // namespace
}  // namespace flowrun::exec
