#pragma once
// Runs one step of the git phase in a child process, so that a step which blocks (libgit2 opening a FIFO the agent
// left in place of .gitattributes, a server that stops answering a push on a libgit2 without network timeouts) can
// be abandoned at its deadline or on cancellation, and the run still reports. Internal.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace flowrun::git::detail {

using Clock = std::chrono::steady_clock;

// What the step may do from inside the child: say a progress line (passed on to the parent as it happens).
using StepLog = std::function<void(std::string_view)>;

struct StepRun {
  enum class End { finished, timed_out, cancelled, crashed };
  End end = End::crashed;
  std::string result;  // what the step returned (finished only)
};

struct StepLimits {
  Clock::time_point deadline;
  std::function<bool()> cancelled;            // polled; may be empty
  std::function<void(std::string_view)> log;  // receives the child's progress lines
  // Called every `stall_check` while the child is still running and used no CPU time since the last check: the
  // place to unblock what the child may be waiting on.
  std::function<void()> on_stall;
  std::chrono::milliseconds stall_check{1000};
};

// Forks; the child runs `step` and _exits, the parent relays its lines and waits for its result until the deadline
// or cancellation, then kills it. Whatever the step wrote to disk (objects, refs, files) stays.
StepRun run_isolated(const std::function<std::string(const StepLog&)>& step, const StepLimits& limits);

}  // namespace flowrun::git::detail
