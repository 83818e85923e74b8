#include "flowrun/exec/reaper.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace flowrun::exec {

void become_child_subreaper() { ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

bool adopts_orphans() {
  if (::getpid() == 1) return true;
  int is_subreaper = 0;
  return ::prctl(PR_GET_CHILD_SUBREAPER, &is_subreaper, 0, 0, 0) == 0 && is_subreaper != 0;
}

void reap_orphans() {
  if (!adopts_orphans()) return;
  for (;;) {
    const pid_t pid = ::waitpid(-1, nullptr, WNOHANG);
    if (pid > 0) continue;
    if (pid < 0 && errno == EINTR) continue;
    return;  // 0: children left but none has exited; -1/ECHILD: no children at all
  }
}

}  // namespace flowrun::exec
