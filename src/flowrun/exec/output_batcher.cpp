#include "flowrun/exec/output_batcher.h"

namespace flowrun::exec {

void OutputBatcher::add(std::string_view bytes, Clock::time_point now) {
  if (bytes.empty()) return;
  if (hold_.count() <= 0) {
    emit(bytes);
    return;
  }
  const std::size_t last_newline = bytes.rfind('\n');
  if (last_newline != std::string_view::npos) {
    const std::string_view complete = bytes.substr(0, last_newline + 1);
    if (held_.empty()) {
      emit(complete);
    } else {
      held_.append(complete);
      emit(held_);
      held_.clear();
    }
    bytes.remove_prefix(last_newline + 1);
  }
  if (bytes.empty()) return;
  if (held_.empty()) held_since_ = now;
  held_.append(bytes);
  if (held_.size() >= kMaxHeld) flush();
}

void OutputBatcher::flush() {
  if (held_.empty()) return;
  emit(held_);
  held_.clear();
}

std::optional<OutputBatcher::Clock::time_point> OutputBatcher::due() const {
  if (held_.empty()) return std::nullopt;
  return held_since_ + hold_;
}

void OutputBatcher::flush_if_due(Clock::time_point now) {
  if (auto when = due(); when && now >= *when) flush();
}

}  // namespace flowrun::exec
