#include "flowrun/flow/shell_syntax.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <variant>

#include "flowrun/core/environment.h"
#include "flowrun/core/process.h"
#include "flowrun/core/text.h"
#include "flowrun/flow/secret_checks.h"

namespace flowrun::flow {

// =============================================================================================================
// Reading shell text
// =============================================================================================================

namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_special_parameter(char c) { return std::strchr("@*#?$!-", c) != nullptr && c != '\0'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool ends_word(char c) {
  return is_blank(c) || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>';
}

// Words that open or close a compound command when they start a command; they are not command names.
bool is_leading_reserved_word(std::string_view word) {
  static constexpr std::array<std::string_view, 14> kWords{"if",    "then",  "else", "elif", "fi", "do",   "done",
                                                           "while", "until", "!",    "{",    "}",  "time", "esac"};
  return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
}

// `NAME=`, `NAME+=`, `NAME[i]=` at the start of a word's raw text.
bool is_assignment_text(std::string_view raw) {
  if (raw.empty() || !is_name_start(raw[0])) return false;
  std::size_t i = 1;
  while (i < raw.size() && is_name_char(raw[i])) ++i;
  if (i < raw.size() && raw[i] == '[') {
    const auto close = raw.find(']', i);
    if (close == std::string_view::npos) return false;
    i = close + 1;
  }
  if (i < raw.size() && raw[i] == '+') ++i;
  return i < raw.size() && raw[i] == '=';
}

// Absurdly nested text (thousands of `$(`) is read no deeper than this, so the scan cannot exhaust the stack.
constexpr int kMaxNesting = 100;

class Lexer {
 public:
  Lexer(std::string_view text, ShellScan& scan, int nesting) : text_(text), scan_(scan), nesting_(nesting) {}

  void scan_all() { lex_list(0, Stop::end_of_text); }

  // A here-document body with expansions: `$` and backquotes expand, everything else is text.
  void scan_heredoc_body(std::size_t from, int depth) {
    pos_ = from;
    ShellWord sink;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\\') {
        pos_ += 2;
      } else if (c == '$') {
        lex_dollar(sink, depth, true);
      } else if (c == '`') {
        lex_backquote(sink, depth);
      } else {
        ++pos_;
      }
    }
  }

 private:
  enum class Stop { end_of_text, paren, backquote };

  // Every reading function that can call itself again, directly or not, holds one of these: past kMaxNesting
  // levels the rest of the text is skipped.
  class Deeper {
   public:
    explicit Deeper(Lexer& lexer) : lexer_(lexer) { ++lexer_.nesting_; }
    ~Deeper() { --lexer_.nesting_; }
    Deeper(const Deeper&) = delete;
    Deeper& operator=(const Deeper&) = delete;
    // When too deep, gives up on the rest of the text.
    bool too_deep() const {
      if (lexer_.nesting_ <= kMaxNesting) return false;
      lexer_.pos_ = lexer_.text_.size();
      return true;
    }

   private:
    Lexer& lexer_;
  };

  bool at(std::size_t i, char c) const { return i < text_.size() && text_[i] == c; }
  std::string_view raw(std::size_t from, std::size_t to) const { return text_.substr(from, to - from); }

  void note_unclosed(std::size_t offset) {
    if (!scan_.unclosed_quote) scan_.unclosed_quote = offset;
  }

  void record_reference(std::string name, std::size_t offset, int depth, bool assigns_default = false) {
    VariableReference ref;
    ref.name = std::move(name);
    ref.offset = offset;
    ref.depth = depth;
    ref.in_arithmetic = in_arithmetic_;
    ref.assigns_default = assigns_default;
    scan_.references.push_back(std::move(ref));
  }

