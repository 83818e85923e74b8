#pragma once
// Bit masks of the bytes that can begin a token or a query value, 64 bytes at a time: the masker's inner loop.
// Uses AVX2 when the CPU has it, SSE2 on other x86-64, plain code elsewhere; all three give the same masks.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace flowrun::log::internal {

struct ByteMasks {                // bit k describes block[k]
  std::uint64_t letter = 0;       // [A-Za-z]
  std::uint64_t token_first = 0;  // the first byte of a token prefix
  std::uint64_t equals = 0;       // '='
};

class ByteClassifier {
 public:
  static constexpr std::size_t kBlock = 64;
  static constexpr std::size_t kMaxFirstBytes = 8;

  // `token_first_bytes`: at most kMaxFirstBytes distinct bytes.
  explicit ByteClassifier(const std::vector<unsigned char>& token_first_bytes);

  // block[0, kBlock) must be readable.
  ByteMasks classify(const char* block) const;

  // The portable version, which the fast ones must agree with (tests).
  ByteMasks classify_portable(const char* block) const;

 private:
  static constexpr std::uint8_t kLetterBit = 1;
  static constexpr std::uint8_t kTokenFirstBit = 2;
  static constexpr std::uint8_t kEqualsBit = 4;

  std::array<unsigned char, kMaxFirstBytes> first_{};
  std::size_t first_count_ = 0;
  std::array<std::uint8_t, 256> portable_{};  // the three classes by byte
  bool avx2_ = false;
};

}  // namespace flowrun::log::internal
