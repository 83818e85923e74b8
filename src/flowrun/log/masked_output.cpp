#include "flowrun/log/sink.h"

namespace flowrun::log {

MaskedOutput::MaskedOutput(std::shared_ptr<const Masker> masker, std::vector<std::unique_ptr<Sink>> sinks)
    : stream_(std::move(masker)), sinks_(std::move(sinks)) {}

void MaskedOutput::write(std::string_view chunk) {
  std::lock_guard<std::mutex> lock(mutex_);
  write_locked(chunk);
}

void MaskedOutput::write_line(std::string_view line) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!at_line_start_) write_locked("\n");
  write_locked(line);
  if (line.empty() || line.back() != '\n') write_locked("\n");
}

void MaskedOutput::flush_partial() {
  std::lock_guard<std::mutex> lock(mutex_);
  masked_.clear();
  stream_.flush_partial(masked_);
  if (!masked_.empty()) sinks_.write(masked_);
  sinks_.flush();
}

void MaskedOutput::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  masked_.clear();
  stream_.flush(masked_);
  if (!masked_.empty()) sinks_.write(masked_);
  sinks_.flush();
}

std::size_t MaskedOutput::pending_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stream_.pending_bytes();
}

void MaskedOutput::write_locked(std::string_view chunk) {
  if (chunk.empty()) return;
  at_line_start_ = chunk.back() == '\n';
  masked_.clear();
  stream_.write(chunk, masked_);
  if (!masked_.empty()) sinks_.write(masked_);
}

}  // namespace flowrun::log