  // Reads commands until the end of the text, or until the `)` / backquote that closes a substitution.
  // Returns false when the text ended first.
  bool lex_list(int depth, Stop stop) {
    const Deeper deeper(*this);
    if (deeper.too_deep()) return false;
    const bool outer_arithmetic = in_arithmetic_;
    in_arithmetic_ = false;
    SimpleCommand command;
    command.depth = depth;
    std::optional<std::size_t> pipe_source;

    auto finish = [&](bool piped) {
      const bool empty = command.words.empty() && command.assignments.empty() && command.redirections.empty();
      if (!empty) {
        const std::size_t index = scan_.commands.size();
        for (std::size_t r = 0; r < command.redirections.size(); ++r) {
          const auto& op = command.redirections[r].op;
          if (op == "<<" || op == "<<-") pending_heredocs_.push_back({index, r});
        }
        if (pipe_source) scan_.commands[*pipe_source].pipes_into = index;
        command.output_piped = piped;
        scan_.commands.push_back(std::move(command));
        pipe_source = piped ? std::optional<std::size_t>(index) : std::nullopt;
      } else if (!piped) {
        pipe_source.reset();
      }
      command = SimpleCommand{};
      command.depth = depth;
    };

    bool closed = stop == Stop::end_of_text;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (is_blank(c)) {
        ++pos_;
      } else if (c == '\\' && at(pos_ + 1, '\n')) {
        pos_ += 2;
      } else if (c == '\n') {
        finish(false);
        ++pos_;
        read_heredoc_bodies();
      } else if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (c == ')' && stop == Stop::paren) {
        ++pos_;
        closed = true;
        break;
      } else if (c == '`' && stop == Stop::backquote) {
        ++pos_;
        closed = true;
        break;
      } else if (c == ';') {
        finish(false);
        ++pos_;
        if (at(pos_, ';')) ++pos_;
        if (at(pos_, '&')) ++pos_;
      } else if (c == '&') {
        if (at(pos_ + 1, '>')) {
          lex_redirection(command, depth, -1);
        } else {
          finish(false);
          pos_ += at(pos_ + 1, '&') ? 2 : 1;
        }
      } else if (c == '|') {
        if (at(pos_ + 1, '|')) {
          finish(false);
          pos_ += 2;
        } else {
          finish(true);
          pos_ += at(pos_ + 1, '&') ? 2 : 1;
        }
      } else if (c == '(') {
        const bool at_command_start = command.words.empty() && command.assignments.empty();
        if (at_command_start && at(pos_ + 1, '(')) {
          ShellWord arithmetic;
          lex_arithmetic(arithmetic, depth, 2);
        } else if (at_command_start) {
          ++pos_;
          pipe_source.reset();  // what a subshell's output goes to is not followed
          lex_list(depth, Stop::paren);
        } else {
          ++pos_;  // `name()` of a function definition
        }
      } else if (c == ')') {
        finish(false);  // the `)` of a case pattern, or a stray one
        ++pos_;
      } else if ((c == '<' || c == '>') && !at(pos_ + 1, '(')) {
        lex_redirection(command, depth, c == '<' ? 0 : 1);
      } else {
        ShellWord word = lex_word(depth);
        const std::string_view word_raw = raw(word.offset, word.end);
        const bool descriptor = !word_raw.empty() && word_raw.size() <= 2 &&
                                std::all_of(word_raw.begin(), word_raw.end(), is_digit) &&
                                (at(pos_, '<') || at(pos_, '>')) && !at(pos_ + 1, '(');
        if (descriptor) {
          lex_redirection(command, depth, std::stoi(std::string(word_raw)));
        } else if (command.words.empty() && word.literal && word_raw == word.value &&
                   is_leading_reserved_word(word.value)) {
          // `if`, `then`, `!` ... belong to the compound command, not to the simple command that follows
        } else if (command.words.empty() && is_assignment_text(word_raw)) {
          command.assignments.push_back(std::move(word));
        } else if (word.end > word.offset) {
          command.words.push_back(std::move(word));
        } else {
          ++pos_;  // nothing could be read here: move on rather than loop
        }
      }
    }
    finish(false);
    in_arithmetic_ = outer_arithmetic;
    return closed;
  }

  void lex_redirection(SimpleCommand& command, int depth, int fd) {
    Redirection redirection;
    redirection.fd = fd;
    auto take = [&](std::string_view op) {
      if (text_.compare(pos_, op.size(), op) != 0) return false;
      redirection.op = std::string(op);
      pos_ += op.size();
      return true;
    };
    static constexpr std::array<std::string_view, 12> kOperators{"&>>", "&>", "<<<", "<<-", "<<", "<&",
                                                                 "<>",  "<",  ">>",  ">|",  ">&", ">"};
    for (const auto op : kOperators) {
      if (take(op)) break;
    }
    if (redirection.op.starts_with("&")) redirection.fd = -1;
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && !ends_word(text_[pos_])) {
      redirection.target = lex_word(depth);
    }
    if (redirection.op == "<<" || redirection.op == "<<-") {
      const auto delimiter_raw = raw(redirection.target.offset, redirection.target.end);
      redirection.body_expands = delimiter_raw.find_first_of("'\"\\") == std::string_view::npos;
    }
    command.redirections.push_back(std::move(redirection));
  }

  void read_heredoc_bodies() {
    auto pending = std::move(pending_heredocs_);
    pending_heredocs_.clear();
    for (const auto& [command_index, redirection_index] : pending) {
      const int depth = scan_.commands[command_index].depth;
      const Redirection& heredoc = scan_.commands[command_index].redirections[redirection_index];
      const bool strip_tabs = heredoc.op == "<<-";
      const std::string delimiter = heredoc.target.value;
      const bool expands = heredoc.body_expands;
      const std::size_t body_offset = pos_;
      std::size_t body_end = text_.size();
      while (pos_ < text_.size()) {
        std::size_t line_end = text_.find('\n', pos_);
        if (line_end == std::string_view::npos) line_end = text_.size();
        std::string_view line = raw(pos_, line_end);
        if (strip_tabs) {
          while (!line.empty() && line.front() == '\t') line.remove_prefix(1);
        }
        if (line == delimiter) {
          body_end = pos_;
          pos_ = std::min(line_end + 1, text_.size());
          break;
        }
        pos_ = std::min(line_end + 1, text_.size());
      }
      Redirection& stored = scan_.commands[command_index].redirections[redirection_index];
      stored.body_offset = body_offset;
      stored.body_end = body_end;
      // Scanning the body may add commands (from its substitutions), so no reference into them is held here.
      if (expands && body_end > body_offset) {
        Lexer body(text_.substr(0, body_end), scan_, nesting_);
        body.scan_heredoc_body(body_offset, depth);
      }
    }
  }

  ShellWord lex_word(int depth) {
    ShellWord word;
    word.offset = pos_;
    if ((at(pos_, '<') || at(pos_, '>')) && at(pos_ + 1, '(')) {  // process substitution <(...) / >(...)
      pos_ += 2;
      lex_list(depth + 1, Stop::paren);
      word.value.append(raw(word.offset, pos_));
      word.literal = false;
    }
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '(' && pos_ > word.offset && opens_group(word.offset)) {
        lex_group(word, depth);
      } else if (ends_word(c)) {
        break;
      } else {
        lex_word_part(word, depth);
      }
    }
    word.end = pos_;
    return word;
  }

  // `@(a|b)` and friends (extglob), and `NAME=(a b)` (an array): the parentheses belong to the word.
  bool opens_group(std::size_t word_start) const {
    const char before = text_[pos_ - 1];
    if (std::strchr("@!+*?", before) != nullptr) return true;
    return before == '=' && is_assignment_text(raw(word_start, pos_));
  }

  void lex_group(ShellWord& word, int depth) {
    const Deeper deeper(*this);
    if (deeper.too_deep()) return;
    int level = 0;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '(' || c == ')') {
        level += c == '(' ? 1 : -1;
        word.value += c;
        ++pos_;
        if (level == 0) return;
      } else if (c == '\n' || is_blank(c)) {
        word.value += ' ';
        ++pos_;
      } else {
        lex_word_part(word, depth);
      }
    }
  }

  // One piece of a word: an escaped character, a quoted string, an expansion, or a plain character.
  void lex_word_part(ShellWord& word, int depth) {
    const char c = text_[pos_];
    if (c == '\\') {
      if (at(pos_ + 1, '\n')) {
        pos_ += 2;
      } else if (pos_ + 1 < text_.size()) {
        word.value += text_[pos_ + 1];
        pos_ += 2;
      } else {
        word.value += c;
        ++pos_;
      }
    } else if (c == '\'') {
      const auto close = text_.find('\'', pos_ + 1);
      if (close == std::string_view::npos) {
        note_unclosed(pos_);
        word.value.append(text_.substr(pos_ + 1));
        pos_ = text_.size();
      } else {
        word.value.append(raw(pos_ + 1, close));
        pos_ = close + 1;
      }
    } else if (c == '"') {
      lex_double_quoted(word, depth);
    } else if (c == '$') {
      lex_dollar(word, depth, false);
    } else if (c == '`') {
      lex_backquote(word, depth);
    } else {
      word.value += c;
      ++pos_;
    }
  }

  void lex_double_quoted(ShellWord& word, int depth) {
    const Deeper deeper(*this);
    if (deeper.too_deep()) return;
    const std::size_t start = pos_;
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return;
      }
      if (c == '\\' && pos_ + 1 < text_.size()) {
        const char next = text_[pos_ + 1];
        if (next == '\n') {
          pos_ += 2;
        } else if (next == '$' || next == '`' || next == '"' || next == '\\') {
          word.value += next;
          pos_ += 2;
        } else {
          word.value += c;
          ++pos_;
        }
      } else if (c == '$') {
        lex_dollar(word, depth, true);
      } else if (c == '`') {
        lex_backquote(word, depth);
      } else {
        word.value += c;
        ++pos_;
      }
    }
    note_unclosed(start);
  }

  void lex_backquote(ShellWord& word, int depth) {
    const std::size_t start = pos_;
    ++pos_;
    if (!lex_list(depth + 1, Stop::backquote)) note_unclosed(start);
    word.value.append(raw(start, pos_));
    word.literal = false;
  }

  void lex_dollar(ShellWord& word, int depth, bool in_double_quotes) {
    const Deeper deeper(*this);
    if (deeper.too_deep()) return;
    const std::size_t start = pos_;
    const char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    if (next == '\'' && !in_double_quotes) {  // $'...': ANSI-C quoting, no expansion
      pos_ += 2;
      while (pos_ < text_.size() && text_[pos_] != '\'') {
        if (text_[pos_] == '\\') ++pos_;
        if (pos_ < text_.size()) word.value += text_[pos_++];
      }
      if (pos_ >= text_.size()) {
        note_unclosed(start + 1);
      } else {
        ++pos_;
      }
      return;
    }
    if (next == '"' && !in_double_quotes) {  // $"...": a translatable double-quoted string
      ++pos_;
      lex_double_quoted(word, depth);
      return;
    }
    if (next == '(') {
      if (at(pos_ + 2, '(')) {
        lex_arithmetic(word, depth, 3);
      } else {
        pos_ += 2;
        lex_list(depth + 1, Stop::paren);
        word.value.append(raw(start, pos_));
        word.literal = false;
      }
      return;
    }
    if (next == '{') {
      lex_braced_parameter(word, depth, in_double_quotes);
      return;
    }
    if (is_name_start(next)) {
      std::size_t end = pos_ + 1;
      while (end < text_.size() && is_name_char(text_[end])) ++end;
      record_reference(std::string(raw(pos_ + 1, end)), start, depth);
      pos_ = end;
      word.value.append(raw(start, pos_));
      word.literal = false;
      return;
    }
    if (is_digit(next) || is_special_parameter(next)) {
      record_reference(std::string(1, next), start, depth);
      pos_ += 2;
      word.value.append(raw(start, pos_));
      word.literal = false;
      return;
    }
    word.value += '$';  // a lone `$` is just a character
    ++pos_;
  }

  // $((...)) (skip = 3) or a ((...)) command (skip = 2). Bare names inside are arithmetic-only; `$NAME`s are
  // recorded as arithmetic references.
  void lex_arithmetic(ShellWord& word, int depth, std::size_t skip) {
    const Deeper deeper(*this);
    if (deeper.too_deep()) return;
    const std::size_t start = pos_;
    pos_ += skip;
    int level = 2;
    const bool outer = in_arithmetic_;
    in_arithmetic_ = true;
    ShellWord sink;
    while (pos_ < text_.size() && level > 0) {
      const char c = text_[pos_];
      if (c == '(') {
        ++level;
        ++pos_;
      } else if (c == ')') {
        --level;
        ++pos_;
      } else if (c == '$') {
        lex_dollar(sink, depth, false);
      } else if (c == '`') {
        lex_backquote(sink, depth);
      } else if (c == '\\') {
        pos_ += 2;
      } else {
        ++pos_;
      }
    }
    pos_ = std::min(pos_, text_.size());
    in_arithmetic_ = outer;
    word.value.append(raw(start, pos_));
    word.literal = false;
  }

  void lex_braced_parameter(ShellWord& word, int depth, bool in_double_quotes) {
    const Deeper deeper(*this);
    if (deeper.too_deep()) return;
    const std::size_t start = pos_;
    pos_ += 2;
    if ((at(pos_, '#') || at(pos_, '!')) && pos_ + 1 < text_.size() &&
        (is_name_start(text_[pos_ + 1]) || is_digit(text_[pos_ + 1]))) {
      ++pos_;  // ${#NAME} (length), ${!NAME} (indirection): both read NAME
    }
    std::size_t name_end = pos_;
    if (pos_ < text_.size() && is_name_start(text_[pos_])) {
      while (name_end < text_.size() && is_name_char(text_[name_end])) ++name_end;
    } else if (pos_ < text_.size() && is_digit(text_[pos_])) {
      while (name_end < text_.size() && is_digit(text_[name_end])) ++name_end;
    } else if (pos_ < text_.size() && is_special_parameter(text_[pos_])) {
      ++name_end;
    }
    if (name_end > pos_) {
      const bool assigns = (at(name_end, ':') && at(name_end + 1, '=')) || at(name_end, '=');
      record_reference(std::string(raw(pos_, name_end)), start, depth, assigns);
    }
    pos_ = name_end;
    ShellWord sink;
    int level = 0;
    bool closed = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '}') {
        ++pos_;
        if (level == 0) {
          closed = true;
          break;
        }
        --level;
      } else if (c == '{') {
        ++level;
        ++pos_;
      } else if (c == '\\') {
        pos_ += 2;
      } else if (c == '\'' && !in_double_quotes) {
        const auto close = text_.find('\'', pos_ + 1);
        pos_ = close == std::string_view::npos ? text_.size() : close + 1;
      } else if (c == '"') {
        lex_double_quoted(sink, depth);
      } else if (c == '$') {
        lex_dollar(sink, depth, in_double_quotes);
      } else if (c == '`') {
        lex_backquote(sink, depth);
      } else {
        ++pos_;
      }
    }
    pos_ = std::min(pos_, text_.size());
    if (!closed) note_unclosed(start);
    word.value.append(raw(start, pos_));
    word.literal = false;
  }

  std::string_view text_;
  ShellScan& scan_;
  int nesting_;
  std::size_t pos_ = 0;
  bool in_arithmetic_ = false;
  std::vector<std::pair<std::size_t, std::size_t>> pending_heredocs_;  // (command, redirection) awaiting a body
};

}  // namespace

