#include "flowrun/exec/shell_session.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "flowrun/exec/bash_launcher.h"
#include "flowrun/exec/command_markers.h"
#include "flowrun/exec/command_tracker.h"
#include "flowrun/exec/output_batcher.h"
#include "flowrun/exec/reaper.h"
#include "flowrun/exec/runner_script.h"
#include "flowrun/exec/script_source.h"
#include "flowrun/exec/session_processes.h"
#include "flowrun/exec/unique_fd.h"

namespace flowrun::exec {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How often, while processes are being stopped (or without a pidfd), flowrun looks whether they are gone.
constexpr milliseconds kProcessCheckInterval{50};
// How long output is still read once everything of the session is gone: something that escaped it
// (a double fork when flowrun is not a subreaper) may hold the pipe open forever.
constexpr milliseconds kOutputDrainLimit{2000};
// How long processes killed with SIGKILL get to finish exiting (one in uninterruptible sleep may take longer).
constexpr milliseconds kKilledExitLimit{2000};
constexpr std::size_t kReadChunk = 64 * 1024;
// Output read at once when bash exits (a leftover process printing without pause must not hold the loop).
constexpr int kChunksReadAtExit = 64;

std::string errno_text() { return std::strerror(errno); }

milliseconds since(Clock::time_point from, Clock::time_point to = Clock::now()) {
  return std::chrono::duration_cast<milliseconds>(to - from);
}

// waitpid needs SIGCHLD not ignored: with SIG_IGN (or SA_NOCLDWAIT) the kernel discards exit statuses.
void ensure_sigchld_collectable() {
  struct sigaction current {};
  if (::sigaction(SIGCHLD, nullptr, &current) != 0) return;
  const bool ignored = (current.sa_flags & SA_SIGINFO) == 0 && current.sa_handler == SIG_IGN;
  if (!ignored && (current.sa_flags & SA_NOCLDWAIT) == 0) return;
  struct sigaction fallback {};
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  ::sigaction(SIGCHLD, &fallback, nullptr);
}

// A copy of `fd` at kFirstFreeDescriptor or above, so installing the child's descriptors never overwrites one
// that is still to be installed.
UniqueFd above_child_numbers(UniqueFd fd) {
  if (!fd || fd.get() >= kFirstFreeDescriptor) return fd;
  return UniqueFd(::fcntl(fd.get(), F_DUPFD_CLOEXEC, kFirstFreeDescriptor));
}

bool set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

UniqueFd open_pidfd(pid_t pid) {
#if defined(SYS_pidfd_open)
  return UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
#else
  (void)pid;
  return UniqueFd();
#endif
}

std::vector<CommandResult> not_run(const std::vector<std::string>& commands) {
  std::vector<CommandResult> results;
  for (std::size_t index = 0; index < commands.size(); ++index) {
    CommandResult result;
    result.index = index;
    result.first_line = command_title(commands[index]);
    results.push_back(std::move(result));
  }
  return results;
}

// Problems with the request itself, found before anything runs.
std::string check_request(const SessionOptions& options) {
  for (std::size_t index = 0; index < options.commands.size(); ++index) {
    if (options.commands[index].find('\0') != std::string::npos) {
      return "command " + std::to_string(index + 1) + " contains a NUL byte, which bash cannot run; remove it";
    }
  }
  for (const auto& [name, value] : options.environment) {
    if (name.empty() || name.find('=') != std::string::npos || name.find('\0') != std::string::npos) {
      return "the environment has a variable named \"" + name + "\", which is not a valid name; rename it";
    }
    if (value.find('\0') != std::string::npos) {
      return "the environment variable " + name + " contains a NUL byte, which no process can receive";
    }
  }
  std::error_code error;
  if (!std::filesystem::is_directory(options.workdir, error)) {
    return "the working directory " + options.workdir.string() +
           " does not exist or is not a directory; create it or run flowrun from the project's checkout";
  }
  return "";
}

// GitLab Runner's Docker executor does not search PATH: it takes the first of these that exists
// (shells/bash.go, BashDetectShellScript), so $0 and BASH are that path. Elsewhere, PATH as usual.
std::optional<std::filesystem::path> find_runner_bash(const std::map<std::string, std::string>& environment,
                                                      const std::filesystem::path& workdir) {
  for (const char* candidate : {"/usr/local/bin/bash", "/usr/bin/bash", "/bin/bash"}) {
    if (::access(candidate, X_OK) == 0) return std::filesystem::path(candidate);
  }
  return find_executable(kRunnerBash, environment, workdir);
}

std::string bash_not_found(const SessionOptions& options) {
  if (options.bash_path.find('/') != std::string::npos) {
    return "cannot start the commands: there is no executable bash at " + options.bash_path +
           "; point the bash path at an installed bash";
  }
  return "cannot start the commands: \"" + options.bash_path +
         "\" was not found on the PATH of the job (PATH=" + search_path(options.environment) +
         "); flows need bash: use a job image that has it, or fix PATH";
}

// One session from the moment bash runs: reads the output and the markers in it,
// enforces the timeout and cancellation, stops what bash leaves behind, and collects bash's exit status.
class SessionLoop {
 public:
  SessionLoop(const SessionOptions& options, const CancellationToken& cancel, Clock::time_point began, pid_t bash,
              UniqueFd output, const std::string& nonce, SessionProcesses& processes, CommandTracker& tracker)
      : options_(options),
        cancel_(cancel),
        bash_(bash),
        output_(std::move(output)),
        pidfd_(open_pidfd(bash)),
        processes_(processes),
        tracker_(tracker),
        batcher_(options.output_flush_interval, options.on_output),
        scanner_(
            nonce, [this](std::string_view text) { batcher_.add(text, now_); },
            [this](const Marker& marker) { on_marker(marker); }),
        buffer_(kReadChunk) {
    if (options.timeout.count() > 0) deadline_ = began + options.timeout;
  }

