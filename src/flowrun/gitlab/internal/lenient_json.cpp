#include "flowrun/gitlab/internal/lenient_json.h"

#include <optional>

#include "flowrun/gitlab/internal/json.h"

namespace flowrun::gitlab::internal {

namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool consume(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  // The raw text of the next complete JSON value, or nullopt when it is cut short.
  std::optional<std::string_view> value() {
    skip_space();
    if (at_end()) return std::nullopt;
    const std::size_t start = pos_;
    const char first = text_[pos_];
    if (first == '"') {
      if (!skip_string()) return std::nullopt;
    } else if (first == '{' || first == '[') {
      if (!skip_container()) return std::nullopt;
    } else {
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' && text_[pos_] != ']' &&
             text_[pos_] != ' ' && text_[pos_] != '\n' && text_[pos_] != '\r' && text_[pos_] != '\t')
        ++pos_;
      if (at_end()) return std::nullopt;  // a number cut short would read as a different number
    }
    return text_.substr(start, pos_ - start);
  }

 private:
  bool skip_string() {
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '\\') {
        ++pos_;
      } else if (c == '"') {
        return true;
      }
    }
    return false;
  }

  bool skip_container() {
    int depth = 0;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        if (!skip_string()) return false;
        continue;
      }
      ++pos_;
      if (c == '{' || c == '[')
        ++depth;
      else if ((c == '}' || c == ']') && --depth == 0)
        return true;
    }
    return false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

nlohmann::json salvage_object_members(std::string_view text) {
  nlohmann::json members = nlohmann::json::object();
  Scanner scanner(text);
  if (!scanner.consume('{')) return members;
  while (true) {
    scanner.skip_space();
    if (scanner.at_end() || scanner.peek() != '"') return members;
    auto raw_key = scanner.value();
    if (!raw_key) return members;
    auto key = parse_json(*raw_key);
    if (!key || !key->is_string()) return members;
    if (!scanner.consume(':')) return members;
    auto raw_value = scanner.value();
    if (!raw_value) return members;
    auto value = parse_json(*raw_value);
    if (!value) return members;
    members[key->get<std::string>()] = std::move(*value);
    if (!scanner.consume(',')) return members;
  }
}

}  // namespace flowrun::gitlab::internal
