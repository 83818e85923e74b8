#pragma once
// Which command of a session is where, from the status channel's events, and what that means once bash has
// exited: which command failed, which were never run, and the outcome of the session.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "flowrun/exec/shell_session.h"

namespace flowrun::exec {

// How bash ended, from its raw wait status.
struct ShellExit {
  bool known = false;  // false when the status could not be collected
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  static ShellExit from_wait_status(int wait_status);
};

enum class StopReason { none, timed_out, cancelled };

class CommandTracker {
 public:
  using Clock = std::chrono::steady_clock;

  explicit CommandTracker(const std::vector<std::string>& commands);

  // Events in an order the script cannot produce (a start while another command runs, a finish of a command
  // that is not running, an index out of range) are refused and return false.
  bool start(std::size_t index, Clock::time_point at);
  bool finish(std::size_t index, Clock::time_point at);
  // The index the next start must carry, if any command is left.
  std::optional<std::size_t> next_to_start() const;
  std::optional<std::size_t> running() const { return running_; }

  // Fills result.commands, outcome, failed_index, shell_* and shell_exited_early. `ended_at` closes the duration
  // of the command that was running when bash exited.
  void complete(SessionResult& result, const ShellExit& exit, StopReason stop, Clock::time_point ended_at) const;

 private:
  struct Entry {
    std::string first_line;
    Clock::time_point started_at{};
    Clock::time_point finished_at{};
  };
  std::vector<Entry> entries_;
  std::size_t started_count_ = 0;
  std::size_t finished_count_ = 0;
  std::optional<std::size_t> running_;
};

}  // namespace flowrun::exec
