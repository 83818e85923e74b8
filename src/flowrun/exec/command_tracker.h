#pragma once
// Which command of a session is where, from the markers in its output, and what that means once bash has
// exited: which command failed, which were never run, and the outcome of the session. The job's result is
// bash's exit status, exactly as in GitLab Runner; the markers only say which command it belongs to.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "flowrun/exec/command_markers.h"
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

  // Command `marker.index` starts; the one running before it ended with `marker.previous_status`. Markers only
  // move forward: a repeat (`set -x` traces the echo line before it runs) or an index out of range is ignored
  // and returns false.
  bool start(const Marker& marker, Clock::time_point at);
  std::optional<std::size_t> running() const { return running_; }

  // Fills result.commands, outcome, failed_index, last_seen_index, shell_* and shell_exited_early.
  // `ended_at` closes the duration of the command that was running when bash exited.
  void complete(SessionResult& result, const ShellExit& exit, StopReason stop, Clock::time_point ended_at) const;

 private:
  struct Entry {
    std::string title;
    bool started = false;
    std::optional<int> status;  // known once a later command started
    Clock::time_point started_at{};
    Clock::time_point ended_at{};
  };
  std::vector<Entry> entries_;
  std::optional<std::size_t> running_;
};

}  // namespace flowrun::exec
