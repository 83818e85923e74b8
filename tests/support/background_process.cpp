#include "support/background_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "support/child_process.h"

namespace flowrun::testing {

struct BackgroundProcess::Impl {
  ChildProcess child;
  UniqueFd wake_read;  // the reader thread stops when this becomes readable
  UniqueFd wake_write;
  mutable std::mutex mutex;
  std::condition_variable changed;
  std::string out;
  std::string err;
  bool out_closed = false;
  bool stopped = false;
  std::thread reader;

  void read_output() {
    bool out_open = true;
    bool err_open = true;
    while (out_open || err_open) {
      std::vector<pollfd> fds{{wake_read.get(), POLLIN, 0}};
      if (out_open) fds.push_back({child.stdout_fd.get(), POLLIN, 0});
      if (err_open) fds.push_back({child.stderr_fd.get(), POLLIN, 0});
      if (::poll(fds.data(), fds.size(), -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      bool wake = fds[0].revents != 0;
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        bool is_out = fds[i].fd == child.stdout_fd.get();
        char buffer[16384];
        ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
        std::lock_guard lock(mutex);
        if (got > 0) {
          (is_out ? out : err).append(buffer, static_cast<std::size_t>(got));
        } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
          (is_out ? out_open : err_open) = false;
          if (is_out) out_closed = true;
        }
        changed.notify_all();
      }
      if (wake) break;
    }
    std::lock_guard lock(mutex);
    out_closed = true;
    changed.notify_all();
  }
};

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::map<std::string, std::string>& env, const std::filesystem::path& cwd)
    : impl_(std::make_unique<Impl>()) {
  impl_->child = spawn_child(argv, env, cwd);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    ::killpg(impl_->child.pid, SIGKILL);
    reap(impl_->child);
    throw std::runtime_error("pipe2 failed while starting " + argv[0]);
  }
  impl_->wake_read = UniqueFd(fds[0]);
  impl_->wake_write = UniqueFd(fds[1]);
  impl_->reader = std::thread([impl = impl_.get()] { impl->read_output(); });
}

BackgroundProcess::~BackgroundProcess() { stop(); }

std::optional<std::string> BackgroundProcess::wait_for_line(const std::string& prefix,
                                                            std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  std::optional<std::string> found;
  auto look = [&] {
    std::size_t start = 0;
    for (std::size_t end; (end = impl_->out.find('\n', start)) != std::string::npos; start = end + 1) {
      std::string line = impl_->out.substr(start, end - start);
      if (line.rfind(prefix, 0) == 0) {
        found = line;
        return true;
      }
    }
    return impl_->out_closed;
  };
  impl_->changed.wait_for(lock, timeout, look);
  return found;
}

std::string BackgroundProcess::stdout_text() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->out;
}

std::string BackgroundProcess::stderr_text() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->err;
}

bool BackgroundProcess::exited() const {
  return impl_->child.pid < 0 || wait_for_exit(impl_->child, std::chrono::milliseconds(0));
}

void BackgroundProcess::stop(std::chrono::milliseconds grace) {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->child.stdin_fd.reset();
  ::killpg(impl_->child.pid, SIGTERM);
  if (!wait_for_exit(impl_->child, grace)) {
    ::killpg(impl_->child.pid, SIGKILL);
    wait_for_exit(impl_->child, std::chrono::seconds(5));
  }
  // Children the program left in its group (git http-backend) go too; the zombie still reserves the group id.
  ::killpg(impl_->child.pid, SIGKILL);
  reap(impl_->child);
  char wake = 1;
  [[maybe_unused]] auto written = ::write(impl_->wake_write.get(), &wake, 1);
  impl_->reader.join();
}

}  // namespace flowrun::testing