ShellScan scan_shell(std::string_view text) {
  ShellScan scan;
  Lexer(text, scan, 0).scan_all();
  std::stable_sort(scan.references.begin(), scan.references.end(),
                   [](const VariableReference& a, const VariableReference& b) { return a.offset < b.offset; });
  return scan;
}

std::vector<const ShellWord*> effective_words(const SimpleCommand& command) {
  std::vector<const ShellWord*> words;
  for (const auto& word : command.words) words.push_back(&word);
  std::size_t i = 0;
  while (i < words.size()) {
    const std::string& name = words[i]->value;
    if (name == "command" || name == "exec" || name == "nohup" || name == "time") {
      ++i;
      while (i < words.size() && words[i]->value.starts_with("-")) ++i;
    } else if (name == "sudo") {
      ++i;
      while (i < words.size() && words[i]->value.starts_with("-")) {
        const std::string& option = words[i]->value;
        const bool takes_value = option == "-u" || option == "-g" || option == "-U" || option == "-C" ||
                                 option == "-D" || option == "-p" || option == "-r" || option == "-t";
        i += takes_value ? 2 : 1;
      }
    } else if (name == "env") {
      ++i;
      while (i < words.size() && (words[i]->value.starts_with("-") || is_assignment_text(words[i]->value))) {
        ++i;
      }
    } else {
      break;
    }
  }
  words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(std::min(i, words.size())));
  return words;
}

