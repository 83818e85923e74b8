#include "flowrun/exec/descendants.h"

#include <unistd.h>

#include <map>

#include "flowrun/exec/session_processes.h"

namespace flowrun::exec {

std::vector<pid_t> live_descendants() {
  const auto table = read_process_table();
  std::map<pid_t, pid_t> parent_of;
  for (const auto& entry : table) parent_of[entry.pid] = entry.parent;
  const pid_t self = ::getpid();
  std::vector<pid_t> found;
  for (const auto& entry : table) {
    if (entry.dead() || entry.pid == self) continue;
    // Walk up the parents; a loop cannot happen in /proc, but a bound keeps a racing table harmless.
    pid_t at = entry.parent;
    for (int depth = 0; depth < 4096 && at > 1; ++depth) {
      if (at == self) {
        found.push_back(entry.pid);
        break;
      }
      const auto next = parent_of.find(at);
      if (next == parent_of.end()) break;
      at = next->second;
    }
  }
  return found;
}

}  // namespace flowrun::exec
