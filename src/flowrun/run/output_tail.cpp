#include "flowrun/run/output_tail.h"

#include <algorithm>

namespace flowrun::run {

void OutputTail::append(std::string_view bytes) {
  std::lock_guard lock(mutex_);
  // Only the last max_lines_ lines can be kept: when this chunk ends more lines than that, everything before the
  // first of them is dropped unread (a byte-by-byte pass over gigabytes of output cost more than masking it).
  std::size_t newlines = 0;
  std::size_t cut = bytes.size();
  while (cut > 0) {
    const auto at = bytes.rfind('\n', cut - 1);
    if (at == std::string_view::npos) break;
    if (++newlines > max_lines_) {
      lines_.clear();
      current_.clear();
      current_truncated_ = false;
      bytes.remove_prefix(at + 1);
      break;
    }
    cut = at;
  }
  while (!bytes.empty()) {
    const auto end = bytes.find('\n');
    const std::string_view part = bytes.substr(0, end);
    const std::size_t room = max_line_length_ - std::min(current_.size(), max_line_length_);
    current_.append(part.substr(0, room));
    if (part.size() > room) current_truncated_ = true;
    if (end == std::string_view::npos) break;
    push_line();
    bytes.remove_prefix(end + 1);
  }
}

void OutputTail::push_line() {
  if (current_truncated_) current_ += "…";
  lines_.push_back(std::move(current_));
  current_.clear();
  current_truncated_ = false;
  while (lines_.size() > max_lines_) lines_.pop_front();
}

std::vector<std::string> OutputTail::lines() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  auto keep = [&out](const std::string& raw) {
    std::string line = plain_text(raw);
    // Lines that were only escape sequences (GitLab's section end markers, colour resets) show nothing to a person.
    if (line.empty() && !raw.empty()) return;
    out.push_back(std::move(line));
  };
  for (const auto& line : lines_) keep(line);
  if (!current_.empty()) keep(current_);
  while (out.size() > max_lines_) out.erase(out.begin());
  return out;
}

std::string plain_text(std::string_view line) {
  auto cr = line.rfind('\r');
  // A trailing '\r' (CRLF output) is not an overwrite.
  if (cr != std::string_view::npos && cr + 1 == line.size()) {
    line.remove_suffix(1);
    cr = line.rfind('\r');
  }
  if (cr != std::string_view::npos) line = line.substr(cr + 1);
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c == 0x1b && i + 1 < line.size()) {
      char kind = line[i + 1];
      if (kind == '[') {  // CSI: parameters, then a final byte in @..~
        std::size_t j = i + 2;
        while (j < line.size() && !(line[j] >= '@' && line[j] <= '~')) ++j;
        i = j;
        continue;
      }
      if (kind == ']') {  // OSC: up to BEL or ESC backslash
        std::size_t j = i + 2;
        while (j < line.size() && line[j] != '\a' && !(line[j] == 0x1b && j + 1 < line.size() && line[j + 1] == '\\'))
          ++j;
        i = (j < line.size() && line[j] == 0x1b) ? j + 1 : j;
        continue;
      }
      ++i;
      continue;
    }
    if (c < 0x20 && c != '\t') continue;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

}  // namespace flowrun::run
