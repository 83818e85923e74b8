#pragma once
// The processes a session started, found through /proc so that those which left bash's process group
// (`setsid`, double forks) are stopped too, not only the group GitLab Runner would signal.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace flowrun::exec {

struct ProcessEntry {
  pid_t pid = 0;
  pid_t parent = 0;
  pid_t group = 0;
  char state = '?';              // R, S, D, Z (zombie), ...
  std::uint64_t start_time = 0;  // in clock ticks since boot: with pid, identifies a process across pid reuse
  bool dead() const { return state == 'Z' || state == 'X' || state == 'x'; }
};

// Parses one /proc/<pid>/stat line.
std::optional<ProcessEntry> parse_proc_stat(std::string_view line);
// All processes visible in /proc; empty when /proc cannot be read.
std::vector<ProcessEntry> read_process_table();

class SessionProcesses {
 public:
  // `leader`: bash, the leader of the session's process group. Must be created before bash is started, so that
  // children flowrun already had are not mistaken for orphans of the session.
  SessionProcesses();
  void set_leader(pid_t leader) { leader_ = leader; }

  // Sends `signal_number` to the process group and to every live member found outside it.
  void signal_all(int signal_number);
  // True while any member is alive (zombies do not count).
  bool any_alive();

 private:
  using Key = std::pair<pid_t, std::uint64_t>;  // pid and start time
  // Live members: the process group, processes seen as members before, their descendants, and (when flowrun
  // adopts orphans) children of flowrun that appeared after the session began.
  std::vector<ProcessEntry> live_members();

  pid_t leader_ = -1;
  pid_t self_ = -1;
  std::set<Key> children_before_;
  std::set<Key> known_;
  bool proc_readable_ = false;
  bool group_exists_ = false;  // some process, zombies included, is still in the leader's group
};

}  // namespace flowrun::exec
