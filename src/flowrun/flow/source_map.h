#pragma once
// Byte offsets of a flow file's text turned into the 1-based line and column people see in an editor.
#include <cstddef>
#include <string_view>
#include <vector>

namespace flowrun::flow {

struct LineColumn {
  int line = 0;    // 1-based
  int column = 0;  // 1-based, counted in characters (UTF-8 code points), as editors count them
};

// Positions are asked for in increasing order while a file is read: the map remembers the last one, so that a
// long line with many nodes costs one pass, not one pass per node. Not for use from several threads at once.
class SourceMap {
 public:
  explicit SourceMap(std::string_view text);

  // Position of the byte at `offset` (an offset at the end of the text points just past the last character).
  LineColumn position_of(std::size_t offset) const;
  // Position of a 0-based line and 0-based byte column, as yaml-cpp's marks give them.
  LineColumn position_of_line_byte(int line0, int byte_column0) const;
  // Byte offset of the first byte of 1-based `line`; the text size for a line past the end.
  std::size_t line_start(int line) const;
  // The text of 1-based `line`, without its line break ('\r' of a CRLF ending included).
  std::string_view line_text(int line) const;
  // Lines, counting the empty line after a final line break (where an "unexpected end" points).
  int line_count() const { return static_cast<int>(line_starts_.size()); }
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  std::vector<std::size_t> line_starts_;
  // The last position computed: byte offset, 0-based line index, and 1-based column.
  mutable std::size_t cached_offset_ = 0;
  mutable std::size_t cached_line_ = 0;
  mutable int cached_column_ = 1;
};

// Characters (UTF-8 code points) in `bytes`: continuation bytes are not counted.
int count_characters(std::string_view bytes);

}  // namespace flowrun::flow