// =============================================================================================================
// Positions in the flow file
// =============================================================================================================

TextPoint text_point(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  TextPoint point;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++point.line;
      line_start = i + 1;
    }
  }
  for (std::size_t i = line_start; i < offset; ++i) {
    // Count characters, not bytes: UTF-8 continuation bytes do not start one.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++point.column;
  }
  return point;
}

SourcePosition file_position(const Flow& flow, const FlowCommand& command, int line, int column) {
  SourcePosition position;
  position.file = flow.display_path;
  if (command.first_line <= 0) {  // no position known for the text: point at the entry itself
    position.line = command.position.line;
    position.column = command.position.column;
    return position;
  }
  line = std::max(line, 1);
  column = std::max(column, 1);
  const int first_column = std::max(command.first_column, 1);
  if (line == 1 || command.is_block_scalar) {
    // A block scalar's text has its indentation stripped; the indentation is first_column - 1 on every line.
    position.line = command.first_line + line - 1;
    position.column = first_column + column - 1;
  } else {
    // A quoted or plain scalar folds its lines, so its text lines are not file lines: point at its start.
    position.line = command.first_line;
    position.column = first_column;
  }
  return position;
}

SourcePosition file_position(const Flow& flow, const FlowCommand& command, std::size_t offset) {
  const TextPoint point = text_point(command.text, offset);
  return file_position(flow, command, point.line, point.column);
}

