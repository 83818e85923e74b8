#include "flowrun/log/internal/byte_masks.h"

#include <stdexcept>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define FLOWRUN_X86_SIMD 1
#endif

namespace flowrun::log::internal {

namespace {

#if defined(FLOWRUN_X86_SIMD)

std::uint64_t mask16(__m128i bytes) { return static_cast<std::uint16_t>(_mm_movemask_epi8(bytes)); }

ByteMasks classify_sse2(const char* block, const unsigned char* first, std::size_t first_count) {
  const __m128i case_bit = _mm_set1_epi8(0x20);
  const __m128i lower_a = _mm_set1_epi8('a');
  const __m128i letters = _mm_set1_epi8(25);
  const __m128i equals = _mm_set1_epi8('=');
  ByteMasks masks;
  for (int part = 0; part < 4; ++part) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * part));
    // Unsigned range check: x - 'a' <= 25  <=>  min(x - 'a', 25) == x - 'a'.
    const __m128i offset = _mm_sub_epi8(_mm_or_si128(v, case_bit), lower_a);
    const __m128i letter = _mm_cmpeq_epi8(_mm_min_epu8(offset, letters), offset);
    __m128i hits = _mm_setzero_si128();
    for (std::size_t k = 0; k < first_count; ++k) {
      hits = _mm_or_si128(hits, _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(first[k]))));
    }
    const int shift = 16 * part;
    masks.letter |= mask16(letter) << shift;
    masks.token_first |= mask16(hits) << shift;
    masks.equals |= mask16(_mm_cmpeq_epi8(v, equals)) << shift;
  }
  return masks;
}

__attribute__((target("avx2"))) std::uint64_t mask32(__m256i bytes) {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(bytes));
}

__attribute__((target("avx2"))) ByteMasks classify_avx2(const char* block, const unsigned char* first,
                                                        std::size_t first_count) {
  const __m256i case_bit = _mm256_set1_epi8(0x20);
  const __m256i lower_a = _mm256_set1_epi8('a');
  const __m256i letters = _mm256_set1_epi8(25);
  const __m256i equals = _mm256_set1_epi8('=');
  ByteMasks masks;
  for (int part = 0; part < 2; ++part) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32 * part));
    const __m256i offset = _mm256_sub_epi8(_mm256_or_si256(v, case_bit), lower_a);
    const __m256i letter = _mm256_cmpeq_epi8(_mm256_min_epu8(offset, letters), offset);
    __m256i hits = _mm256_setzero_si256();
    for (std::size_t k = 0; k < first_count; ++k) {
      hits = _mm256_or_si256(hits, _mm256_cmpeq_epi8(v, _mm256_set1_epi8(static_cast<char>(first[k]))));
    }
    const int shift = 32 * part;
    masks.letter |= mask32(letter) << shift;
    masks.token_first |= mask32(hits) << shift;
    masks.equals |= mask32(_mm256_cmpeq_epi8(v, equals)) << shift;
  }
  return masks;
}

#endif

}  // namespace

ByteClassifier::ByteClassifier(const std::vector<unsigned char>& token_first_bytes) {
  if (token_first_bytes.size() > kMaxFirstBytes) {
    throw std::logic_error("more distinct first bytes of token prefixes than the masker's scan handles");
  }
  // Indexed by the checked size (not a running counter), so the bound is plain to the compiler too.
  first_count_ = token_first_bytes.size();
  for (std::size_t i = 0; i < first_count_ && i < first_.size(); ++i) {
    first_[i] = token_first_bytes[i];
    portable_[token_first_bytes[i]] |= kTokenFirstBit;
  }
  for (unsigned c = 'A'; c <= 'Z'; ++c) portable_[c] |= kLetterBit;
  for (unsigned c = 'a'; c <= 'z'; ++c) portable_[c] |= kLetterBit;
  portable_['='] |= kEqualsBit;
#if defined(FLOWRUN_X86_SIMD)
  static const bool has_avx2 = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  avx2_ = has_avx2;
#endif
}

ByteMasks ByteClassifier::classify(const char* block) const {
#if defined(FLOWRUN_X86_SIMD)
  return avx2_ ? classify_avx2(block, first_.data(), first_count_) : classify_sse2(block, first_.data(), first_count_);
#else
  return classify_portable(block);
#endif
}

ByteMasks ByteClassifier::classify_portable(const char* block) const {
  ByteMasks masks;
  for (std::size_t k = 0; k < kBlock; ++k) {
    const std::uint8_t flags = portable_[static_cast<unsigned char>(block[k])];
    masks.letter |= std::uint64_t{(flags & kLetterBit) != 0} << k;
    masks.token_first |= std::uint64_t{(flags & kTokenFirstBit) != 0} << k;
    masks.equals |= std::uint64_t{(flags & kEqualsBit) != 0} << k;
  }
  return masks;
}

}  // namespace flowrun::log::internal
