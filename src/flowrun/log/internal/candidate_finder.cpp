#include "flowrun/log/internal/candidate_finder.h"

#include <algorithm>

namespace flowrun::log::internal {

namespace {

constexpr std::size_t kBlock = ByteClassifier::kBlock;
constexpr std::size_t kTableBits = 1u << 16;

}  // namespace

SecretWindows::SecretWindows(const std::vector<std::string>& secrets) : bits_(kTableBits / 64, 0) {
  std::size_t shortest = 0;
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    shortest = shortest == 0 ? secret.size() : std::min(shortest, secret.size());
  }
  if (shortest == 0) return;
  empty_ = false;
  gram_ = std::min<std::size_t>(4, shortest);
  step_ = shortest - gram_ + 1;
  std::vector<std::uint32_t> values;
  for (const auto& secret : secrets) {
    for (std::size_t offset = 0; offset < step_; ++offset) values.push_back(load(secret.data() + offset));
  }
  std::size_t slot_count = 16;
  while (slot_count < 2 * values.size()) slot_count *= 2;
  slots_.assign(slot_count, 0);
  for (std::uint32_t value : values) {
    const std::uint32_t bit = (value * 0x9E3779B1u) >> 16;
    bits_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
    std::size_t slot = slot_of(value);
    const std::uint64_t entry = (std::uint64_t{1} << 32) | value;
    while (slots_[slot] != 0 && slots_[slot] != entry) slot = (slot + 1) & (slots_.size() - 1);
    slots_[slot] = entry;
  }
}

bool SecretWindows::contains(std::uint32_t value) const {
  const std::uint64_t entry = (std::uint64_t{1} << 32) | value;
  for (std::size_t slot = slot_of(value); slots_[slot] != 0; slot = (slot + 1) & (slots_.size() - 1)) {
    if (slots_[slot] == entry) return true;
  }
  return false;
}

CandidateFinder::CandidateFinder(const MatchRules& rules, const SecretWindows& windows, const char* data,
                                 std::size_t end)
    : rules_(rules), windows_(windows), classifier_(rules.token_first_bytes()), data_(data), end_(end) {}

std::size_t CandidateFinder::next(std::size_t from) {
  if (from >= end_) return end_;
  return std::min(next_secret(from), next_token_or_value(from));
}

bool CandidateFinder::secret_may_start(std::size_t position) const {
  return rules_.starts_secret(static_cast<unsigned char>(data_[position]));
}

std::size_t CandidateFinder::next_secret(std::size_t from) {
  if (!secret_cache_.covers(from)) secret_cache_ = {from, next_secret_uncached(from)};
  return secret_cache_.result;
}

std::size_t CandidateFinder::next_secret_uncached(std::size_t from) {
  if (windows_.empty()) return end_;
  // Positions [from, secret_range_begin_) were passed over by the sampling that found the range.
  if (from < secret_range_end_) {
    for (std::size_t p = std::max(from, secret_range_begin_); p < secret_range_end_; ++p) {
      if (secret_may_start(p)) return p;
    }
    from = secret_range_end_;
  }
  const std::size_t step = windows_.step();
  const std::size_t gram = windows_.gram();
  // The window at `window` lies inside any secret that starts in [window - step + 1, window].
  std::size_t window = from + step - 1;
  while (window + gram <= end_) {
    // Four windows at a time while none is in the table (the common case).
    while (window + 3 * step + gram <= end_ &&
           !(windows_.may_contain_quick(data_ + window) || windows_.may_contain_quick(data_ + window + step) ||
             windows_.may_contain_quick(data_ + window + 2 * step) ||
             windows_.may_contain_quick(data_ + window + 3 * step))) {
      window += 4 * step;
    }
    if (window + gram > end_) break;
    if (windows_.may_contain(data_ + window)) {
      secret_range_begin_ = window + 1 - step;
      secret_range_end_ = window + 1;
      for (std::size_t p = secret_range_begin_; p < secret_range_end_; ++p) {
        if (secret_may_start(p)) return p;
      }
    }
    window += step;
  }
  // Windows no longer fit: a secret the data ends inside of may start anywhere from here.
  secret_range_begin_ = window + 1 - step;
  secret_range_end_ = end_;
  for (std::size_t p = secret_range_begin_; p < secret_range_end_; ++p) {
    if (secret_may_start(p)) return p;
  }
  return end_;
}

bool CandidateFinder::value_may_start(std::size_t position) const {
  return position >= 3 && data_[position - 1] == '=' && rules_.may_end_query_parameter(data_ + position - 1);
}

bool CandidateFinder::token_may_start(std::size_t position) const {
  const auto first = static_cast<unsigned char>(data_[position]);
  if (has_class(static_cast<unsigned char>(data_[position - 1]), kWordChar) || !rules_.starts_token(first)) {
    return false;
  }
  if (position + 1 < end_ && !rules_.starts_token(first, static_cast<unsigned char>(data_[position + 1]))) {
    return false;
  }
  const std::size_t needed = rules_.shortest_token();
  std::size_t k = position;
  while (k < end_ && k - position < needed && has_class(static_cast<unsigned char>(data_[k]), kTokenChar)) ++k;
  return k - position >= needed || k == end_;
}

std::size_t CandidateFinder::next_token_or_value(std::size_t from) {
  if (!token_cache_.covers(from)) token_cache_ = {from, next_token_or_value_uncached(from)};
  return token_cache_.result;
}

std::size_t CandidateFinder::next_token_or_value_uncached(std::size_t from) {
  std::size_t base = from;
  if (have_block_ && from >= block_base_ && from < block_base_ + kBlock) {
    const std::uint64_t rest = block_mask_ & (~std::uint64_t{0} << (from - block_base_));
    if (rest != 0) return block_base_ + static_cast<std::size_t>(__builtin_ctzll(rest));
    base = block_base_ + kBlock;
  }
  while (base + kBlock <= end_) {
    block_mask_ = block_candidates(base);
    block_base_ = base;
    have_block_ = true;
    if (block_mask_ != 0) return base + static_cast<std::size_t>(__builtin_ctzll(block_mask_));
    base += kBlock;
  }
  for (std::size_t p = base; p < end_; ++p) {
    if (value_may_start(p) || token_may_start(p)) return p;
  }
  return end_;
}

// Where a byte is `=` or a prefix's first byte that starts a word, a query value or token may start; such positions
// are few, and each is then checked on its own.
std::uint64_t CandidateFinder::block_candidates(std::size_t base) const {
  const ByteMasks masks = classifier_.classify(data_ + base);
  std::uint64_t candidates = value_may_start(base) ? 1 : 0;
  for (std::uint64_t bits = masks.equals & (~std::uint64_t{0} >> 1); bits != 0; bits &= bits - 1) {
    const std::size_t k = static_cast<std::size_t>(__builtin_ctzll(bits));
    if (value_may_start(base + k + 1)) candidates |= std::uint64_t{1} << (k + 1);
  }
  // Letters are most of the word bytes a prefix's first byte follows inside a word; token_may_start() checks the rest.
  for (std::uint64_t bits = masks.token_first & ~(masks.letter << 1); bits != 0; bits &= bits - 1) {
    const std::size_t k = static_cast<std::size_t>(__builtin_ctzll(bits));
    if (token_may_start(base + k)) candidates |= std::uint64_t{1} << k;
  }
  return candidates;
}

}  // namespace flowrun::log::internal