  void run();
  void complete(SessionResult& result) const;

 private:
  void tick(Clock::time_point now);
  void wait_for_activity(Clock::time_point now);
  void collect_bash(Clock::time_point now);
  void begin_stop(StopReason reason, Clock::time_point now);
  void stop_leftovers(Clock::time_point now);
  void on_marker(const Marker& marker);
  // Reads one chunk of output; false when none was there.
  bool read_output(Clock::time_point now);
  void end_of_output();
  void emergency_stop();
  bool finished(Clock::time_point now) const {
    return cleanup_done_ && (!output_ || (drain_until_ && now >= *drain_until_));
  }

  const SessionOptions& options_;
  const CancellationToken& cancel_;
  pid_t bash_;
  UniqueFd output_;
  UniqueFd pidfd_;
  SessionProcesses& processes_;
  CommandTracker& tracker_;
  OutputBatcher batcher_;
  MarkerScanner scanner_;
  std::vector<char> buffer_;
  Clock::time_point now_{};  // when the output being scanned was read

  std::optional<Clock::time_point> deadline_;
  StopReason stop_ = StopReason::none;
  bool bash_gone_ = false;
  std::optional<int> wait_status_;  // empty when bash is gone but its status was taken by someone else
  Clock::time_point bash_exited_at_{};
  std::optional<Clock::time_point> term_sent_at_;
  std::optional<Clock::time_point> kill_sent_at_;
  bool cleanup_done_ = false;
  std::optional<Clock::time_point> drain_until_;
};

void SessionLoop::run() {
  try {
    for (;;) {
      const Clock::time_point now = Clock::now();
      tick(now);
      if (finished(now)) break;
      wait_for_activity(now);
    }
  } catch (...) {
    emergency_stop();
    throw;
  }
  scanner_.finish();
  batcher_.flush();
  reap_orphans();
}

void SessionLoop::tick(Clock::time_point now) {
  if (!bash_gone_) collect_bash(now);
  if (!bash_gone_ && stop_ == StopReason::none) {
    if (cancel_.cancelled()) {
      begin_stop(StopReason::cancelled, now);
    } else if (deadline_ && now >= *deadline_) {
      begin_stop(StopReason::timed_out, now);
    }
  }
  if (!cleanup_done_) stop_leftovers(now);
  batcher_.flush_if_due(now);
}

void SessionLoop::collect_bash(Clock::time_point now) {
  int wait_status = 0;
  pid_t collected = -1;
  do {
    collected = ::waitpid(bash_, &wait_status, WNOHANG);
  } while (collected < 0 && errno == EINTR);
  if (collected == 0) return;
  bash_gone_ = true;
  bash_exited_at_ = now;
  if (collected == bash_) wait_status_ = wait_status;
  pidfd_.reset();
  // Markers bash printed before it exited are in the pipe: read what is there now, so the command that was
  // running is known before the leftovers are stopped (their output may follow for a while).
  for (int chunk = 0; chunk < kChunksReadAtExit && read_output(now); ++chunk) {
  }
}

void SessionLoop::begin_stop(StopReason reason, Clock::time_point now) {
  stop_ = reason;
  processes_.signal_all(SIGTERM);
  term_sent_at_ = now;
}

// SIGTERM to what is left of the session, then SIGKILL after a grace period. Runs after a timeout or cancel, and
// also when bash ended by itself but left processes running: in a container they would be gone with the step,
// and nothing of the commands may keep changing the checkout while flowrun commits it.
void SessionLoop::stop_leftovers(Clock::time_point now) {
  if (bash_gone_) reap_orphans();  // bash's status is collected: waitpid(-1) can no longer take it away
  const milliseconds grace = stop_ == StopReason::none ? options_.leftover_grace : options_.kill_grace;
  if (!term_sent_at_) {
    if (!bash_gone_) return;
    if (processes_.any_alive()) {
      processes_.signal_all(SIGTERM);
      term_sent_at_ = now;
      return;
    }
  } else {
    const bool alive = processes_.any_alive();
    if (!kill_sent_at_) {
      if (alive && now < *term_sent_at_ + grace) return;
      if (alive) {
        processes_.signal_all(SIGKILL);
        kill_sent_at_ = now;
        return;
      }
    } else if (alive && now < *kill_sent_at_ + kKilledExitLimit) {
      return;  // killed processes are still exiting; once they are zombies they can be reaped
    }
  }
  if (!bash_gone_) return;
  reap_orphans();
  cleanup_done_ = true;
  drain_until_ = now + kOutputDrainLimit;
}

void SessionLoop::wait_for_activity(Clock::time_point now) {
  std::vector<pollfd> fds;
  auto watch = [&fds](const UniqueFd& fd, short events) {
    if (fd) fds.push_back(pollfd{fd.get(), events, 0});
  };
  watch(output_, POLLIN);
  watch(pidfd_, POLLIN);
  if (stop_ == StopReason::none && !bash_gone_) fds.push_back(pollfd{cancel_.wait_fd(), POLLIN, 0});

  std::optional<Clock::time_point> wake;
  auto wake_by = [&wake](std::optional<Clock::time_point> when) {
    if (when && (!wake || *when < *wake)) wake = when;
  };
  if (stop_ == StopReason::none && !bash_gone_) wake_by(deadline_);
  wake_by(batcher_.due());
  wake_by(drain_until_);
  const bool checking_processes = (term_sent_at_ || bash_gone_) && !cleanup_done_;
  if (checking_processes || (!bash_gone_ && !pidfd_)) wake_by(now + kProcessCheckInterval);

  int timeout_ms = -1;
  if (wake) timeout_ms = static_cast<int>(std::max<std::int64_t>(0, (since(now, *wake) + milliseconds(1)).count()));
  const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
  if (ready <= 0) return;  // timeout, or EINTR: the next tick looks at everything again

  const Clock::time_point after = Clock::now();
  for (const pollfd& fd : fds) {
    if (fd.revents == 0) continue;
    if (output_ && fd.fd == output_.get()) read_output(after);
  }
}

void SessionLoop::on_marker(const Marker& marker) {
  // A marker seen after the stop began still counts: bash printed it before it was stopped.
  if (!tracker_.start(marker, now_)) return;
  batcher_.flush();  // everything before the echo line goes out before on_command_start
  if (options_.on_command_start) options_.on_command_start(marker.index);
}

bool SessionLoop::read_output(Clock::time_point now) {
  while (output_) {
    const ssize_t count = ::read(output_.get(), buffer_.data(), buffer_.size());
    if (count < 0 && errno == EINTR) continue;
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
    if (count <= 0) {
      end_of_output();
      return false;
    }
    now_ = now;
    scanner_.feed(std::string_view(buffer_.data(), static_cast<std::size_t>(count)));
    return true;
  }
  return false;
}

void SessionLoop::end_of_output() {
  output_.reset();  // every writer has gone
  scanner_.finish();
  batcher_.flush();
}

void SessionLoop::emergency_stop() {
  processes_.signal_all(SIGKILL);
  if (!bash_gone_) {
    while (::waitpid(bash_, nullptr, 0) < 0 && errno == EINTR) {
    }
    bash_gone_ = true;
  }
  reap_orphans();
}

void SessionLoop::complete(SessionResult& result) const {
  const ShellExit exit = wait_status_ ? ShellExit::from_wait_status(*wait_status_) : ShellExit{};
  tracker_.complete(result, exit, stop_, bash_exited_at_);
}

}  // namespace

