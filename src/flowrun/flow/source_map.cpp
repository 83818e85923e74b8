#include "flowrun/flow/source_map.h"

#include <algorithm>

namespace flowrun::flow {

SourceMap::SourceMap(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

LineColumn SourceMap::position_of(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto index = static_cast<std::size_t>(next - line_starts_.begin()) - 1;
  std::size_t from = line_starts_[index];
  int column = 1;
  if (index == cached_line_ && offset >= cached_offset_) {
    from = cached_offset_;
    column = cached_column_;
  }
  column += count_characters(text_.substr(from, offset - from));
  cached_offset_ = offset;
  cached_line_ = index;
  cached_column_ = column;
  return {static_cast<int>(index) + 1, column};
}

LineColumn SourceMap::position_of_line_byte(int line0, int byte_column0) const {
  if (line0 < 0) return {0, 0};
  std::string_view line = line_text(line0 + 1);
  auto bytes = std::min(static_cast<std::size_t>(std::max(byte_column0, 0)), line.size());
  return {line0 + 1, count_characters(line.substr(0, bytes)) + 1 + std::max(byte_column0 - static_cast<int>(bytes), 0)};
}

std::size_t SourceMap::line_start(int line) const {
  if (line < 1) return 0;
  auto index = static_cast<std::size_t>(line - 1);
  return index < line_starts_.size() ? line_starts_[index] : text_.size();
}

std::string_view SourceMap::line_text(int line) const {
  std::size_t start = line_start(line);
  if (start >= text_.size()) return {};
  std::size_t end = text_.find('\n', start);
  if (end == std::string_view::npos) end = text_.size();
  return text_.substr(start, end - start);
}

int count_characters(std::string_view bytes) {
  int count = 0;
  for (unsigned char c : bytes) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace flowrun::flow
