#pragma once
// Writing to a pipe or socket whose reader is gone raises SIGPIPE, which would kill flowrun. Ignoring SIGPIPE for the
// whole process would be inherited by the commands (`yes | head` would then print errors), so instead SIGPIPE is
// blocked in this thread for the duration of one write, and a SIGPIPE that write raised is taken off the queue.
#include <signal.h>

namespace flowrun {

class SigpipeShield {
 public:
  explicit SigpipeShield(bool active = true);
  ~SigpipeShield();
  SigpipeShield(const SigpipeShield&) = delete;
  SigpipeShield& operator=(const SigpipeShield&) = delete;

  // After EPIPE: the SIGPIPE is ours unless one was pending before.
  void discard_raised();

 private:
  bool active_;
  bool was_pending_ = false;
  sigset_t sigpipe_{};
  sigset_t previous_{};
};

// True for descriptors a write to which can raise SIGPIPE (pipes and sockets).
bool may_raise_sigpipe(int fd);

}  // namespace flowrun
