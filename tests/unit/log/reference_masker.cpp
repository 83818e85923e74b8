#include "reference_masker.h"

#include <algorithm>

#include "flowrun/core/token_shapes.h"
#include "flowrun/log/masker.h"

namespace flowrun::log::testing {

namespace {

bool is_word_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}

bool is_query_value_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u == 0x7F) return false;
  return std::string_view("&#\"'<>` ").find(c) == std::string_view::npos;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_icase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::size_t longest_match_at(std::string_view text, std::size_t i, const std::vector<std::string>& secrets) {
  std::size_t best = 0;
  const std::string_view rest = text.substr(i);
  for (const auto& secret : secrets) {
    if (!secret.empty() && rest.starts_with(secret)) best = std::max(best, secret.size());
  }
  if (i == 0 || !is_word_char(text[i - 1])) {
    for (const TokenShape& shape : token_shapes()) {
      if (!rest.starts_with(shape.prefix)) continue;
      std::size_t end = i + shape.prefix.size();
      while (end < text.size() && is_token_char(text[end])) ++end;
      if (end - i - shape.prefix.size() >= shape.min_body) best = std::max(best, end - i);
    }
  }
  if (i > 0 && text[i - 1] == '=') {
    for (std::string_view name : masked_query_parameters()) {
      if (i < name.size() + 2) continue;
      const char before = text[i - 2 - name.size()];
      if ((before != '?' && before != '&') || !equal_icase(text.substr(i - 1 - name.size(), name.size()), name))
        continue;
      std::size_t end = i;
      while (end < text.size() && is_query_value_char(text[end])) ++end;
      best = std::max(best, end - i);
    }
  }
  return best;
}

}  // namespace

std::string reference_mask(std::string_view text, const std::vector<std::string>& secrets) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = longest_match_at(text, i, secrets);
    if (length > 0) {
      out += "[MASKED]";
      i += length;
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace flowrun::log::testing
