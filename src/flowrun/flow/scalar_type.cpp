#include "flowrun/flow/scalar_type.h"

#include <cctype>

#include "flowrun/core/text.h"

namespace flowrun::flow {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view strip_sign(std::string_view text) {
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) text.remove_prefix(1);
  return text;
}

bool all_of(std::string_view text, bool (*accept)(char)) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!accept(c)) return false;
  }
  return true;
}

bool is_null_word(std::string_view text) { return text.empty() || text == "~" || text::to_lower(text) == "null"; }

bool is_true_word(std::string_view text) {
  auto lower = text::to_lower(text);
  return lower == "yes" || lower == "true" || lower == "on";
}

bool is_false_word(std::string_view text) {
  auto lower = text::to_lower(text);
  return lower == "no" || lower == "false" || lower == "off";
}

// Integers as Psych reads them: decimal with `_` or `,` separators, 0b binary, 0 octal, 0x hex, and
// base 60 (`1:30`).
bool is_integer(std::string_view text) {
  std::string_view body = strip_sign(text);
  if (body.empty()) return false;
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'b' || body[1] == 'B')) {
    return all_of(body.substr(2), [](char c) { return c == '0' || c == '1' || c == '_' || c == ','; });
  }
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
    return all_of(body.substr(2),
                  [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == '_' || c == ','; });
  }
  if (!is_digit(body[0])) return false;
  std::size_t colon = body.find(':');
  if (colon != std::string_view::npos) {
    // Base 60: digits, then one or two `:` groups of at most two digits, the first below 6 when two.
    if (!all_of(body.substr(0, colon), [](char c) { return is_digit(c) || c == '_'; })) return false;
    int groups = 0;
    std::string_view rest = body.substr(colon);
    while (!rest.empty()) {
      if (rest[0] != ':') return false;
      rest.remove_prefix(1);
      std::size_t digits = 0;
      while (digits < rest.size() && is_digit(rest[digits])) ++digits;
      if (digits == 0 || digits > 2 || (digits == 2 && rest[0] > '5')) return false;
      rest.remove_prefix(digits);
      ++groups;
    }
    return groups <= 2;
  }
  return all_of(body, [](char c) { return is_digit(c) || c == '_' || c == ','; });
}

bool is_float(std::string_view text) {
  std::string lower = text::to_lower(strip_sign(text));
  if (lower == ".inf" || (lower == ".nan" && (text.empty() || (text[0] != '+' && text[0] != '-')))) return true;
  std::string_view body = lower;
  std::size_t dot = body.find('.');
  if (dot == std::string_view::npos) return false;
  std::string_view whole = body.substr(0, dot);
  if (!whole.empty() &&
      !(is_digit(whole[0]) && all_of(whole, [](char c) { return is_digit(c) || c == '_' || c == ','; })))
    return false;
  std::string_view rest = body.substr(dot + 1);
  std::size_t digits = 0;
  while (digits < rest.size() && (is_digit(rest[digits]) || rest[digits] == '_')) ++digits;
  if (whole.empty() && digits == 0) return false;
  rest.remove_prefix(digits);
  if (rest.empty()) return true;
  // An exponent needs its sign in YAML 1.1: 1.0e+3.
  return rest.size() > 2 && rest[0] == 'e' && (rest[1] == '+' || rest[1] == '-') &&
         all_of(rest.substr(2), [](char c) { return is_digit(c); });
}

// YYYY-MM-DD, optionally followed by a time: Psych turns both into Date/Time objects.
bool is_date(std::string_view text) {
  if (text.size() < 8 || !all_of(text.substr(0, 4), [](char c) { return is_digit(c); }) || text[4] != '-') return false;
  std::size_t at = 5;
  auto digits_then = [&](char separator) {
    std::size_t start = at;
    while (at < text.size() && is_digit(text[at])) ++at;
    std::size_t count = at - start;
    if (count < 1 || count > 2) return false;
    if (separator == 0) return true;
    if (at >= text.size() || text[at] != separator) return false;
    ++at;
    return true;
  };
  if (!digits_then('-') || !digits_then(0)) return false;
  if (at == text.size()) return true;
  char next = text[at];
  return (next == 'T' || next == 't' || next == ' ' || next == '\t') && at + 1 < text.size() && is_digit(text[at + 1]);
}

}  // namespace

ScalarType scalar_type(const YamlNode& node) {
  if (node.kind == YamlKind::null) return ScalarType::null;
  if (node.tag == "!" || node.tag == "tag:yaml.org,2002:str") return ScalarType::string;
  if (node.tag == "tag:yaml.org,2002:bool") return ScalarType::boolean;
  if (node.tag == "tag:yaml.org,2002:int") return ScalarType::integer;
  if (node.tag == "tag:yaml.org,2002:float") return ScalarType::floating;
  if (node.tag == "tag:yaml.org,2002:null") return ScalarType::null;
  if (node.tag != "?") return ScalarType::string;  // other explicit tags: read as text
  std::string_view text = node.value;
  if (is_null_word(text)) return ScalarType::null;
  if (is_true_word(text) || is_false_word(text)) return ScalarType::boolean;
  if (is_integer(text)) return ScalarType::integer;
  if (is_float(text)) return ScalarType::floating;
  if (is_date(text)) return ScalarType::date;
  if (text.size() > 1 && text[0] == ':') return ScalarType::symbol;
  return ScalarType::string;
}

const char* describe_type(const YamlNode& node) {
  switch (node.kind) {
    case YamlKind::null:
      return "empty (null)";
    case YamlKind::sequence:
      return "a list";
    case YamlKind::mapping:
      return "a mapping";
    case YamlKind::scalar:
      break;
  }
  switch (scalar_type(node)) {
    case ScalarType::null:
      return "empty (null)";
    case ScalarType::boolean:
      return "a boolean";
    case ScalarType::integer:
    case ScalarType::floating:
      return "a number";
    case ScalarType::date:
      return "a date";
    case ScalarType::symbol:
      return "a Ruby symbol";
    case ScalarType::string:
      break;
  }
  return "a string";
}

bool scalar_as_bool(const YamlNode& node) { return is_true_word(node.value); }

}  // namespace flowrun::flow