Diagnostic command_finding(const Flow& flow, std::size_t command, std::size_t offset, Severity severity,
                           std::string rule, std::string message) {
  Diagnostic diagnostic;
  diagnostic.position = file_position(flow, flow.commands[command], offset);
  diagnostic.severity = severity;
  diagnostic.rule = std::move(rule);
  diagnostic.message = std::move(message);
  return diagnostic;
}

std::string_view text_line(std::string_view text, int line) {
  std::size_t start = 0;
  for (int i = 1; i < line; ++i) {
    const auto newline = text.find('\n', start);
    if (newline == std::string_view::npos) return {};
    start = newline + 1;
  }
  return text.substr(start, text.find('\n', start) - start);
}

int text_line_count(std::string_view text) {
  const auto newlines = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  return std::max(1, (!text.empty() && text.back() == '\n') ? newlines : newlines + 1);
}

std::pair<std::size_t, int> JoinedScript::locate(int line) const {
  if (first_lines.empty()) return {0, 1};
  auto it = std::upper_bound(first_lines.begin(), first_lines.end(), line);
  const std::size_t index = it == first_lines.begin() ? 0 : static_cast<std::size_t>(it - first_lines.begin()) - 1;
  const int leading = index < leading_lines.size() ? leading_lines[index] : 0;
  return {index, std::max(1, line - first_lines[index] + 1) + leading};
}

std::string_view runner_text(const FlowCommand& command, int* leading_lines) {
  const std::string_view text = command.text;
  const std::string_view trimmed = text::trim_go_space(text);
  std::size_t begin = static_cast<std::size_t>(trimmed.data() - text.data());
  const std::size_t end = begin + trimmed.size();
  // Blanks before the first word stay, so columns on the command's first line are the flow file's (bash does not
  // care about them).
  while (begin > 0 && (text[begin - 1] == ' ' || text[begin - 1] == '\t')) --begin;
  if (leading_lines != nullptr) *leading_lines = static_cast<int>(std::count(text.begin(), text.begin() + begin, '\n'));
  return text.substr(begin, end - begin);
}

JoinedScript join_commands(const Flow& flow) {
  JoinedScript joined;
  int line = 1;
  for (const auto& command : flow.commands) {
    int leading = 0;
    const std::string_view text = runner_text(command, &leading);
    // Runner's echo line before each command: a simple command that a `\` or `|` at the end of the previous
    // command continues into, and that keeps an `if ...; then` split over two commands from an empty body.
    joined.text += ":\n";
    ++line;
    joined.first_lines.push_back(line);
    joined.leading_lines.push_back(leading);
    joined.text += text;
    joined.text += '\n';
    line += static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  }
  return joined;
}

// =============================================================================================================
// Running a checker program
// =============================================================================================================

namespace {

class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() { reset(); }
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Moves a descriptor above 0-2, so that dup2 onto the child's 0-2 never meets itself (which would keep its
// close-on-exec flag and leave the child without it) when flowrun runs with a standard stream closed.
int above_standard_streams(int fd) {
  if (fd > 2) return fd;
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return moved;
}

// The input as a file the child reads as its standard input. A file, not a pipe: bash reads a script from a
// pipe one byte per system call (it must not read past what it executes), but a seekable file in large blocks,
// which makes `bash -n` over a large batch several times faster. In memory where the kernel allows it.
FileDescriptor input_file(std::string_view input, std::string& failure) {
  FileDescriptor file(::memfd_create("flowrun-check-input", MFD_CLOEXEC));
  if (!file.open()) {
    std::string name = (std::filesystem::temp_directory_path() / "flowrun-check-XXXXXX").string();
    file = FileDescriptor(::mkostemp(name.data(), O_CLOEXEC));
    if (file.open()) ::unlink(name.c_str());
  }
  if (!file.open()) {
    failure = std::string("cannot create a file for the commands: ") + std::strerror(errno);
    return file;
  }
  file = FileDescriptor(above_standard_streams(file.release()));
  std::size_t written = 0;
  while (written < input.size()) {
    const ssize_t n = ::write(file.get(), input.data() + written, input.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failure = std::string("cannot write the commands to a file: ") + std::strerror(errno);
      file.reset();
      return file;
    }
    written += static_cast<std::size_t>(n);
  }
  ::lseek(file.get(), 0, SEEK_SET);
  return file;
}

constexpr std::size_t kMaxCapturedOutput = 16 * 1024 * 1024;

}  // namespace

CheckerRun run_checker(const std::string& program, const std::vector<std::string>& args, std::string_view input,
                       std::chrono::milliseconds timeout) {
  CheckerRun run;
  FileDescriptor in = input_file(input, run.failure);
  if (!in.open()) return run;
  core::RunRequest request;
  request.executable = program;
  request.arguments = args;
  // A clean environment: no BASH_ENV or SHELLOPTS that could make bash read or run anything, stable messages.
  request.environment = {"LC_ALL=C"};
  request.stdin_fd = in.get();
  request.timeout = timeout;
  request.output_limit = kMaxCapturedOutput;
  core::RunResult result = core::run_process(request);
  if (!result.started) {
    run.failure = "cannot run " + program + ": " + result.error;
    return run;
  }
  run.started = true;
  run.timed_out = result.timed_out;
  if (run.timed_out) return run;
  if (!result.error.empty()) {
    run.failure = result.error;
    return run;
  }
  run.exit_code = result.signal != 0 ? 128 + result.signal : result.exit_code;
  run.out = std::move(result.out);
  run.err = std::move(result.err);
  return run;
}

