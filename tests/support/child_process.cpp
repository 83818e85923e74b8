#include "support/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace flowrun::testing {
namespace {

std::pair<UniqueFd, UniqueFd> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2 failed: ") + std::strerror(errno));
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

UniqueFd open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  long fd = ::syscall(SYS_pidfd_open, pid, 0);
  if (fd >= 0) {
    ::fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
    return UniqueFd(static_cast<int>(fd));
  }
#else
  (void)pid;
#endif
  return UniqueFd();
}

// Runs in the forked child: only async-signal-safe calls until execve.
[[noreturn]] void exec_child(const char* program, char* const* argv, char* const* envp, const char* cwd, int stdin_fd,
                             int stdout_fd, int stderr_fd, int error_fd) {
  ::setpgid(0, 0);
  sigset_t all;
  ::sigemptyset(&all);
  ::sigprocmask(SIG_SETMASK, &all, nullptr);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int signal_number = 1; signal_number < NSIG; ++signal_number) {
    ::sigaction(signal_number, &default_action, nullptr);
  }
  if (::dup2(stdin_fd, 0) < 0 || ::dup2(stdout_fd, 1) < 0 || ::dup2(stderr_fd, 2) < 0 || ::chdir(cwd) != 0) {
    int error = errno;
    [[maybe_unused]] auto written = ::write(error_fd, &error, sizeof error);
    ::_exit(127);
  }
  ::execve(program, argv, envp);
  int error = errno;
  [[maybe_unused]] auto written = ::write(error_fd, &error, sizeof error);
  ::_exit(127);
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

ChildProcess spawn_child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                         const std::filesystem::path& cwd) {
  if (argv.empty()) throw std::invalid_argument("spawn_child: argv is empty");
  auto path_entry = env.find("PATH");
  auto program = find_executable(argv[0], path_entry != env.end() ? path_entry->second : "/usr/bin:/bin");
  if (!program) {
    throw std::runtime_error("cannot start '" + argv[0] + "': not found on the PATH given to the process");
  }
  // Everything the child needs is built before fork: after fork only async-signal-safe calls are allowed.
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> argv_pointers;
  for (const auto& argument : argv) argv_pointers.push_back(const_cast<char*>(argument.c_str()));
  argv_pointers.push_back(nullptr);
  std::vector<char*> env_pointers;
  for (auto& entry : env_strings) env_pointers.push_back(entry.data());
  env_pointers.push_back(nullptr);
  std::string program_path = program->string();
  std::string cwd_string = cwd.empty() ? std::string(".") : cwd.string();

  auto [stdin_read, stdin_write] = make_pipe();
  auto [stdout_read, stdout_write] = make_pipe();
  auto [stderr_read, stderr_write] = make_pipe();
  auto [error_read, error_write] = make_pipe();

  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    exec_child(program_path.c_str(), argv_pointers.data(), env_pointers.data(), cwd_string.c_str(), stdin_read.get(),
               stdout_write.get(), stderr_write.get(), error_write.get());
  }
  ::setpgid(pid, pid);  // also here, so the group exists before anyone signals it
  stdin_read.reset();
  stdout_write.reset();
  stderr_write.reset();
  error_write.reset();

  int exec_error = 0;
  ssize_t got;
  do {
    got = ::read(error_read.get(), &exec_error, sizeof exec_error);
  } while (got < 0 && errno == EINTR);
  if (got > 0) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    throw std::runtime_error("cannot start '" + program_path + "' in " + cwd_string + ": " + std::strerror(exec_error));
  }

  ChildProcess child;
  child.pid = pid;
  child.stdin_fd = std::move(stdin_write);
  child.stdout_fd = std::move(stdout_read);
  child.stderr_fd = std::move(stderr_read);
  child.pidfd = open_pidfd(pid);
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
