// The masker's fast paths against their definitions.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "flowrun/core/token_shapes.h"
#include "flowrun/log/internal/byte_masks.h"
#include "flowrun/log/internal/char_classes.h"
#include "flowrun/log/internal/match_rules.h"

namespace flowrun::log::internal {
namespace {

TEST(CharClasses, TokenCharactersAreCoreTokenCharacters) {
  for (int c = 0; c < 256; ++c) {
    EXPECT_EQ(has_class(static_cast<unsigned char>(c), kTokenChar), is_token_char(static_cast<char>(c))) << c;
    if (has_class(static_cast<unsigned char>(c), kTokenChar)) {
      EXPECT_TRUE(has_class(static_cast<unsigned char>(c), kQueryValueChar)) << c;
    }
  }
}

TEST(ByteClassifier, SimdAndPortableAgreeOnEveryByte) {
  const MatchRules rules({});
  const ByteClassifier classifier(rules.token_first_bytes());
  std::string block(ByteClassifier::kBlock, '\0');
  for (int start = 0; start < 256; start += static_cast<int>(ByteClassifier::kBlock)) {
    for (std::size_t k = 0; k < block.size(); ++k) block[k] = static_cast<char>(start + static_cast<int>(k));
    const ByteMasks fast = classifier.classify(block.data());
    const ByteMasks portable = classifier.classify_portable(block.data());
    EXPECT_EQ(fast.letter, portable.letter) << start;
    EXPECT_EQ(fast.token_first, portable.token_first) << start;
    EXPECT_EQ(fast.equals, portable.equals) << start;
  }
  std::mt19937 random(5);
  for (int iteration = 0; iteration < 2000; ++iteration) {
    for (char& c : block) c = static_cast<char>(random() % 4 == 0 ? "gGsAx=aZ"[random() % 8] : random() % 256);
    const ByteMasks fast = classifier.classify(block.data());
    const ByteMasks portable = classifier.classify_portable(block.data());
    ASSERT_EQ(fast.letter, portable.letter);
    ASSERT_EQ(fast.token_first, portable.token_first);
    ASSERT_EQ(fast.equals, portable.equals);
  }
}

TEST(ByteClassifier, PortableMasksMeanWhatTheySay) {
  const MatchRules rules({});
  const ByteClassifier classifier(rules.token_first_bytes());
  std::string block(ByteClassifier::kBlock, ' ');
  block.replace(0, 12, "glpat-x=Ab9s");
  const ByteMasks masks = classifier.classify_portable(block.data());
  EXPECT_EQ(masks.equals, std::uint64_t{1} << 7);
  auto bits = [](std::initializer_list<int> positions) {
    std::uint64_t mask = 0;
    for (int position : positions) mask |= std::uint64_t{1} << position;
    return mask;
  };
  EXPECT_EQ(masks.token_first, bits({0, 6, 8, 11}));  // g, x, A, s
  EXPECT_EQ(masks.letter, bits({0, 1, 2, 3, 4, 6, 8, 9, 11}));
}

}  // namespace
}  // namespace flowrun::log::internal
