#include "flowrun/run/dotenv.h"

#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>

namespace flowrun::run {

namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

class Parser {
 public:
  Parser(const std::string& text, const std::string& name) : text_(text), name_(name) {}

  std::variant<std::map<std::string, std::string>, DotenvError> parse() {
    std::map<std::string, std::string> values;
    while (pos_ < text_.size()) {
      skip_blanks();
      if (at_end_of_line()) {
        next_line();
        continue;
      }
      if (text_[pos_] == '#') {
        skip_to_end_of_line();
        continue;
      }
      if (text_.compare(pos_, 7, "export ") == 0) {
        pos_ += 7;
        skip_blanks();
      }
      if (!is_name_start(text_[pos_])) return error("expected a variable name (letters, digits, _)");
      std::size_t start = pos_;
      while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
      std::string name = text_.substr(start, pos_ - start);
      skip_blanks();
      if (pos_ >= text_.size() || text_[pos_] != '=') return error("expected '=' after " + name);
      ++pos_;
      skip_blanks();
      std::string value;
      if (pos_ < text_.size() && text_[pos_] == '\'') {
        auto closing = text_.find('\'', pos_ + 1);
        if (closing == std::string::npos) return error("unterminated single-quoted value of " + name);
        value = text_.substr(pos_ + 1, closing - pos_ - 1);
        advance_to(closing + 1);
      } else if (pos_ < text_.size() && text_[pos_] == '"') {
        auto parsed = double_quoted(name);
        if (!parsed) return error("unterminated double-quoted value of " + name);
        value = *parsed;
      } else {
        std::size_t end = pos_;
        while (end < text_.size() && text_[end] != '\n') {
          if (text_[end] == '#' && end > pos_ && (text_[end - 1] == ' ' || text_[end - 1] == '\t')) break;
          ++end;
        }
        value = text_.substr(pos_, end - pos_);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r'))
          value.pop_back();
        pos_ = end;
      }
      skip_blanks();
      if (pos_ < text_.size() && text_[pos_] == '#') skip_to_end_of_line();
      if (!at_end_of_line()) return error("unexpected text after the value of " + name + " (quote the value)");
      values[name] = value;
      next_line();
    }
    return values;
  }

 private:
  std::optional<std::string> double_quoted(const std::string&) {
    std::string value;
    std::size_t i = pos_ + 1;
    while (i < text_.size()) {
      char c = text_[i];
      if (c == '"') {
        advance_to(i + 1);
        return value;
      }
      if (c == '\\' && i + 1 < text_.size()) {
        char e = text_[i + 1];
        switch (e) {
          case 'n':
            value.push_back('\n');
            break;
          case 't':
            value.push_back('\t');
            break;
          case 'r':
            value.push_back('\r');
            break;
          case '"':
            value.push_back('"');
            break;
          case '\\':
            value.push_back('\\');
            break;
          default:
            value.push_back('\\');
            value.push_back(e);
            break;
        }
        i += 2;
        continue;
      }
      value.push_back(c);
      ++i;
    }
    return std::nullopt;
  }

  void advance_to(std::size_t target) {
    for (; pos_ < target; ++pos_) {
      if (text_[pos_] == '\n') {
        ++line_;
        line_start_ = pos_ + 1;
      }
    }
  }
  void skip_blanks() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool at_end_of_line() const {
    return pos_ >= text_.size() || text_[pos_] == '\n' ||
           (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n');
  }
  void skip_to_end_of_line() {
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
  }
  void next_line() {
    skip_to_end_of_line();
    if (pos_ < text_.size()) {
      ++pos_;
      ++line_;
      line_start_ = pos_;
    }
  }
  DotenvError error(const std::string& what) const {
    std::ostringstream out;
    out << name_ << ":" << line_ << ":" << (pos_ - line_start_ + 1) << ": " << what
        << " (expected lines of the form NAME=value)";
    return DotenvError{out.str()};
  }

  const std::string& text_;
  const std::string& name_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
};

}  // namespace

std::variant<std::map<std::string, std::string>, DotenvError> parse_dotenv(const std::string& text,
                                                                           const std::string& display_name) {
  return Parser(text, display_name).parse();
}

std::variant<std::map<std::string, std::string>, DotenvError> read_dotenv_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return DotenvError{path.string() + ": cannot read the env file (check the path given to --env-file)"};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_dotenv(buffer.str(), path.string());
}

}  // namespace flowrun::run
