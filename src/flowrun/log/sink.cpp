#include "flowrun/log/sink.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <system_error>

#include "flowrun/core/sigpipe_shield.h"

namespace flowrun::log {

namespace {

std::string describe_fd(int fd) {
  if (fd == STDOUT_FILENO) return "standard output";
  if (fd == STDERR_FILENO) return "standard error";
  return "file descriptor " + std::to_string(fd);
}

void wait_until_writable(int fd) {
  pollfd entry{fd, POLLOUT, 0};
  while (poll(&entry, 1, -1) < 0 && errno == EINTR) {
  }
}

}  // namespace

FdSink::FdSink(int fd, std::string what)
    : fd_(fd), what_(what.empty() ? describe_fd(fd) : std::move(what)), may_raise_sigpipe_(may_raise_sigpipe(fd)) {}

void FdSink::write(std::string_view bytes) {
  if (failed() || bytes.empty()) return;
  SigpipeShield shield(may_raise_sigpipe_);
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
    if (written > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(written));
      continue;
    }
    const int error = written < 0 ? errno : EIO;
    if (error == EINTR) continue;
    if (error == EAGAIN || error == EWOULDBLOCK) {
      wait_until_writable(fd_);
      continue;
    }
    if (error == EPIPE) shield.discard_raised();
    error_ = "cannot write to " + what_ + ": " + std::strerror(error) +
             (error == EPIPE ? " (its reader has gone away); nothing more is written there" : "");
    return;
  }
}

FileSink::FileSink(int fd, std::filesystem::path path) : FdSink(fd, path.string()), path_(std::move(path)) {}

FileSink::~FileSink() { ::close(fd()); }

FileSink::Opened FileSink::open(const std::filesystem::path& path) {
  const std::string hint = " (choose a writable place for the log file, or check the permissions of its directory)";
  if (path.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) {
      return {nullptr, "cannot create the directory " + path.parent_path().string() + " for the log file " +
                           path.string() + ": " + error.message() + hint};
    }
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0) return {nullptr, "cannot create the log file " + path.string() + ": " + std::strerror(errno) + hint};
  // open() leaves the mode of an existing file as it was.
  if (fchmod(fd, 0600) != 0) {
    const int error = errno;
    ::close(fd);
    return {nullptr, "cannot make the log file " + path.string() +
                         " private to its owner (mode 0600): " + std::strerror(error) + hint};
  }
  return {std::unique_ptr<FileSink>(new FileSink(fd, path)), {}};
}

Sink& TeeSink::add(std::unique_ptr<Sink> sink) {
  sinks_.push_back(std::move(sink));
  return *sinks_.back();
}

void TeeSink::write(std::string_view bytes) {
  for (auto& sink : sinks_) sink->write(bytes);
}

void TeeSink::flush() {
  for (auto& sink : sinks_) sink->flush();
}

}  // namespace flowrun::log
