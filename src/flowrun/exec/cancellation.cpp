#include "flowrun/exec/cancellation.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace flowrun::exec {
namespace {

// The token the signal handlers raise; an atomic pointer is the only state a handler may safely read.
std::atomic<CancellationToken*> g_signal_token{nullptr};

void on_cancel_signal(int signal_number) {
  CancellationToken* token = g_signal_token.load(std::memory_order_acquire);
  if (token != nullptr) {
    token->cancel();
    return;
  }
  // No token any more: behave as if no handler had been installed.
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

}  // namespace

CancellationToken::CancellationToken() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw std::runtime_error(std::string("cannot create the cancellation pipe: ") + std::strerror(errno));
  }
  read_fd_ = fds[0];
  write_fd_ = fds[1];
}

CancellationToken::~CancellationToken() {
  CancellationToken* self = this;
  g_signal_token.compare_exchange_strong(self, nullptr, std::memory_order_acq_rel);
  ::close(read_fd_);
  ::close(write_fd_);
}

void CancellationToken::cancel() noexcept {
  if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
  // One byte is enough: nobody drains the pipe, so it stays readable for every later poll().
  const int saved_errno = errno;
  const char byte = 'c';
  [[maybe_unused]] const ssize_t written = ::write(write_fd_, &byte, 1);
  errno = saved_errno;
}

void install_cancel_signal_handlers(CancellationToken& token) {
  g_signal_token.store(&token, std::memory_order_release);
  struct sigaction action {};
  action.sa_handler = on_cancel_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESTART keeps unrelated blocking calls going; the session's poll() is woken by the token's pipe.
  action.sa_flags = SA_RESTART;
  for (int signal_number : {SIGTERM, SIGINT}) {
    if (::sigaction(signal_number, &action, nullptr) != 0) {
      throw std::runtime_error(std::string("cannot install the handler for signal ") + std::to_string(signal_number) +
                               ": " + std::strerror(errno));
    }
  }
}

}  // namespace flowrun::exec
