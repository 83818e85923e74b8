#include "flowrun/flow/key_suggestion.h"

#include <cctype>

#include "flowrun/core/text.h"

namespace flowrun::flow {
namespace {

std::string normalized(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c != '_' && c != '-') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

std::optional<std::string> suggest_key(std::string_view unknown, std::span<const std::string_view> known) {
  const std::string wanted = normalized(unknown);
  // Short keys tolerate one edit, longer ones two: enough for typos, too little to match unrelated words.
  const std::size_t tolerance = wanted.size() <= 4 ? 1 : 2;
  std::optional<std::string> best;
  std::size_t best_distance = tolerance + 1;
  for (std::string_view candidate : known) {
    std::size_t distance = text::levenshtein(wanted, normalized(candidate));
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  return best;
}

}  // namespace flowrun::flow
