#include "flowrun/core/hidden_text.h"

namespace flowrun {
namespace {

// The code point of the well-formed UTF-8 sequence at `at` and its length, or length 0.
std::pair<char32_t, std::size_t> decode(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  char32_t code_point = 0;
  if (lead < 0x80) return {lead, 1};
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return {0, 0};
  }
  if (at + length > text.size()) return {0, 0};
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return {0, 0};
    code_point = (code_point << 6) | (byte(at + i) & 0x3F);
  }
  const bool overlong = (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
  if (overlong || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return {0, 0};
  return {code_point, length};
}

}  // namespace

bool is_hidden_code_point(char32_t c) {
  return c == 0x00AD || c == 0x061C || c == 0x180E || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x206F) || c == 0xFEFF || (c >= 0xE0000 && c <= 0xE007F);
}

VisibleText visible_text(std::string_view text) {
  VisibleText result;
  result.text.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    if (text.compare(at, 4, "<!--") == 0) {
      const auto end = text.find("-->", at + 4);
      ++result.html_comments;
      if (end == std::string_view::npos) break;
      at = end + 3;
      continue;
    }
    const auto [code_point, length] = decode(text, at);
    if (length == 0) {  // not UTF-8: kept as it is
      result.text += text[at++];
      continue;
    }
    if (is_hidden_code_point(code_point)) {
      ++result.hidden_characters;
    } else {
      result.text.append(text.substr(at, length));
    }
    at += length;
  }
  return result;
}

}  // namespace flowrun
