#include "flowrun/gitlab/markdown.h"

#include <algorithm>

#include "flowrun/core/text.h"

namespace flowrun::gitlab {

namespace {

constexpr std::string_view kZeroWidthJoiner = "\u200D";
constexpr std::string_view kReplacement = "\uFFFD";
constexpr std::string_view kEllipsis = "\u2026";

// Length of the well-formed UTF-8 sequence starting at text[i], 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const std::size_t available = text.size() - i;
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0)
    length = 2;
  else if ((lead & 0xF0) == 0xE0)
    length = 3;
  else if ((lead & 0xF8) == 0xF0)
    length = 4;
  else
    return 0;
  if (available < length) return 0;
  return text::is_valid_utf8(text.substr(i, length)) ? length : 0;
}

// Skips an ANSI escape sequence starting at text[i] (an ESC); returns the index after it.
std::size_t skip_escape_sequence(std::string_view text, std::size_t i) {
  ++i;
  if (i >= text.size()) return i;
  if (text[i] == '[') {  // CSI: parameters, intermediates, one final byte
    ++i;
    while (i < text.size() && static_cast<unsigned char>(text[i]) >= 0x20 &&
           static_cast<unsigned char>(text[i]) <= 0x3F)
      ++i;
    return i < text.size() ? i + 1 : i;
  }
  if (text[i] == ']') {  // OSC: up to BEL or ESC backslash
    while (++i < text.size()) {
      if (text[i] == '\a') return i + 1;
      if (text[i] == '\x1b') return std::min(i + 2, text.size());
    }
    return i;
  }
  return i + 1;
}

std::size_t longest_backtick_run(std::string_view text) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

// Cuts `text` to at most `max_bytes` on a character boundary, with an ellipsis (counted in the limit) when cut.
std::string cut_to(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes >= kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  if (max_bytes >= kEllipsis.size()) text += kEllipsis;
  return text;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string one_line(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : printable_text(text)) {
    if (c == '\n' || is_blank(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string printable_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0x1B) {
      i = skip_escape_sequence(text, i);
      continue;
    }
    if (c < 0x20 || c == 0x7F) {
      if (c == '\n' || c == '\t') out += static_cast<char>(c);
      ++i;
      continue;
    }
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    // C1 control characters (U+0080..U+009F) are invisible and some terminals read them as escapes.
    const bool c1_control = length == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
    if (!c1_control) out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

std::string visible_file_name(std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t i = 0;
  while (i < name.size()) {
    const auto c = static_cast<unsigned char>(name[i]);
    const std::size_t length = c < 0x80 ? 1 : utf8_sequence_length(name, i);
    if (length == 0 || (length == 1 && (c < 0x20 || c == 0x7F))) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      ++i;
      continue;
    }
    char32_t code = c;
    if (length > 1) {
      code = c & (0xFF >> (length + 1));
      for (std::size_t k = 1; k < length; ++k) code = (code << 6) | (static_cast<unsigned char>(name[i + k]) & 0x3F);
    }
    const bool hidden = (code >= 0x80 && code <= 0x9F) || (code >= 0x200B && code <= 0x200F) ||
                        (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069) || code == 0x061C ||
                        code == 0xFEFF || code == 0x2028 || code == 0x2029;
    if (hidden) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(code >> shift) & 0xF];
    } else {
      out.append(name.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::string neutralize_untrusted(std::string_view text) {
  const std::string clean = printable_text(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  bool line_start = true;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    const char c = clean[i];
    if (c == '\n') {
      out += '\n';
      line_start = true;
      continue;
    }
    if (line_start) {
      if (is_blank(c)) continue;
      line_start = false;
      if (c == '/' || c == '-' || c == '+' || c == '=') {
        out += '\\';
        out += c;
        continue;
      }
    }
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '@':
        out += '@';
        out += kZeroWidthJoiner;
        break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '|':
      case '~':
      case '#':
      case '!':
      case '%':
      case '$':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string neutralize_single_line(std::string_view text, std::size_t max_bytes) {
  const std::string line = one_line(text);
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (i == 0 && line[i] == '/') out += "\u200B";  // a zero-width space: no line of it starts with '/'
    out += line[i];
    if (line[i] == '@') out += kZeroWidthJoiner;
  }
  return cut_to(std::move(out), max_bytes);
}

std::string inline_code(std::string_view text) {
  const std::string line = one_line(text);
  if (line.empty()) return "` `";
  const std::string fence(longest_backtick_run(line) + 1, '`');
  // A space keeps a backtick at either end from joining the fence; CommonMark strips one space on each side.
  const bool pad = line.front() == '`' || line.back() == '`' || line.front() == ' ';
  return fence + (pad ? " " : "") + line + (pad ? " " : "") + fence;
}

namespace {

// Inside a code block GitLab runs no quick action and notifies no one, but its quick-action extractor only knows
// fences of exactly three backticks: a longer fence would leave the lines open to it. So lines are defused here
// too: a zero-width space before a leading '/', and a zero-width joiner after every '@'.
std::string defuse_in_code(std::string line) {
  std::string out;
  out.reserve(line.size() + 8);
  std::size_t first = line.find_first_not_of(" \t");
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (i == first && line[i] == '/') out += "\u200b";
    out.push_back(line[i]);
    if (line[i] == '@') out += "\u200d";
  }
  return out;
}

}  // namespace

std::string code_block(const std::vector<std::string>& lines, std::string_view info, std::size_t max_line_bytes,
                       bool verbatim) {
  std::vector<std::string> clean;
  clean.reserve(lines.size());
  std::size_t longest_run = 0;
  for (const std::string& line : lines) {
    std::string printable = printable_text(line);
    std::replace(printable.begin(), printable.end(), '\n', ' ');
    printable = cut_to(std::move(printable), max_line_bytes);
    if (!verbatim) printable = defuse_in_code(std::move(printable));
    longest_run = std::max(longest_run, longest_backtick_run(printable));
    clean.push_back(std::move(printable));
  }
  const std::string fence(std::max<std::size_t>(3, longest_run + 1), '`');
  std::string out = fence + std::string(info) + "\n";
  for (const std::string& line : clean) out += line + "\n";
  out += fence + "\n";
  return out;
}

}  // namespace flowrun::gitlab
