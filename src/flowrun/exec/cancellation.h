#pragma once
// Cancellation of a run: a flag any thread (or a signal handler) can raise, plus a descriptor that becomes
// readable when it is raised, so a poll() loop wakes up at once instead of noticing on its next timeout.
#include <atomic>

namespace flowrun::exec {

class CancellationToken {
 public:
  CancellationToken();
  ~CancellationToken();
  CancellationToken(const CancellationToken&) = delete;
  CancellationToken& operator=(const CancellationToken&) = delete;

  // Raises the flag. Thread-safe and async-signal-safe; raising it again does nothing.
  void cancel() noexcept;
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }
  // Readable (and stays readable) once cancel() was called. Owned by the token; do not read or close it.
  int wait_fd() const noexcept { return read_fd_; }

 private:
  std::atomic<bool> cancelled_{false};
  int read_fd_ = -1;
  int write_fd_ = -1;
};

// SIGTERM and SIGINT (GitLab cancelling the job, Ctrl-C on a laptop) raise `token` from then on.
// The token must outlive the handlers' use of it: when it is destroyed, the signals get their default action again.
void install_cancel_signal_handlers(CancellationToken& token);

}  // namespace flowrun::exec
