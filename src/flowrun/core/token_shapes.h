#pragma once
// Known shapes of secret tokens: a fixed prefix followed by a run of token characters. Shared by the masker
// (which hides them in output) and the validator (which warns about them written literally in a flow file).
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace flowrun {

struct TokenShape {
  std::string_view prefix;  // case-sensitive
  std::size_t min_body;     // token characters required after the prefix for a match
  std::string_view name;    // what it is, for messages
};

// The shapes flowrun knows, GitLab's token prefixes first.
std::span<const TokenShape> token_shapes();

// Characters that continue a token after its prefix: [A-Za-z0-9._=-] as GitLab Runner's masker uses, plus '_' .
bool is_token_char(char c);

struct TokenMatch {
  std::size_t offset;  // where the prefix starts
  std::size_t length;  // prefix and body
  const TokenShape* shape;
};

// The first token in `text` at or after `from`. The prefix must not continue a word: "xglpat-" is not a token.
std::optional<TokenMatch> find_token(std::string_view text, std::size_t from = 0);

}  // namespace flowrun
