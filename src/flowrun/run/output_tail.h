#pragma once
// The last lines of the commands' (already masked) output, kept for the note and the report. Bounded memory.
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace flowrun::run {

class OutputTail {
 public:
  explicit OutputTail(std::size_t max_lines = 30, std::size_t max_line_length = 400)
      : max_lines_(max_lines), max_line_length_(max_line_length) {}

  void append(std::string_view bytes);
  // The kept lines, without ANSI escape sequences, GitLab section markers or carriage-return overwrites.
  std::vector<std::string> lines() const;

 private:
  void push_line();

  mutable std::mutex mutex_;
  std::size_t max_lines_;
  std::size_t max_line_length_;
  std::deque<std::string> lines_;
  std::string current_;
  bool current_truncated_ = false;
};

// Removes ANSI escape sequences (CSI and OSC) and keeps only what follows the last '\r' of a line, as a terminal shows
// it.
std::string plain_text(std::string_view line);

}  // namespace flowrun::run
