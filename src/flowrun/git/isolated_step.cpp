#include "flowrun/git/isolated_step.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

namespace flowrun::git::detail {
namespace {

// Frames on the pipe: one kind byte ('L' a log line, 'R' the result), 8 bytes of length, the bytes.
void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void write_frame(int fd, char kind, std::string_view bytes) {
  char header[9];
  header[0] = kind;
  const std::uint64_t size = bytes.size();
  std::memcpy(header + 1, &size, sizeof size);
  write_all(fd, header, sizeof header);
  write_all(fd, bytes.data(), bytes.size());
}

[[noreturn]] void run_child(const std::function<std::string(const StepLog&)>& step, int fd) {
  ::signal(SIGTERM, SIG_DFL);
  ::signal(SIGINT, SIG_DFL);
  std::string result;
  try {
    result = step([fd](std::string_view line) { write_frame(fd, 'L', line); });
  } catch (...) {
    ::_exit(2);
  }
  write_frame(fd, 'R', result);
  ::_exit(0);  // no destructors or atexit handlers of the parent's state run twice
}

// Takes the complete frames off the front of `buffer`.
void take_frames(std::string& buffer, const StepLimits& limits, StepRun& run, bool& have_result) {
  while (buffer.size() >= 9) {
    std::uint64_t size = 0;
    std::memcpy(&size, buffer.data() + 1, sizeof size);
    if (buffer.size() < 9 + size) return;
    const std::string_view bytes(buffer.data() + 9, size);
    if (buffer[0] == 'R') {
      run.result = std::string(bytes);
      have_result = true;
    } else if (limits.log) {
      limits.log(bytes);
    }
    buffer.erase(0, 9 + size);
  }
}

// CPU time the child used so far (user + system, in clock ticks); -1 when /proc cannot tell.
long long cpu_ticks(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buffer[1024];
  const ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
  ::close(fd);
  if (n <= 0) return -1;
  buffer[n] = '\0';
  // Fields after the command name (which may hold spaces, so start after its closing parenthesis): state is the
  // 3rd field, utime the 14th, stime the 15th.
  const char* at = std::strrchr(buffer, ')');
  if (at == nullptr) return -1;
  long long utime = 0, stime = 0;
  if (std::sscanf(at + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld", &utime, &stime) != 2) return -1;
  return utime + stime;
}

}  // namespace

StepRun run_isolated(const std::function<std::string(const StepLog&)>& step, const StepLimits& limits) {
  StepRun run;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return run;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return run;
  }
  if (pid == 0) {
    ::close(fds[0]);
    run_child(step, fds[1]);
  }
  ::close(fds[1]);

  std::string buffer;
  bool have_result = false;
  bool open = true;
  auto next_stall_check = Clock::now() + limits.stall_check;
  long long last_ticks = -1;
  char chunk[65536];
  while (open) {
    if (limits.cancelled && limits.cancelled()) {
      run.end = StepRun::End::cancelled;
      break;
    }
    const auto now = Clock::now();
    if (now >= limits.deadline) {
      run.end = StepRun::End::timed_out;
      break;
    }
    if (now >= next_stall_check) {
      // Stalled: no CPU used since the last look (a busy scan of a large tree is not a stall).
      const long long ticks = cpu_ticks(pid);
      if (limits.on_stall && (ticks < 0 || ticks == last_ticks)) limits.on_stall();
      last_ticks = ticks;
      next_stall_check = Clock::now() + limits.stall_check;
    }
    // Short waits: cancellation is a flag, and the stall check must run while the child is stuck.
    const auto wait =
        std::min({limits.deadline - now, next_stall_check - now, Clock::duration(std::chrono::milliseconds(100))});
    pollfd fd{fds[0], POLLIN, 0};
    const int ready =
        ::poll(&fd, 1, static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(wait).count()) + 1);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      open = false;
      break;
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
    take_frames(buffer, limits, run, have_result);
  }
  ::close(fds[0]);
  if (open) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!open && have_result) {
    run.end = StepRun::End::finished;
  } else if (!open) {
    // A SIGTERM to the whole process group reaches the child too: its end is the cancellation's.
    run.end = limits.cancelled && limits.cancelled() ? StepRun::End::cancelled : StepRun::End::crashed;
  }
  return run;
}

}  // namespace flowrun::git::detail
