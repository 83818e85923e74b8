#pragma once
// Skips, fast, the bytes where MatchRules::decide() cannot find anything, so that it runs on few positions.
//
// Two filters, each conservative (it may stop where nothing matches, never skips a match):
//   - secrets: every secret is at least `gram + step - 1` bytes long, so sampling a `gram`-byte window every `step`
//     bytes lands inside any occurrence; a bit table of the windows found in secrets says where one may start.
//   - tokens and query values: a token starts with a prefix's first byte after a non-word byte and is a run of at
//     least MatchRules::shortest_token() token characters; a query value starts after `=` that follows the end of a
//     parameter name. Those bytes are found 64 at a time from byte masks (byte_masks.h), and the few found are then
//     checked one by one.
// Near the end of the data, where a window does not fit, every position that could begin a match is returned.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "flowrun/log/internal/byte_masks.h"
#include "flowrun/log/internal/match_rules.h"

namespace flowrun::log::internal {

// The windows found in secrets; built once per masker. A bit table answers most lookups (no), the exact set the rest,
// so that a common word whose window happens to share a bit with a secret's costs little.
class SecretWindows {
 public:
  explicit SecretWindows(const std::vector<std::string>& secrets);

  bool empty() const { return empty_; }
  std::size_t gram() const { return gram_; }
  std::size_t step() const { return step_; }
  // The quick answer: false means no secret has this window.
  bool may_contain_quick(const char* window) const {
    const std::uint32_t bit = (load(window) * 0x9E3779B1u) >> 16;
    return (bits_[bit >> 6] & (std::uint64_t{1} << (bit & 63))) != 0;
  }
  bool may_contain(const char* window) const { return may_contain_quick(window) != 0 && contains(load(window)); }

 private:
  std::uint32_t load(const char* window) const {
    std::uint32_t value = 0;
    if (gram_ == 4) {
      std::memcpy(&value, window, 4);
    } else {
      for (std::size_t k = 0; k < gram_; ++k) value |= std::uint32_t{static_cast<unsigned char>(window[k])} << (8 * k);
    }
    return value;
  }
  bool contains(std::uint32_t value) const;
  std::size_t slot_of(std::uint32_t value) const { return ((value * 0x85EBCA6Bu) >> 7) & (slots_.size() - 1); }

  bool empty_ = true;
  std::size_t gram_ = 4;
  std::size_t step_ = 1;
  std::vector<std::uint64_t> bits_;   // 2^16 bits
  std::vector<std::uint64_t> slots_;  // open addressing: 0 empty, else 2^32 | window
};

// One scan over data[0, end): next() is called with non-decreasing positions.
class CandidateFinder {
 public:
  CandidateFinder(const MatchRules& rules, const SecretWindows& windows, const char* data, std::size_t end);

  // The first position >= from where a match may start, or end.
  std::size_t next(std::size_t from);

 private:
  struct Cache {
    std::size_t from = 1;    // nothing can start in [from, result) ...
    std::size_t result = 0;  // ... and result is a candidate (or end)
    bool covers(std::size_t position) const { return position >= from && position <= result; }
  };
  std::size_t next_secret(std::size_t from);
  std::size_t next_secret_uncached(std::size_t from);
  std::size_t next_token_or_value(std::size_t from);
  std::size_t next_token_or_value_uncached(std::size_t from);
  bool secret_may_start(std::size_t position) const;
  bool value_may_start(std::size_t position) const;
  bool token_may_start(std::size_t position) const;
  // Bit k: a token or query value may start at base + k.
  std::uint64_t block_candidates(std::size_t base) const;

  const MatchRules& rules_;
  const SecretWindows& windows_;
  ByteClassifier classifier_;
  const char* data_;
  std::size_t end_;

  Cache secret_cache_;
  std::size_t secret_range_begin_ = 0;  // a window hit: a secret may start in [begin, end)
  std::size_t secret_range_end_ = 0;

  Cache token_cache_;
  bool have_block_ = false;
  std::size_t block_base_ = 0;
  std::uint64_t block_mask_ = 0;
};

}  // namespace flowrun::log::internal
