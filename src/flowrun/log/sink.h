#pragma once
// Where output goes: the terminal (or the job log, which is the runner reading our stdout), the log file, and anything
// else that wants a copy. Sinks receive bytes that are already masked: flowrun writes through a MaskedOutput.
//
// A sink never throws for an I/O error and never kills the process: logging must not be the reason a run fails. It
// stops writing and remembers the first error instead.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/log/masker.h"

namespace flowrun::log {

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void write(std::string_view bytes) = 0;
  virtual void flush() {}
};

// Writes to a file descriptor it does not own: loops over partial writes, retries on EINTR, waits when the descriptor
// is non-blocking and full. A reader gone away (EPIPE) or any other error stops it; SIGPIPE is kept from killing us
// without changing how the commands we start handle it.
class FdSink : public Sink {
 public:
  // `what` names the destination in error messages; by default "standard output", "standard error" or "file
  // descriptor N".
  explicit FdSink(int fd, std::string what = {});
  void write(std::string_view bytes) override;

  // Whether writing stopped on an error, and the error ("cannot write to standard output: Broken pipe").
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

 protected:
  int fd() const { return fd_; }

 private:
  int fd_;
  std::string what_;
  bool may_raise_sigpipe_;
  std::string error_;
};

// A log file, created (with missing parent directories) or truncated, readable by its owner only (0600): even masked,
// a job's output is not for every user of the machine.
class FileSink : public FdSink {
 public:
  struct Opened {
    std::unique_ptr<FileSink> sink;  // null on error
    std::string error;               // what went wrong and what to do
  };
  static Opened open(const std::filesystem::path& path);

  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  FileSink(int fd, std::filesystem::path path);
  std::filesystem::path path_;
};

// Hands every write to a function (a tail buffer, a test).
class CallbackSink : public Sink {
 public:
  explicit CallbackSink(std::function<void(std::string_view)> callback) : callback_(std::move(callback)) {}
  void write(std::string_view bytes) override { callback_(bytes); }

 private:
  std::function<void(std::string_view)> callback_;
};

// Writes to several sinks, in the order they were added.
class TeeSink : public Sink {
 public:
  TeeSink() = default;
  explicit TeeSink(std::vector<std::unique_ptr<Sink>> sinks) : sinks_(std::move(sinks)) {}
  Sink& add(std::unique_ptr<Sink> sink);
  void write(std::string_view bytes) override;
  void flush() override;
  std::size_t size() const { return sinks_.size(); }

 private:
  std::vector<std::unique_ptr<Sink>> sinks_;
};

// Everything flowrun writes (the commands' output from the pump thread, its own messages from the logger) goes through
// one MaskingStream into the sinks, under one lock, so it is masked and stays in order. Sinks must not log.
class MaskedOutput {
 public:
  MaskedOutput(std::shared_ptr<const Masker> masker, std::vector<std::unique_ptr<Sink>> sinks);

  void write(std::string_view chunk);
  // flowrun's own line: starts on a line of its own even when the commands left one unfinished, ends with a newline.
  void write_line(std::string_view line);
  // For a timer: emits what is not held back (write() already does), and flushes the sinks.
  void flush_partial();
  // End of output: emits everything held back, masked, and flushes the sinks.
  void finish();
  std::size_t pending_bytes() const;

 private:
  void write_locked(std::string_view chunk);

  mutable std::mutex mutex_;
  MaskingStream stream_;
  TeeSink sinks_;
  std::string masked_;         // reused for each write
  bool at_line_start_ = true;  // the last byte written ended a line
};

}  // namespace flowrun::log
