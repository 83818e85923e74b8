#pragma once
// Hands the shell's output on in useful pieces with bounded memory: complete lines go on as soon as they arrive,
// an unfinished last line (a prompt, a progress bar, `printf abc`) waits at most `hold` for the rest of it.
// At most kMaxHeld bytes are ever kept.
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace flowrun::exec {

class OutputBatcher {
 public:
  using Clock = std::chrono::steady_clock;
  using Sink = std::function<void(std::string_view)>;
  static constexpr std::size_t kMaxHeld = 64 * 1024;

  // `hold` 0: every piece goes on at once. `sink` may be empty (output is then dropped).
  OutputBatcher(std::chrono::milliseconds hold, Sink sink) : hold_(hold), sink_(std::move(sink)) {}

  void add(std::string_view bytes, Clock::time_point now);
  // Hands on whatever is held, now.
  void flush();
  // When the held unfinished line is due, if one is held.
  std::optional<Clock::time_point> due() const;
  void flush_if_due(Clock::time_point now);

 private:
  void emit(std::string_view bytes) {
    if (sink_ && !bytes.empty()) sink_(bytes);
  }

  std::chrono::milliseconds hold_;
  Sink sink_;
  std::string held_;
  Clock::time_point held_since_{};
};

}  // namespace flowrun::exec
