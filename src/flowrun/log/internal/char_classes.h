#pragma once
// Byte classes the masker decides with, as one 256-entry table so the hot loops do one load per byte.
#include <array>
#include <cstdint>

namespace flowrun::log::internal {

enum CharClass : std::uint8_t {
  // Continues a word: a token prefix right after one is not a token ("xglpat-..."). Same rule as core/token_shapes.
  kWordChar = 1,
  // Continues a token after its prefix: the same bytes as core/token_shapes is_token_char ([A-Za-z0-9._=-]); a test
  // holds the two together.
  kTokenChar = 2,
  // Continues the value of a URL query parameter: anything but `&`, `#`, whitespace, control characters, quotes and
  // angle brackets. A superset of kTokenChar.
  kQueryValueChar = 4,
};

using CharClassTable = std::array<std::uint8_t, 256>;

namespace detail {

constexpr bool is_alnum(unsigned c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

constexpr bool ends_query_value(unsigned c) {
  return c < 0x20 || c == 0x7F || c == '&' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' ||
         c == ' ';
}

constexpr CharClassTable build_char_classes() {
  CharClassTable table{};
  for (unsigned c = 0; c < 256; ++c) {
    std::uint8_t flags = 0;
    if (is_alnum(c) || c == '_' || c == '-') flags |= kWordChar;
    if (is_alnum(c) || c == '.' || c == '_' || c == '=' || c == '-') flags |= kTokenChar;
    if (!ends_query_value(c)) flags |= kQueryValueChar;
    table[c] = flags;
  }
  return table;
}

}  // namespace detail

inline constexpr CharClassTable kCharClasses = detail::build_char_classes();

inline bool has_class(unsigned char c, CharClass cls) { return (kCharClasses[c] & cls) != 0; }

}  // namespace flowrun::log::internal
