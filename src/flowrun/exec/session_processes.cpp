#include "flowrun/exec/session_processes.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <string>

#include "flowrun/exec/reaper.h"
#include "flowrun/exec/unique_fd.h"

namespace flowrun::exec {
namespace {

std::optional<std::string> read_small_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  std::array<char, 1024> buffer{};
  const ssize_t count = ::read(fd.get(), buffer.data(), buffer.size());
  if (count <= 0) return std::nullopt;
  return std::string(buffer.data(), static_cast<std::size_t>(count));
}

bool parse_number(std::string_view text, std::uint64_t& value) {
  if (text.empty()) return false;
  value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

}  // namespace

std::optional<ProcessEntry> parse_proc_stat(std::string_view line) {
  // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
  //  priority nice threads itrealvalue starttime ..."; comm may hold spaces and parentheses: use the last ')'.
  const std::size_t open = line.find(" (");
  const std::size_t close = line.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
  std::uint64_t pid = 0;
  if (!parse_number(line.substr(0, open), pid)) return std::nullopt;

  std::vector<std::string_view> fields;  // fields after comm: [0] state, [1] ppid, [2] pgrp, ... [19] starttime
  std::string_view rest = line.substr(close + 1);
  while (!rest.empty() && fields.size() < 20) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    const std::size_t end = rest.find_first_of(" \n");
    fields.push_back(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  }
  if (fields.size() < 20 || fields[0].size() != 1) return std::nullopt;
  std::uint64_t parent = 0;
  std::uint64_t group = 0;
  std::uint64_t start_time = 0;
  if (!parse_number(fields[1], parent) || !parse_number(fields[2], group) || !parse_number(fields[19], start_time)) {
    return std::nullopt;
  }
  ProcessEntry entry;
  entry.pid = static_cast<pid_t>(pid);
  entry.state = fields[0][0];
  entry.parent = static_cast<pid_t>(parent);
  entry.group = static_cast<pid_t>(group);
  entry.start_time = start_time;
  return entry;
}

std::vector<ProcessEntry> read_process_table() {
  std::vector<ProcessEntry> table;
  std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), &::closedir);
  if (!proc) return table;
  while (const dirent* item = ::readdir(proc.get())) {
    std::uint64_t pid = 0;
    if (!parse_number(item->d_name, pid)) continue;
    const auto stat = read_small_file("/proc/" + std::string(item->d_name) + "/stat");
    if (!stat) continue;  // it exited meanwhile
    if (auto entry = parse_proc_stat(*stat)) table.push_back(*entry);
  }
  return table;
}

SessionProcesses::SessionProcesses() : self_(::getpid()) {
  if (!adopts_orphans()) return;
  for (const ProcessEntry& entry : read_process_table()) {
    if (entry.parent == self_) children_before_.insert({entry.pid, entry.start_time});
  }
}

std::vector<ProcessEntry> SessionProcesses::live_members() {
  std::vector<ProcessEntry> table = read_process_table();
  proc_readable_ = !table.empty();
  group_exists_ = !proc_readable_;  // without /proc, assume it does and let killpg find out
  const bool adopted_orphans = adopts_orphans();
  std::set<pid_t> member_pids;
  std::vector<ProcessEntry> members;
  auto add = [&](const ProcessEntry& entry) {
    if (entry.pid == self_ || !member_pids.insert(entry.pid).second) return false;
    members.push_back(entry);
    known_.insert({entry.pid, entry.start_time});
    return true;
  };
  for (const ProcessEntry& entry : table) {
    const Key key{entry.pid, entry.start_time};
    const bool in_group = leader_ > 0 && entry.group == leader_;
    if (in_group) group_exists_ = true;
    const bool seen_before = known_.count(key) != 0;
    const bool new_orphan = adopted_orphans && entry.parent == self_ && children_before_.count(key) == 0;
    if (entry.pid == leader_ || in_group || seen_before || new_orphan) add(entry);
  }
  // Descendants of members, whatever group or session they moved to.
  for (bool grew = true; grew;) {
    grew = false;
    for (const ProcessEntry& entry : table) {
      if (member_pids.count(entry.parent) != 0 && add(entry)) grew = true;
    }
  }
  std::erase_if(members, [](const ProcessEntry& entry) { return entry.dead(); });
  return members;
}

void SessionProcesses::signal_all(int signal_number) {
  const std::vector<ProcessEntry> members = live_members();
  // Only while the group exists: once it is empty its id may be reused by an unrelated group.
  if (leader_ > 0 && group_exists_) ::killpg(leader_, signal_number);
  for (const ProcessEntry& entry : members) ::kill(entry.pid, signal_number);
}

bool SessionProcesses::any_alive() {
  if (!live_members().empty()) return true;
  // Without /proc only the group can be checked (a group of zombies still answers: it is reaped soon).
  if (!proc_readable_ && leader_ > 0) return ::killpg(leader_, 0) == 0;
  return false;
}

}  // namespace flowrun::exec
