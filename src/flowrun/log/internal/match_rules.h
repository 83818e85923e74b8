#pragma once
// What the masker replaces, decided at one position of the input. This is the definition of masking; the fast scan
// (candidate_finder.h) only skips positions where decide() could not find anything.
//
// At position i the candidates are:
//   - every secret string that the input continues with at i;
//   - a token (core/token_shapes): at i a known prefix that does not continue a word (the byte before i is not
//     [A-Za-z0-9_-]), followed by at least the shape's minimum of token characters; the match takes the whole run of
//     token characters;
//   - the value of a URL query parameter: the input before i ends with `?name=` or `&name=` for a masked parameter name
//     (case-insensitive), and the match takes the whole run of value characters from i (at least one).
// The longest candidate wins and is replaced by [MASKED]; masking then goes on right after it. Without a candidate, the
// byte at i is kept and masking goes on at i + 1. Lookbehind always reads the original input, masked or not.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/core/token_shapes.h"
#include "flowrun/log/internal/char_classes.h"

namespace flowrun::log::internal {

// A match without a known end that masking keeps dropping bytes of, across writes.
enum class Run : std::uint8_t { none, token, query_value };

struct Decision {
  enum class Kind : std::uint8_t {
    no_match,   // keep the byte at i
    match,      // replace `length` bytes
    undecided,  // the bytes after the end of the data decide: hold back from i
    run,        // a token or query value reaches the end of the data and no secret could be longer: replace it, and
                // keep dropping the bytes that continue `run` from the next data on
  };
  Kind kind = Kind::no_match;
  std::size_t length = 0;
  Run run = Run::none;
};

class MatchRules {
 public:
  explicit MatchRules(std::vector<std::string> secrets);

  // The decision at data[i], knowing data[0, end). data[i - 1] must exist (callers keep at least one byte of history,
  // a newline at the start of a stream). `final`: nothing comes after `end`.
  Decision decide(const char* data, std::size_t i, std::size_t end, bool final) const;

  // Whether the byte continues a run being dropped.
  bool continues(Run run, unsigned char c) const {
    return has_class(c, run == Run::token ? kTokenChar : kQueryValueChar);
  }

  // Secrets, deduplicated, longest first (empty strings dropped).
  const std::vector<std::string>& secrets() const { return secrets_; }
  std::size_t longest_secret() const { return secrets_.empty() ? 0 : secrets_.front().size(); }
  // The bytes a stream may have to hold back at most, exclusive: max(longest secret, longest token threshold).
  std::size_t max_pending() const { return max_pending_; }
  // The fewest bytes any token takes (prefix and minimum body): a token always is a run of at least this many token
  // characters.
  std::size_t shortest_token() const { return shortest_token_; }
  // Whether a token prefix starts with the byte.
  bool starts_token(unsigned char c) const { return !shapes_by_first_byte_[c].empty(); }
  // Whether a token prefix starts with the two bytes.
  bool starts_token(unsigned char first, unsigned char second) const {
    return ((token_second_bytes_[first][second >> 6] >> (second & 63)) & 1) != 0;
  }
  // The distinct first bytes of token prefixes.
  const std::vector<unsigned char>& token_first_bytes() const { return token_first_bytes_; }
  // Whether a masked query parameter's name may end right before `end` (the `=`): its last two bytes, in any case.
  // Needs end[-2] and end[-1].
  bool may_end_query_parameter(const char* end) const {
    return (name_second_last_byte_[static_cast<unsigned char>(end[-2])] &
            name_last_byte_[static_cast<unsigned char>(end[-1])]) != 0;
  }
  // Whether a secret starts with the byte.
  bool starts_secret(unsigned char c) const { return !secrets_by_first_byte_[c].empty(); }
  // Bytes of original input a stream must keep before the next position for the lookbehind: the longest
  // `?name=` marker.
  static constexpr std::size_t kLookbehind = 32;

 private:
  std::size_t longest_query_marker_before(const char* data, std::size_t i) const;
  bool query_value_starts_at(const char* data, std::size_t i) const;

  std::vector<std::string> secrets_;
  std::array<std::vector<std::uint32_t>, 256> secrets_by_first_byte_;  // indices into secrets_, longest first
  std::array<std::vector<const TokenShape*>, 256> shapes_by_first_byte_;
  std::vector<unsigned char> token_first_bytes_;
  std::array<std::array<std::uint64_t, 4>, 256> token_second_bytes_{};  // bit sets, by first byte
  std::array<std::uint8_t, 256> name_second_last_byte_{};
  std::array<std::uint8_t, 256> name_last_byte_{};
  std::size_t shortest_token_ = 0;
  std::size_t max_pending_ = 0;
};

// Names of the URL query parameters whose values are masked wherever they appear.
const std::vector<std::string_view>& masked_query_parameters();

}  // namespace flowrun::log::internal
