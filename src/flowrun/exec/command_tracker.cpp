#include "flowrun/exec/command_tracker.h"

#include <sys/wait.h>

#include "flowrun/exec/runner_script.h"

namespace flowrun::exec {
namespace {

std::chrono::milliseconds elapsed(CommandTracker::Clock::time_point from, CommandTracker::Clock::time_point to) {
  if (to < from) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from);
}

// The signal that ended the command: the one that killed bash, or n when bash reported 128+n.
int command_signal(const ShellExit& exit) {
  if (exit.signal != 0) return exit.signal;
  constexpr int kLastSignal = 64;
  if (exit.exit_code > 128 && exit.exit_code <= 128 + kLastSignal) return exit.exit_code - 128;
  return 0;
}

std::string describe(const ShellExit& exit) {
  if (!exit.known) return "an exit status flowrun could not collect (is SIGCHLD ignored?)";
  if (exit.signal != 0) return "signal " + std::to_string(exit.signal);
  return "code " + std::to_string(exit.exit_code);
}

}  // namespace

ShellExit ShellExit::from_wait_status(int wait_status) {
  ShellExit exit;
  exit.known = true;
  if (WIFSIGNALED(wait_status)) {
    exit.exit_code = -1;
    exit.signal = WTERMSIG(wait_status);
  } else {
    exit.exit_code = WEXITSTATUS(wait_status);
  }
  return exit;
}

CommandTracker::CommandTracker(const std::vector<std::string>& commands) {
  entries_.reserve(commands.size());
  for (const std::string& command : commands) {
    Entry entry;
    entry.title = command_title(command);
    entries_.push_back(std::move(entry));
  }
}

bool CommandTracker::start(const Marker& marker, Clock::time_point at) {
  if (marker.index >= entries_.size()) return false;
  if (running_ && marker.index <= *running_) return false;
  if (running_) {
    Entry& previous = entries_[*running_];
    previous.status = marker.previous_status;
    previous.ended_at = at;
  }
  Entry& entry = entries_[marker.index];
  entry.started = true;
  entry.started_at = at;
  running_ = marker.index;
  return true;
}

void CommandTracker::complete(SessionResult& result, const ShellExit& exit, StopReason stop,
                              Clock::time_point ended_at) const {
  result.shell_exit_code = exit.known ? exit.exit_code : -1;
  result.shell_signal = exit.signal;
  result.commands.clear();
  result.failed_index.reset();
  result.last_seen_index = running_;
  result.shell_exited_early = false;

  const bool clean_exit = exit.known && exit.exit_code == 0 && exit.signal == 0;
  for (std::size_t index = 0; index < entries_.size(); ++index) {
    const Entry& entry = entries_[index];
    CommandResult command;
    command.index = index;
    command.first_line = entry.title;
    if (entry.started && running_ != index) {
      // A later command started, so this one let the shell go on: with status 0, or with another status that
      // errexit did not act on (`set +e`, `! cmd`, a condition).
      command.duration = elapsed(entry.started_at, entry.ended_at);
      command.exit_code = entry.status.value_or(0);
      command.state = command.exit_code == 0 ? CommandState::succeeded : CommandState::failed_ignored;
    } else if (running_ == index) {
      command.duration = elapsed(entry.started_at, ended_at);
      if (stop == StopReason::none && clean_exit) {
        command.state = CommandState::succeeded;
      } else {
        command.state = stop == StopReason::none ? CommandState::failed : CommandState::interrupted;
        command.exit_code = exit.known ? exit.exit_code : -1;
        command.signal = command_signal(exit);
      }
    }
    result.commands.push_back(std::move(command));
  }

  const bool all_started = entries_.empty() || running_ == entries_.size() - 1;
  if (!all_started && stop == StopReason::none && clean_exit) result.shell_exited_early = true;

  switch (stop) {
    case StopReason::timed_out:
      result.outcome = SessionOutcome::timed_out;
      return;
    case StopReason::cancelled:
      result.outcome = SessionOutcome::cancelled;
      return;
    case StopReason::none:
      break;
  }
  if (clean_exit) {
    result.outcome = SessionOutcome::succeeded;
    return;
  }
  result.outcome = SessionOutcome::command_failed;
  if (running_) {
    result.failed_index = running_;
    if (!exit.known) result.error = "command " + std::to_string(*running_ + 1) + " ended bash with " + describe(exit);
    return;
  }
  result.error = "bash exited with " + describe(exit) + " before the first command started";
}

}  // namespace flowrun::exec
