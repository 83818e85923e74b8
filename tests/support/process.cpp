#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "support/child_process.h"
#include "support/temp_dir.h"

namespace flowrun::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kKillGrace = std::chrono::seconds(2);
// After the program exits, a process that left its group (setsid) may still hold the pipes; stop reading then.
constexpr auto kDrainAfterExit = std::chrono::seconds(2);

int milliseconds_until(Clock::time_point moment) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(moment - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left) + 1;
}

// Appends what is readable; false at end of file.
bool read_into(int fd, std::string& sink) {
  char buffer[65536];
  ssize_t got = ::read(fd, buffer, sizeof buffer);
  if (got > 0) {
    sink.append(buffer, static_cast<std::size_t>(got));
    return true;
  }
  return got < 0 && (errno == EINTR || errno == EAGAIN);
}

// write() to a pipe whose reader has gone raises SIGPIPE, which would kill the test binary: block it in this
// thread for the write and swallow the pending signal, leaving EPIPE as the only trace.
ssize_t write_without_sigpipe(int fd, const char* data, std::size_t size) {
  sigset_t pipe_signal;
  sigset_t previous;
  ::sigemptyset(&pipe_signal);
  ::sigaddset(&pipe_signal, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
  ssize_t wrote = ::write(fd, data, size);
  int saved_errno = errno;
  if (wrote < 0 && saved_errno == EPIPE) {
    const timespec no_wait{0, 0};
    while (::sigtimedwait(&pipe_signal, nullptr, &no_wait) == SIGPIPE) {
    }
  }
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  errno = saved_errno;
  return wrote;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                          const std::filesystem::path& cwd, std::chrono::milliseconds timeout,
                          const std::string& stdin_data) {
  ProcessResult result;
  auto path_entry = env.find("PATH");
  if (!argv.empty() && !find_executable(argv[0], path_entry != env.end() ? path_entry->second : "/usr/bin:/bin")) {
    result.exit_code = 127;
    result.err = argv[0] + ": command not found\n";
    return result;
  }
  ChildProcess child = spawn_child(argv, env, cwd);
  ::fcntl(child.stdin_fd.get(), F_SETFL, O_NONBLOCK);
  std::size_t stdin_written = 0;
  if (stdin_data.empty()) child.stdin_fd.reset();

  const auto deadline = Clock::now() + timeout;
  Clock::time_point kill_at{};
  Clock::time_point drain_until{};
  bool exited = false;
  bool out_open = true;
  bool err_open = true;

  while (true) {
    if (!exited && (!child.pidfd.valid() || !out_open || !err_open) &&
        wait_for_exit(child, std::chrono::milliseconds(0))) {
      exited = true;
    }
    if (exited && drain_until == Clock::time_point{}) {
      ::killpg(child.pid, SIGKILL);  // leftovers of the group; the zombie still reserves the group id
      drain_until = Clock::now() + kDrainAfterExit;
    }
    if (exited && ((!out_open && !err_open) || Clock::now() >= drain_until)) break;
    if (!exited && !result.timed_out && Clock::now() >= deadline) {
      result.timed_out = true;
      ::killpg(child.pid, SIGTERM);
      kill_at = Clock::now() + kKillGrace;
    }
    if (result.timed_out && !exited && Clock::now() >= kill_at) {
      ::killpg(child.pid, SIGKILL);
      kill_at = Clock::now() + std::chrono::seconds(1);  // sent again each second until the group is gone
    }

    std::vector<pollfd> fds;
    if (out_open) fds.push_back({child.stdout_fd.get(), POLLIN, 0});
    if (err_open) fds.push_back({child.stderr_fd.get(), POLLIN, 0});
    if (child.stdin_fd.valid()) fds.push_back({child.stdin_fd.get(), POLLOUT, 0});
    if (!exited && child.pidfd.valid()) fds.push_back({child.pidfd.get(), POLLIN, 0});
    Clock::time_point wake = exited ? drain_until : (result.timed_out ? kill_at : deadline);
    int wait_ms = milliseconds_until(wake);
    if (!child.pidfd.valid() && !exited) wait_ms = std::min(wait_ms, 10);  // no pidfd: look at the child often
    if (::poll(fds.data(), fds.size(), wait_ms) < 0 && errno != EINTR) {
      throw std::runtime_error("poll failed while running " + argv[0]);
    }
    for (const auto& entry : fds) {
      if (entry.revents == 0) continue;
      if (entry.fd == child.stdout_fd.get() && out_open) {
        out_open = read_into(entry.fd, result.out);
      } else if (entry.fd == child.stderr_fd.get() && err_open) {
        err_open = read_into(entry.fd, result.err);
      } else if (child.stdin_fd.valid() && entry.fd == child.stdin_fd.get()) {
        ssize_t wrote = (entry.revents & POLLOUT) ? write_without_sigpipe(entry.fd, stdin_data.data() + stdin_written,
                                                                          stdin_data.size() - stdin_written)
                                                  : -1;
        if (wrote > 0) stdin_written += static_cast<std::size_t>(wrote);
        bool failed = wrote < 0 && errno != EAGAIN && errno != EINTR;
        if (failed || stdin_written == stdin_data.size()) child.stdin_fd.reset();
      } else if (child.pidfd.valid() && entry.fd == child.pidfd.get()) {
        exited = true;
      }
    }
  }

  int status = reap(child);
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = -1;
    result.signal = WTERMSIG(status);
  }
  return result;
}

const std::filesystem::path& test_home() {
  static const TempDir home("flowrun-test-home-");
  static const bool written = [] {
    std::ofstream config(home.path() / ".gitconfig");
    config << "[init]\n\tdefaultBranch = main\n";
    return static_cast<bool>(config);
  }();
  if (!written) throw std::runtime_error("cannot write " + (home.path() / ".gitconfig").string());
  return home.path();
}

std::map<std::string, std::string> base_environment() {
  const char* path = std::getenv("PATH");
  return {
      {"PATH", (path != nullptr && *path != '\0') ? path : "/usr/local/bin:/usr/bin:/bin"},
      {"HOME", test_home().string()},
      {"LANG", "C.UTF-8"},
      {"GIT_CONFIG_NOSYSTEM", "1"},
      {"GIT_TERMINAL_PROMPT", "0"},
  };
}

}  // namespace flowrun::testing