SessionResult run_session(const SessionOptions& options, const CancellationToken& cancel) {
  const Clock::time_point began = Clock::now();
  SessionResult result;
  result.commands = not_run(options.commands);
  auto failed_to_start = [&](std::string error) {
    result.outcome = SessionOutcome::failed_to_start;
    result.error = std::move(error);
    result.duration = since(began);
    return result;
  };

  if (cancel.cancelled()) {
    result.outcome = SessionOutcome::cancelled;
    result.error = "cancelled before the commands started";
    return result;
  }
  if (std::string problem = check_request(options); !problem.empty()) return failed_to_start(problem);
  const auto bash = options.bash_path == kRunnerBash
                        ? find_runner_bash(options.environment, options.workdir)
                        : find_executable(options.bash_path, options.environment, options.workdir);
  if (!bash) return failed_to_start(bash_not_found(options));

  ensure_sigchld_collectable();

  int output_pipe[2];
  if (::pipe2(output_pipe, O_CLOEXEC) != 0) return failed_to_start("cannot create the output pipe: " + errno_text());
  UniqueFd output_read(output_pipe[0]);
  UniqueFd output_write = above_child_numbers(UniqueFd(output_pipe[1]));
  const std::string nonce = make_marker_nonce();
  ScriptSource script = make_script_source(build_runner_script(options.commands, ScriptOptions{options.color, nonce}));
  if (!script.fd) return failed_to_start(script.error);
  UniqueFd script_read = above_child_numbers(std::move(script.fd));
  if (!output_write || !script_read || !set_nonblocking(output_read.get())) {
    return failed_to_start("cannot set up the descriptors for bash: " + errno_text());
  }

  SessionProcesses processes;  // before bash starts: children flowrun has now are not the session's
  ShellLaunch launch;
  launch.executable = *bash;
  launch.environment = &options.environment;
  launch.workdir = options.workdir;
  launch.stdin_fd = script_read.get();
  launch.output_fd = output_write.get();
  const LaunchResult launched = launch_shell(launch);
  if (launched.pid < 0) {
    return failed_to_start("cannot start bash (" + bash->string() + ") in " + options.workdir.string() + ": " +
                           launched.error);
  }
  processes.set_leader(launched.pid);
  // Only bash may hold the child's ends: the output ends when the last writer closes its copy.
  output_write.reset();
  script_read.reset();

  CommandTracker tracker(options.commands);
  SessionLoop loop(options, cancel, began, launched.pid, std::move(output_read), nonce, processes, tracker);
  loop.run();
  loop.complete(result);
  result.duration = since(began);
  return result;
}

}  // namespace flowrun::exec