std::optional<std::string> find_on_path(std::string_view name) {
  const auto path = Environment::from_process().get("PATH");
  if (!path) return std::nullopt;
  std::string_view rest = *path;
  while (true) {
    const auto colon = rest.find(':');
    const std::string_view directory = rest.substr(0, colon);
    // An empty entry means the current directory: never run a checker from there.
    if (!directory.empty() && directory.front() == '/') {
      std::string candidate = std::string(directory) + "/" + std::string(name);
      struct stat info {};
      if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(candidate.c_str(), X_OK) == 0) {
        return candidate;
      }
    }
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

// =============================================================================================================
// bash's own verdict
// =============================================================================================================

namespace {

constexpr auto kBashRunTimeout = std::chrono::seconds(10);
// All syntax checks of one `check_commands` call together; past it the rest is reported as not checked.
constexpr auto kSyntaxCheckBudget = std::chrono::seconds(60);
// Flows are grouped into batches of about this much command text: big enough that a batch costs one bash start,
// small enough that narrowing a failing batch down re-reads little text, and that two cores share the work.
constexpr std::size_t kBatchBytes = 48 * 1024;
constexpr std::size_t kWholeScript = static_cast<std::size_t>(-1);

const std::optional<std::string>& bash_program() {
  static const std::optional<std::string> path = []() -> std::optional<std::string> {
    if (auto found = find_on_path("bash")) return found;
    for (const char* candidate : {"/bin/bash", "/usr/bin/bash"}) {
      if (::access(candidate, X_OK) == 0) return std::string(candidate);
    }
    return std::nullopt;
  }();
  return path;
}

// What bash said about a text: nothing, the first problem and the line it names, or why it could not say.
struct BashVerdict {
  enum class Kind { clean, problem, not_run };
  Kind kind = Kind::clean;
  int line = 1;         // of the problem, in the text given to bash
  std::string message;  // bash's message without its `/dev/stdin: line N: ` prefix
  bool unclosed_heredoc = false;
};

int leading_number(std::string_view text) {
  int value = 0;
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i]) && value < 100'000'000) value = value * 10 + (text[i++] - '0');
  return value;
}

BashVerdict read_bash_messages(const CheckerRun& run) {
  static constexpr std::string_view kPrefix = "/dev/stdin: line ";
  static constexpr std::string_view kHeredoc = "warning: here-document at line ";
  BashVerdict verdict;
  std::string_view rest = run.err;
  while (!rest.empty()) {
    const auto newline = rest.find('\n');
    std::string_view line = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
    if (!line.starts_with(kPrefix)) continue;
    line.remove_prefix(kPrefix.size());
    const int number = leading_number(line);
    const auto colon = line.find(": ");
    if (colon == std::string_view::npos) continue;
    const std::string_view message = line.substr(colon + 2);
    if (message.starts_with(kHeredoc)) {
      // Reported at the end of the text; the line that matters is where the here-document starts.
      verdict.kind = BashVerdict::Kind::problem;
      verdict.line = std::max(1, leading_number(message.substr(kHeredoc.size())));
      verdict.message = std::string(message.substr(std::string_view("warning: ").size()));
      verdict.unclosed_heredoc = true;
      return verdict;
    }
    if (message.starts_with("warning:")) continue;
    verdict.kind = BashVerdict::Kind::problem;
    verdict.line = std::max(1, number);
    verdict.message = std::string(message);
    return verdict;
  }
  return verdict;
}

struct NotRun {
  std::string reason;
};

// `bash -O extglob -n` over `script`, read from a pipe: the text never reaches a command line.
std::variant<BashVerdict, NotRun> ask_bash(std::string_view script, std::chrono::steady_clock::time_point deadline) {
  const auto& bash = bash_program();
  if (!bash) return NotRun{"bash was not found on PATH; install bash to have them checked"};
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return NotRun{"the syntax check ran out of time"};
  const auto timeout = std::min<std::chrono::milliseconds>(kBashRunTimeout, left);
  const CheckerRun run = run_checker(*bash, {"-O", "extglob", "-n", "/dev/stdin"}, script, timeout);
  if (!run.started) return NotRun{run.failure};
  if (run.timed_out) return NotRun{"`bash -n` did not finish within " + std::to_string(timeout.count() / 1000) + " s"};
  BashVerdict verdict = read_bash_messages(run);
  if (verdict.kind == BashVerdict::Kind::clean && run.exit_code != 0) {
    // Not a message about the text (bash could not read it, or was killed): nothing to blame a command for.
    const std::string first_line(text::first_line(run.err));
    return NotRun{"`bash -n` failed with exit status " + std::to_string(run.exit_code) +
                  (first_line.empty() ? std::string() : " (" + without_literal_tokens(first_line) + ")")};
  }
  return verdict;
}

// Column (in characters) of the first non-blank character of `line`, or of `needle` on it when given and found.
int column_on_line(std::string_view text, int line, std::string_view needle = {}) {
  const std::string_view content = text_line(text, line);
  std::size_t at = needle.empty() ? std::string_view::npos : content.find(needle);
  if (at == std::string_view::npos) at = std::min(content.find_first_not_of(" \t"), content.size());
  return text_point(content, at).column;
}

