#include "flowrun/exec/command_tracker.h"

#include <sys/wait.h>

#include "flowrun/exec/script.h"

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
  for (const std::string& command : commands) entries_.push_back(Entry{command_first_line(command)});
}

std::optional<std::size_t> CommandTracker::next_to_start() const {
  if (running_ || started_count_ >= entries_.size()) return std::nullopt;
  return started_count_;
}

bool CommandTracker::start(std::size_t index, Clock::time_point at) {
  if (next_to_start() != index) return false;
  entries_[index].started_at = at;
  running_ = index;
  ++started_count_;
  return true;
}

bool CommandTracker::finish(std::size_t index, Clock::time_point at) {
  if (running_ != index) return false;
  entries_[index].finished_at = at;
  running_.reset();
  ++finished_count_;
  return true;
}

void CommandTracker::complete(SessionResult& result, const ShellExit& exit, StopReason stop,
                              Clock::time_point ended_at) const {
  result.shell_exit_code = exit.known ? exit.exit_code : -1;
  result.shell_signal = exit.signal;
  result.commands.clear();
  result.failed_index.reset();
  result.shell_exited_early = false;

  const bool clean_exit = exit.known && exit.exit_code == 0 && exit.signal == 0;
  for (std::size_t index = 0; index < entries_.size(); ++index) {
    const Entry& entry = entries_[index];
    CommandResult command;
    command.index = index;
    command.first_line = entry.first_line;
    if (index < finished_count_) {
      command.state = CommandState::succeeded;
      command.duration = elapsed(entry.started_at, entry.finished_at);
    } else if (running_ == index) {
      command.duration = elapsed(entry.started_at, ended_at);
      if (stop == StopReason::none && clean_exit) {
        command.state = CommandState::succeeded;  // it ran `exit 0` (or exec'd a program that succeeded)
      } else {
        command.state = stop == StopReason::none ? CommandState::failed : CommandState::interrupted;
        command.exit_code = exit.known ? exit.exit_code : -1;
        command.signal = command_signal(exit);
      }
    }
    result.commands.push_back(std::move(command));
  }

  if (started_count_ < entries_.size() && stop == StopReason::none && clean_exit) {
    result.shell_exited_early = true;
  }

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
  if (running_ && result.commands[*running_].state == CommandState::failed) {
    result.outcome = SessionOutcome::command_failed;
    result.failed_index = running_;
    if (!exit.known) result.error = "command " + std::to_string(*running_ + 1) + " ended bash with " + describe(exit);
    return;
  }
  if (clean_exit || (!exit.known && finished_count_ == entries_.size())) {
    result.outcome = SessionOutcome::succeeded;
    return;
  }
  // bash failed outside any command: after the last one (an EXIT trap, say) or before the first one.
  result.outcome = SessionOutcome::command_failed;
  if (finished_count_ == entries_.size()) {
    result.error = "bash exited with " + describe(exit) + " after the last command had finished (an EXIT trap?)";
  } else {
    result.error =
        "bash exited with " + describe(exit) + " before command " + std::to_string(finished_count_ + 1) + " started";
  }
}

}  // namespace flowrun::exec
