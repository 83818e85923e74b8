#include "flowrun/core/sigpipe_shield.h"

#include <pthread.h>
#include <sys/stat.h>

#include <cerrno>
#include <ctime>

namespace flowrun {

SigpipeShield::SigpipeShield(bool active) : active_(active) {
  if (!active_) return;
  sigemptyset(&sigpipe_);
  sigaddset(&sigpipe_, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &sigpipe_, &previous_);
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  was_pending_ = sigismember(&pending, SIGPIPE) == 1;
}

SigpipeShield::~SigpipeShield() {
  if (active_) pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

void SigpipeShield::discard_raised() {
  if (!active_ || was_pending_) return;
  const timespec no_wait{0, 0};
  while (sigtimedwait(&sigpipe_, nullptr, &no_wait) < 0 && errno == EINTR) {
  }
}

bool may_raise_sigpipe(int fd) {
  struct stat info {};
  if (fstat(fd, &info) != 0) return true;
  return S_ISFIFO(info.st_mode) || S_ISSOCK(info.st_mode);
}

}  // namespace flowrun
