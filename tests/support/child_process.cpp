#include "support/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "flowrun/core/process.h"

namespace flowrun::testing {
namespace {

std::pair<UniqueFd, UniqueFd> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2 failed: ") + std::strerror(errno));
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

}  // namespace

std::optional<std::filesystem::path> find_executable(const std::string& name, const std::string& path_variable) {
  if (name.find('/') != std::string::npos) return std::filesystem::path(name);
  std::size_t start = 0;
  while (start <= path_variable.size()) {
    std::size_t end = path_variable.find(':', start);
    if (end == std::string::npos) end = path_variable.size();
    std::string directory = path_variable.substr(start, end - start);
    std::filesystem::path candidate = std::filesystem::path(directory.empty() ? "." : directory) / name;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

std::vector<std::string> environment_entries(const std::map<std::string, std::string>& env) {
  std::vector<std::string> entries;
  entries.reserve(env.size());
  for (const auto& [name, value] : env) entries.push_back(name + "=" + value);
  return entries;
}

ChildProcess spawn_child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                         const std::filesystem::path& cwd) {
  if (argv.empty()) throw std::invalid_argument("spawn_child: argv is empty");
  auto path_entry = env.find("PATH");
  auto program = find_executable(argv[0], path_entry != env.end() ? path_entry->second : "/usr/bin:/bin");
  if (!program) {
    throw std::runtime_error("cannot start '" + argv[0] + "': not found on the PATH given to the process");
  }
  auto [stdin_read, stdin_write] = make_pipe();
  auto [stdout_read, stdout_write] = make_pipe();
  auto [stderr_read, stderr_write] = make_pipe();

  core::SpawnRequest request;
  describe_program(request, *program, argv, env, cwd);
  request.stdin_fd = stdin_read.get();
  request.stdout_fd = stdout_write.get();
  request.stderr_fd = stderr_write.get();
  const core::SpawnResult spawned = core::spawn_process(request);
  if (spawned.pid < 0) {
    throw std::runtime_error("cannot start '" + program->string() + "' in " + request.workdir.string() + ": " +
                             spawned.error);
  }

  ChildProcess child;
  child.pid = spawned.pid;
  child.stdin_fd = std::move(stdin_write);
  child.stdout_fd = std::move(stdout_read);
  child.stderr_fd = std::move(stderr_read);
  child.pidfd = UniqueFd(core::open_process_fd(spawned.pid));
  return child;
}

bool wait_for_exit(const ChildProcess& child, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(child.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid != 0) {
      return true;
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    if (child.pidfd.valid()) {
      pollfd entry{child.pidfd.get(), POLLIN, 0};
      ::poll(&entry, 1, static_cast<int>(left.count()) + 1);
    } else {
      // Kernels without pidfd_open: check again in small steps, still bounded by the deadline.
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(10)));
    }
  }
}

int reap(ChildProcess& child) {
  int status = 0;
  while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  child.pid = -1;
  return status;
}

}  // namespace flowrun::testing
