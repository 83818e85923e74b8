#include "flowrun/core/process.h"

// clang-format off
// <utility> before Boost.Asio: with C++20 and g++ 12 it needs std::exchange declared first.
#include <utility>
#include <boost/asio/io_context.hpp>
#include <boost/process/v2/default_launcher.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/start_dir.hpp>
#include <boost/process/v2/stdio.hpp>
// clang-format on

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <exception>

#include "flowrun/core/sigpipe_shield.h"
#include "flowrun/core/unique_fd.h"

namespace flowrun::core {
namespace bp2 = boost::process::v2;
namespace {

using Clock = std::chrono::steady_clock;

// After the program exits, a process that left its group (setsid) may still hold the pipes; stop reading then.
constexpr auto kDrainAfterExit = std::chrono::seconds(2);

using Fd = UniqueFd;

// Above 0-2, so that installing it as one of the child's 0-2 never meets itself (dup2 onto itself would keep
// close-on-exec and leave the child without it) when flowrun runs with a standard stream closed.
Fd above_standard_streams(int fd) {
  if (fd < 0 || fd > 2) return Fd(fd);
  Fd moved(::fcntl(fd, F_DUPFD_CLOEXEC, 3));
  ::close(fd);
  return moved;
}

bool make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;  // close-on-exec: other threads' children must not inherit them
  read_end = above_standard_streams(fds[0]);
  write_end = above_standard_streams(fds[1]);
  return read_end.valid() && write_end.valid();
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

bp2::error_code last_error() { return bp2::error_code(errno, bp2::system_category()); }

// Closes [low, high] in the child; close_range when the kernel has it (5.9+), one by one otherwise.
void close_descriptor_range(int low, int high) {
  if (low > high) return;
#if defined(SYS_close_range)
  if (::syscall(SYS_close_range, static_cast<unsigned>(low), static_cast<unsigned>(high), 0U) == 0) return;
#endif
  for (int fd = low; fd <= high; ++fd) ::close(fd);
}

// The child's part of the launch, run between fork and exec: only async-signal-safe calls, no allocation.
struct ChildSetup {
  const char* const* environment;
  const std::vector<SpawnRequest::ExtraFd>* extra_fds;

  bp2::error_code on_setup(bp2::posix::default_launcher& launcher, const bp2::filesystem::path&, const char* const*) {
    // The environment is set here rather than with bp2::process_environment, whose implementation must be
    // compiled into exactly one object of the whole program (impl/environment.ipp is not inline).
    launcher.env = environment;
    for (const SpawnRequest::ExtraFd& extra : *extra_fds) launcher.fd_whitelist.push_back(extra.to);
    return {};
  }

