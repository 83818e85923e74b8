#include "flowrun/agent/stop_writers.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace flowrun::agent {

int stop_stdin_writers() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path own_stdin = fs::read_symlink("/proc/self/fd/0", ec);
  if (ec || !own_stdin.string().starts_with("pipe:")) return 0;
  int stopped = 0;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string pid_text = entry.path().filename().string();
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid == ::getpid()) continue;
    std::error_code link_error;
    if (fs::read_symlink(entry.path() / "fd/1", link_error) != own_stdin || link_error) continue;
    if (::kill(pid, SIGTERM) == 0) ++stopped;
  }
  return stopped;
}

}  // namespace flowrun::agent
