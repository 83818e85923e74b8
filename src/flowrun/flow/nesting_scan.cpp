#include "flowrun/flow/nesting_scan.h"

#include <cstddef>
#include <vector>

namespace flowrun::flow {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Reads the text line by line, keeping what it needs to know across lines: open flow brackets, an open quoted
// scalar, a block scalar being skipped, and the stack of block collections by column.
class NestingScanner {
 public:
  NestingScanner(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

  std::optional<LineColumn> run() {
    std::size_t start = 0;
    int line_number = 1;
    while (start <= text_.size() && !found_) {
      std::size_t end = text_.find('\n', start);
      if (end == std::string_view::npos) end = text_.size();
      scan_line(text_.substr(start, end - start), line_number);
      if (end == text_.size()) break;
      start = end + 1;
      ++line_number;
    }
    return found_;
  }

 private:
  enum class Kind { sequence, mapping };
  struct Block {
    std::size_t column;
    Kind kind;
  };

  void scan_line(std::string_view line, int line_number) {
    line_ = line;
    line_number_ = line_number;
    std::size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    const bool blank = indent == line.size() || is_blank_rest(indent);

    if (block_scalar_parent_) {
      if (blank || static_cast<long>(indent) > *block_scalar_parent_) return;
      block_scalar_parent_.reset();
    }
    if (quote_ != 0 || flow_depth_ > 0) {
      scan_flow_or_quote(0);
      return;
    }
    if (blank || line[indent] == '#') return;
    if (indent == 0 && (line.substr(0, 3) == "---" || line.substr(0, 3) == "...")) {
      blocks_.clear();
      if (line.size() > 3 && line[3] == ' ') scan_value(4, -1);
      return;
    }
    if (indent == 0 && line[0] == '%') return;  // a directive

    while (!blocks_.empty() && blocks_.back().column > indent) blocks_.pop_back();
    std::size_t at = indent;
    long parent_column = static_cast<long>(indent) - 1;
    while (at < line.size() && !found_) {
      char c = line[at];
      bool indicator_alone = at + 1 == line.size() || is_blank(line[at + 1]);
      if ((c == '-' || c == '?') && indicator_alone) {
        enter_block(at, c == '-' ? Kind::sequence : Kind::mapping);
        parent_column = static_cast<long>(at);
        at = skip_blanks(at + 1);
        continue;
      }
      std::size_t colon = find_mapping_colon(at);
      if (colon == std::string_view::npos) break;
      enter_block(at, Kind::mapping);
      parent_column = static_cast<long>(at);
      at = skip_blanks(colon + 1);
      break;
    }
    if (!found_) scan_value(at, parent_column);
  }

  bool is_blank_rest(std::size_t from) const {
    for (std::size_t i = from; i < line_.size(); ++i) {
      if (!is_blank(line_[i])) return false;
    }
    return true;
  }

  std::size_t skip_blanks(std::size_t at) const {
    while (at < line_.size() && is_blank(line_[at])) ++at;
    return at;
  }

  // A block collection starts at `column`: a new level unless it continues the collection already there.
  void enter_block(std::size_t column, Kind kind) {
    while (!blocks_.empty() && blocks_.back().column == column && blocks_.back().kind != kind) {
      // `key:` followed by `- item` at the same column is a sequence inside the mapping; a `key:` after such
      // items ends that sequence.
      if (kind == Kind::sequence) break;
      blocks_.pop_back();
    }
    if (!blocks_.empty() && blocks_.back().column == column && blocks_.back().kind == kind) return;
    blocks_.push_back({column, kind});
    check_depth(column);
  }

  void check_depth(std::size_t column) {
    if (static_cast<int>(blocks_.size()) + flow_depth_ > max_depth_ && !found_) {
      found_ = LineColumn{line_number_, count_characters(line_.substr(0, column)) + 1};
    }
  }

  // The `:` that makes the text at `from` a mapping key (followed by a blank or the line's end), skipping
  // quoted keys; npos when the line is no `key: value`.
  std::size_t find_mapping_colon(std::size_t from) const {
    std::size_t i = from;
    if (i < line_.size() && (line_[i] == '"' || line_[i] == '\'')) {
      i = end_of_quoted_key(i);
      if (i == std::string_view::npos) return i;
    }
    for (; i < line_.size(); ++i) {
      char c = line_[i];
      if (c == '#' && i > from && is_blank(line_[i - 1])) return std::string_view::npos;
      if ((c == '[' || c == '{') && i == from) return std::string_view::npos;
      if (c == ':' && (i + 1 == line_.size() || is_blank(line_[i + 1]))) return i;
    }
    return std::string_view::npos;
  }

  std::size_t end_of_quoted_key(std::size_t open) const {
    char quote = line_[open];
    for (std::size_t i = open + 1; i < line_.size(); ++i) {
      if (quote == '"' && line_[i] == '\\') {
        ++i;
      } else if (line_[i] == quote) {
        if (quote == '\'' && i + 1 < line_.size() && line_[i + 1] == '\'') {
          ++i;
        } else {
          return i + 1;
        }
      }
    }
    return std::string_view::npos;
  }

  // What follows the indicators on a line: properties, then a block scalar, a flow collection, a quoted
  // scalar or plain text.
  void scan_value(std::size_t at, long parent_column) {
    while (at < line_.size() && (line_[at] == '&' || line_[at] == '!')) {
      while (at < line_.size() && !is_blank(line_[at])) ++at;
      at = skip_blanks(at);
    }
    if (at >= line_.size()) return;
    char c = line_[at];
    if (c == '|' || c == '>') {
      block_scalar_parent_ = parent_column;
      return;
    }
    if (c == '[' || c == '{' || c == '"' || c == '\'') scan_flow_or_quote(at);
  }

  // Flow collections and quoted scalars, which may run over several lines.
  void scan_flow_or_quote(std::size_t from) {
    for (std::size_t i = from; i < line_.size() && !found_; ++i) {
      char c = line_[i];
      if (quote_ != 0) {
        if (quote_ == '"' && c == '\\') {
          ++i;
        } else if (c == quote_) {
          if (quote_ == '\'' && i + 1 < line_.size() && line_[i + 1] == '\'') {
            ++i;
          } else {
            quote_ = 0;
            if (flow_depth_ == 0) return;  // a quoted block value ends here; the rest is a comment at most
          }
        }
        continue;
      }
      bool token_start = i == from || is_blank(line_[i - 1]) || line_[i - 1] == '[' || line_[i - 1] == '{' ||
                         line_[i - 1] == ',' || line_[i - 1] == ':';
      if (c == '#' && (i == 0 || is_blank(line_[i - 1]))) return;
      if ((c == '"' || c == '\'') && token_start) {
        quote_ = c;
      } else if (c == '[' || c == '{') {
        ++flow_depth_;
        check_depth(i);
      } else if ((c == ']' || c == '}') && flow_depth_ > 0) {
        --flow_depth_;
      }
    }
  }

  std::string_view text_;
  int max_depth_;
  std::string_view line_;
  int line_number_ = 0;
  std::vector<Block> blocks_;
  int flow_depth_ = 0;
  char quote_ = 0;
  std::optional<long> block_scalar_parent_;
  std::optional<LineColumn> found_;
};

}  // namespace

std::optional<LineColumn> find_excessive_nesting(std::string_view text, int max_depth) {
  return NestingScanner(text, max_depth).run();
}

}  // namespace flowrun::flow