  bp2::error_code on_exec_setup(bp2::posix::default_launcher& launcher, const bp2::filesystem::path&,
                                const char* const*) {
    // Its own process group, so a timeout or cancel can signal the program and everything it started at once.
    if (::setpgid(0, 0) != 0) return last_error();
    for (const SpawnRequest::ExtraFd& extra : *extra_fds) {
      if (::dup2(extra.from, extra.to) < 0) return last_error();
    }
    // Ignored signals stay ignored across exec (SIGPIPE ignored by flowrun would break `yes | head` in bash),
    // and so does the signal mask: give the program the defaults.
    for (int signal_number = 1; signal_number < NSIG; ++signal_number) {
      if (signal_number == SIGKILL || signal_number == SIGSTOP) continue;
      struct sigaction action {};
      action.sa_handler = SIG_DFL;
      ::sigaction(signal_number, &action, nullptr);
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    close_all_but(launcher.fd_whitelist);
    return {};
  }

  // Every descriptor not on the list goes, even those opened without O_CLOEXEC by other parts of flowrun.
  // (Boost closes only above the highest listed one; its error pipe is on the list and must stay open.)
  static void close_all_but(const std::vector<int>& keep_list) {
    constexpr std::size_t kMaxKept = 32;
    std::array<int, kMaxKept> keep{};
    std::size_t count = 0;
    for (int fd : keep_list) {
      if (count == kMaxKept) return;  // cannot happen with a child's handful of descriptors
      std::size_t at = count++;
      for (; at > 0 && keep[at - 1] > fd; --at) keep[at] = keep[at - 1];
      keep[at] = fd;
    }
    struct rlimit limit {};
    int highest = 65535;
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < (1U << 30)) {
      highest = static_cast<int>(limit.rlim_cur) - 1;
    }
    int next = 0;
    for (std::size_t i = 0; i < count; ++i) {
      close_descriptor_range(next, keep[i] - 1);
      next = keep[i] + 1;
    }
    close_descriptor_range(next, highest);
  }
};

// Whether the child has exited, without reaping it: until it is reaped its pid and process group id stay reserved,
// so signalling the group cannot reach an unrelated process.
bool has_exited(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid != 0;
}

int milliseconds_until(Clock::time_point moment) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(moment - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left + 1, 60'000));
}

// Appends what is readable, up to `limit` in all; false at end of file or on an error.
bool read_into(int fd, std::string& sink, std::size_t limit) {
  std::array<char, 65536> buffer;
  const ssize_t got = ::read(fd, buffer.data(), buffer.size());
  if (got > 0) {
    const std::size_t room = limit - std::min(limit, sink.size());
    sink.append(buffer.data(), std::min(static_cast<std::size_t>(got), room));
    return true;
  }
  return got < 0 && (errno == EINTR || errno == EAGAIN);
}

// Writes what the pipe takes now; false when the input is done or the reader is gone.
bool write_some(int fd, const std::string& input, std::size_t& written) {
  ssize_t wrote = 0;
  int error = 0;
  {
    SigpipeShield shield;
    wrote = ::write(fd, input.data() + written, input.size() - written);
    error = errno;
    if (wrote < 0 && error == EPIPE) shield.discard_raised();
  }
  if (wrote > 0) written += static_cast<std::size_t>(wrote);
  if (wrote < 0 && error != EAGAIN && error != EINTR) return false;
  return written < input.size();
}

}  // namespace

int open_process_fd(pid_t pid) {
#ifdef SYS_pidfd_open
  const long fd = ::syscall(SYS_pidfd_open, pid, 0);
  if (fd >= 0) {
    ::fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
    return static_cast<int>(fd);
  }
#else
  (void)pid;
#endif
  return -1;
}

SpawnResult spawn_process(const SpawnRequest& request) {
  SpawnResult result;
  std::vector<const char*> environment;
  environment.reserve(request.environment.size() + 1);
  for (const std::string& entry : request.environment) environment.push_back(entry.c_str());
  environment.push_back(nullptr);
  const std::string argv0 = request.argv0.empty() ? request.executable.string() : request.argv0;
  std::vector<const char*> argv{argv0.c_str()};
  argv.reserve(request.arguments.size() + 2);
  for (const std::string& argument : request.arguments) argv.push_back(argument.c_str());
  argv.push_back(nullptr);
  const char** argv_pointer = argv.data();  // a whole argv, argv[0] included, as Boost takes it

  Fd dev_null;
  if (request.stdin_fd < 0 || request.stdout_fd < 0 || request.stderr_fd < 0) {
    dev_null = above_standard_streams(::open("/dev/null", O_RDWR | O_CLOEXEC));
    if (!dev_null.valid()) {
      result.error = errno_text("cannot open /dev/null");
      return result;
    }
  }
  const auto or_null = [&](int fd) { return fd >= 0 ? fd : dev_null.get(); };

  bp2::posix::default_launcher launcher;
  try {
    boost::asio::io_context context;
    bp2::error_code error;
    auto process =
        launcher(context.get_executor(), error, bp2::filesystem::path(request.executable.native()), argv_pointer,
                 bp2::process_stdio{or_null(request.stdin_fd), or_null(request.stdout_fd), or_null(request.stderr_fd)},
                 bp2::process_start_dir(
                     bp2::filesystem::path(request.workdir.empty() ? std::string(".") : request.workdir.native())),
                 ChildSetup{environment.data(), &request.extra_fds});
    if (error) {
      result.error = error.message();
    } else {
      result.pid = process.id();
      // The caller waits for the child itself (it needs the raw wait status, and a process object would kill the
      // child when destroyed).
      process.detach();
    }
  } catch (const std::exception& exception) {
    result.error = exception.what();
    result.pid = -1;
  }
  if (result.pid < 0 && launcher.pid > 0) {
    // The child that could not exec the program has exited; collect it.
    while (::waitpid(launcher.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  return result;
}

RunResult run_process(const RunRequest& request) {
  RunResult result;
  Fd out_read, out_write, err_read, err_write, in_read, in_write;
  if (!make_pipe(out_read, out_write) || !make_pipe(err_read, err_write) ||
      (request.input && !make_pipe(in_read, in_write))) {
    result.error = errno_text("cannot create a pipe");
    return result;
  }
  SpawnRequest spawn;
  spawn.executable = request.executable;
  spawn.argv0 = request.argv0;
  spawn.arguments = request.arguments;
  spawn.environment = request.environment;
  spawn.workdir = request.workdir;
  spawn.stdin_fd = request.input ? in_read.get() : request.stdin_fd;
  spawn.stdout_fd = out_write.get();
  spawn.stderr_fd = err_write.get();
  const SpawnResult spawned = spawn_process(spawn);
  // Only the child may hold its ends: the output ends when the last writer closes its copy.
  in_read.reset();
  out_write.reset();
  err_write.reset();
  if (spawned.pid < 0) {
    result.error = spawned.error;
    return result;
  }
  result.started = true;
  const pid_t pid = spawned.pid;
  const Fd pidfd(open_process_fd(pid));
  set_nonblocking(out_read.get());
  set_nonblocking(err_read.get());
  std::size_t input_written = 0;
  if (request.input && request.input->empty()) in_write.reset();
  if (in_write.valid()) set_nonblocking(in_write.get());

  const auto deadline = Clock::now() + request.timeout;
  Clock::time_point kill_at{};
  Clock::time_point drain_until{};
  bool exited = false;
  while (true) {
    if (!exited && has_exited(pid)) exited = true;
    if (exited && drain_until == Clock::time_point{}) {
      ::killpg(pid, SIGKILL);  // leftovers of the group; the zombie still reserves the group id
      drain_until = Clock::now() + kDrainAfterExit;
    }
    if (exited && ((!out_read.valid() && !err_read.valid()) || Clock::now() >= drain_until)) break;
    if (!exited && !result.timed_out && Clock::now() >= deadline) {
      result.timed_out = true;
      kill_at = Clock::now() + request.kill_grace;
      if (request.kill_grace.count() > 0) ::killpg(pid, SIGTERM);
    }
    if (result.timed_out && !exited && Clock::now() >= kill_at) {
      ::killpg(pid, SIGKILL);
      kill_at = Clock::now() + std::chrono::seconds(1);  // sent again each second until the group is gone
    }

    std::array<pollfd, 4> fds{};
    nfds_t count = 0;
    if (out_read.valid()) fds[count++] = {out_read.get(), POLLIN, 0};
    if (err_read.valid()) fds[count++] = {err_read.get(), POLLIN, 0};
    if (in_write.valid()) fds[count++] = {in_write.get(), POLLOUT, 0};
    if (!exited && pidfd.valid()) fds[count++] = {pidfd.get(), POLLIN, 0};
    const Clock::time_point wake = exited ? drain_until : (result.timed_out ? kill_at : deadline);
    int wait_ms = milliseconds_until(wake);
    if (!exited && !pidfd.valid()) wait_ms = std::min(wait_ms, 10);  // no pidfd: look at the child often
    if (::poll(fds.data(), count, wait_ms) < 0 && errno != EINTR) {
      ::killpg(pid, SIGKILL);
      result.error = errno_text("poll failed");
      break;
    }
    for (nfds_t i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      const int fd = fds[i].fd;
      if (fd == out_read.get()) {
        if (!read_into(fd, result.out, request.output_limit)) out_read.reset();
      } else if (fd == err_read.get()) {
        if (!read_into(fd, result.err, request.output_limit)) err_read.reset();
      } else if (fd == in_write.get()) {
        if ((fds[i].revents & POLLOUT) == 0 || !write_some(fd, *request.input, input_written)) in_write.reset();
      } else if (fd == pidfd.get()) {
        exited = true;
      }
    }
  }

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace flowrun::core