std::string hint_for(const BashVerdict& verdict) {
  if (verdict.unclosed_heredoc) {
    return "End the here-document with a line that holds only its end word; without one it swallows every command "
           "after it when the commands run together.";
  }
  if (verdict.message.find("unexpected EOF while looking for matching") != std::string::npos) {
    return "Close the quote that starts here; inside a YAML block scalar (`|`) the text reaches bash exactly as "
           "written.";
  }
  if (verdict.message.find("unexpected end of file") != std::string::npos) {
    return "An `if`, `for`, `while`, `case`, `{` or `(` is not closed by its `fi`, `done`, `esac`, `}` or `)`; each "
           "entry of `commands` must be complete on its own.";
  }
  if (verdict.message.find("unexpected token") != std::string::npos) {
    return "Look on this line for a missing `;`, `then` or `do`, or for a closing word or bracket without its "
           "opening one.";
  }
  return "bash stops before running anything, so the job would fail here.";
}

std::string describe(const BashVerdict& verdict) {
  if (verdict.unclosed_heredoc) {
    const auto wanted = verdict.message.find("(wanted `");
    std::string word = "its end word";
    if (wanted != std::string::npos) {
      const auto from = wanted + 9;
      word = "`" + verdict.message.substr(from, verdict.message.find('\'', from) - from) + "`";
    }
    return "the here-document that starts here never ends: no line holds only " + word;
  }
  return verdict.message;
}

// A command of a flow on its own, or all of them as one script (`command == kWholeScript`).
struct Unit {
  std::size_t flow;
  std::size_t command;
};

}  // namespace

struct ShellSyntaxState {
  std::vector<const Flow*> flows;
  std::vector<std::vector<std::size_t>> batches;  // flow indices
  std::vector<std::vector<Diagnostic>> findings;  // per flow
  std::vector<JoinedScript> joined;               // per flow, filled by the batch that owns the flow
  std::chrono::steady_clock::time_point deadline;
};

namespace {

// Checks one batch: one `bash -n` over all its units wrapped so that each parses on its own, and only when bash
// objects, narrowing down (guided by the line bash names) to the units that fail alone, which are then
// reported from a run over exactly their own text, so messages and lines are bash's own.
class BatchCheck {
 public:
  BatchCheck(ShellSyntaxState& state, const std::vector<std::size_t>& flows) : state_(state), flows_(flows) {}

  void run() {
    std::vector<Unit> units;
    for (const std::size_t flow : flows_) {
      const auto& commands = state_.flows[flow]->commands;
      for (std::size_t c = 0; c < commands.size(); ++c) units.push_back({flow, c});
      if (commands.size() > 1) {
        state_.joined[flow] = join_commands(*state_.flows[flow]);
        units.push_back({flow, kWholeScript});
      }
    }
    narrow(std::move(units));
    settle_alone_failures();
  }

 private:
  std::string_view text_of(const Unit& unit) const {
    if (unit.command == kWholeScript) return state_.joined[unit.flow].text;
    return runner_text(state_.flows[unit.flow]->commands[unit.command]);
  }

  bool settled(const Unit& unit) const { return not_checked_.count(unit.flow) != 0; }

  void narrow(std::vector<Unit> units) {
    std::vector<std::vector<Unit>> work;
    work.push_back(std::move(units));
    while (!work.empty()) {
      std::vector<Unit> range = std::move(work.back());
      work.pop_back();
      std::erase_if(range, [this](const Unit& unit) { return settled(unit); });
      if (range.empty()) continue;
      if (range.size() == 1) {
        check_alone(range.front());
        continue;
      }
      std::vector<int> first_lines;
      const std::string script = wrap(range, first_lines);
      auto answer = ask_bash(script, state_.deadline);
      if (auto* not_run = std::get_if<NotRun>(&answer)) {
        for (const Unit& unit : range) mark_not_checked(unit.flow, not_run->reason);
        continue;
      }
      const auto& verdict = std::get<BashVerdict>(answer);
      if (verdict.kind == BashVerdict::Kind::clean) continue;
      const auto it = std::upper_bound(first_lines.begin(), first_lines.end(), verdict.line);
      const auto suspect = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, it - first_lines.begin() - 1));
      const auto split = range.begin() + static_cast<std::ptrdiff_t>(suspect == 0 ? 1 : suspect);
      // Last in, first out: the left part is read first, so a failed command settles its flow's whole script.
      work.emplace_back(split, range.end());
      work.emplace_back(range.begin(), split);
    }
  }

  // Each unit inside a function body, followed by a line that is a plain command in normal text but a syntax
  // error after an unclosed quote: so no unit can close another's quote or block and hide both errors.
  std::string wrap(const std::vector<Unit>& range, std::vector<int>& first_lines) const {
    std::string script;
    int line = 1;
    for (const Unit& unit : range) {
      const std::string_view text = text_of(unit);
      first_lines.push_back(line);
      script += "__flowrun_unit() {\n";
      script += text;
      script += "\n\n: \"(\" '('\n}\n";
      line += static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 5;
    }
    return script;
  }

  void check_alone(const Unit& unit) {
    auto answer = ask_bash(text_of(unit), state_.deadline);
    if (auto* not_run = std::get_if<NotRun>(&answer)) {
      mark_not_checked(unit.flow, not_run->reason);
      return;
    }
    const auto& verdict = std::get<BashVerdict>(answer);
    if (verdict.kind == BashVerdict::Kind::clean) return;  // only the wrapping upset bash
    const Flow& flow = *state_.flows[unit.flow];
    Diagnostic diagnostic;
    diagnostic.severity = Severity::error;
    diagnostic.rule = "shell-syntax";
    std::size_t command_index = unit.command;
    int line = verdict.line;
    std::string lead = "bash cannot parse this command: ";
    if (unit.command == kWholeScript) {
      std::tie(command_index, line) = state_.joined[unit.flow].locate(verdict.line);
      lead = "bash cannot parse the commands run together in one session, as GitLab Runner runs them: ";
    }
    const FlowCommand& command = flow.commands[command_index];
    if (unit.command != kWholeScript) {
      int leading = 0;
      runner_text(command, &leading);
      line += leading;
    }
    line = std::min(line, text_line_count(command.text));
    int column = column_on_line(command.text, line, verdict.unclosed_heredoc ? "<<" : "");
    if (verdict.message.find("unexpected EOF while looking for matching") != std::string::npos) {
      // bash names the line where the quote opens; flowrun's own reading knows the column.
      const ShellScan scan = scan_shell(command.text);
      if (scan.unclosed_quote) {
        const TextPoint quote = text_point(command.text, *scan.unclosed_quote);
        if (quote.line == line) column = quote.column;
      }
    }
    std::string hint = hint_for(verdict);
    if (unit.command == kWholeScript && command_index > 0) {
      const std::string_view previous = text::trim(flow.commands[command_index - 1].text);
      if (previous.ends_with('\\')) {
        hint =
            "The command before this one ends with `\\`, which continues its last line into this command; "
            "remove the `\\`.";
      }
    }
    diagnostic.position = file_position(flow, command, line, column);
    diagnostic.message = without_literal_tokens(lead + describe(verdict) + ". " + hint);
    if (unit.command == kWholeScript) {
      whole_failures_[unit.flow] = std::move(diagnostic);
    } else {
      alone_failures_[unit.flow].push_back(std::move(diagnostic));
    }
  }

  // GitLab Runner runs the commands as one script text, so a command that does not parse alone may still run:
  // `echo a \` continues into the next command, a `|` at its end pipes into it. That is an error only when the
  // whole script does not parse either; otherwise a warning, since such a flow is easy to break by editing it.
  // When both fail, the commands that fail alone say more than the script they break.
  void settle_alone_failures() {
    for (const std::size_t flow : flows_) {
      const auto whole = whole_failures_.find(flow);
      const auto alone = alone_failures_.find(flow);
      if (alone == alone_failures_.end()) {
        if (whole != whole_failures_.end()) state_.findings[flow].push_back(std::move(whole->second));
        continue;
      }
      const bool whole_parses =
          state_.flows[flow]->commands.size() > 1 && whole == whole_failures_.end() && not_checked_.count(flow) == 0;
      for (Diagnostic& failure : alone->second) {
        if (whole_parses) {
          failure.severity = Severity::warning;
          failure.message +=
              " It runs only because GitLab Runner joins the commands into one script text, so "
              "this command continues into the next one; keep such text in one command.";
        }
        state_.findings[flow].push_back(std::move(failure));
      }
    }
  }

  void mark_not_checked(std::size_t flow, const std::string& reason) {
    if (!not_checked_.insert(flow).second) return;
    Diagnostic diagnostic;
    diagnostic.position.file = state_.flows[flow]->display_path;
    diagnostic.severity = Severity::warning;
    diagnostic.rule = "shell-syntax";
    diagnostic.message = "The shell syntax of the commands was not checked: " + reason + ".";
    state_.findings[flow].push_back(std::move(diagnostic));
  }

  ShellSyntaxState& state_;
  const std::vector<std::size_t>& flows_;
  std::map<std::size_t, std::vector<Diagnostic>> alone_failures_;  // per flow: commands that do not parse alone
  std::map<std::size_t, Diagnostic> whole_failures_;  // per flow: why its commands do not parse as one script
  std::set<std::size_t> not_checked_;                 // flows bash could not be asked about
};

}  // namespace

ShellSyntaxCheck::ShellSyntaxCheck(const std::vector<const Flow*>& flows)
    : state_(std::make_unique<ShellSyntaxState>()) {
  state_->flows = flows;
  state_->findings.resize(flows.size());
  state_->joined.resize(flows.size());
  state_->deadline = std::chrono::steady_clock::now() + kSyntaxCheckBudget;
  std::size_t bytes = kBatchBytes;
  for (std::size_t f = 0; f < flows.size(); ++f) {
    if (flows[f] == nullptr || flows[f]->commands.empty()) continue;
    if (bytes >= kBatchBytes) {
      state_->batches.emplace_back();
      bytes = 0;
    }
    state_->batches.back().push_back(f);
    for (const auto& command : flows[f]->commands) bytes += 2 * command.text.size() + 64;
  }
}

ShellSyntaxCheck::~ShellSyntaxCheck() = default;

std::size_t ShellSyntaxCheck::batch_count() const { return state_->batches.size(); }

void ShellSyntaxCheck::check_batch(std::size_t batch) { BatchCheck(*state_, state_->batches.at(batch)).run(); }

const std::vector<Diagnostic>& ShellSyntaxCheck::findings(std::size_t flow) const { return state_->findings.at(flow); }

}  // namespace flowrun::flow
