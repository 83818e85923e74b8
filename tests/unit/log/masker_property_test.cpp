// Random inputs, random secrets, random ways of splitting the input into writes: the stream, the whole-buffer masker
// and the slow reference must agree byte for byte, and the stream must never hold back more than it says.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "flowrun/core/token_shapes.h"
#include "flowrun/log/masker.h"
#include "reference_masker.h"

namespace flowrun::log {
namespace {

class CaseMaker {
 public:
  explicit CaseMaker(std::uint64_t seed) : rng_(seed) {}

  std::size_t below(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

  std::string random_from(std::string_view alphabet, std::size_t length) {
    std::string out;
    for (std::size_t k = 0; k < length; ++k) out += alphabet[below(alphabet.size())];
    return out;
  }

  // Secrets that share prefixes, contain one another, overlap, and contain the bytes the other rules care about.
  std::vector<std::string> secrets(std::size_t count) {
    static constexpr std::string_view kAlphabet = "abcdefgAKIgl-_=.&?%/ \n\"x0123";
    std::vector<std::string> out;
    for (std::size_t k = 0; k < count; ++k) {
      std::string secret;
      const std::size_t kind = out.empty() ? 0 : below(6);
      const std::string& other = out.empty() ? secret : out[below(out.size())];
      switch (kind) {
        case 0:
          secret = random_from(kAlphabet, 1 + below(below(4) == 0 ? 40 : 14));
          break;
        case 1:  // a prefix of another
          secret = other.substr(0, 1 + below(other.size()));
          break;
        case 2:  // another, longer
          secret = other + random_from(kAlphabet, 1 + below(8));
          break;
        case 3:  // overlapping the end of another
          secret = other.substr(below(other.size())) + random_from(kAlphabet, 1 + below(8));
          break;
        case 4: {  // a token, or a token lookalike, that may go on with other bytes
          const TokenShape& shape = token_shapes()[below(token_shapes().size())];
          secret = std::string(shape.prefix) + random_from("abcXYZ019._=-", shape.min_body - 3 + below(10));
          if (below(2) == 0) secret += random_from(kAlphabet, 1 + below(10));
          break;
        }
        default:  // a query parameter value that may go on with other bytes
          secret = "?private_token=" + random_from("abc%=._-", 1 + below(25));
          if (below(2) == 0) secret += random_from(kAlphabet, 1 + below(10));
      }
      out.push_back(secret);
    }
    return out;
  }

  std::string text(const std::vector<std::string>& secrets, std::size_t target) {
    static constexpr std::string_view kTokenChars =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._=-";
    static constexpr std::string_view kMarkers[] = {
        "?private_token=", "&X-Amz-Signature=", "?JOB_TOKEN=", "&access_token=", "?rss_token", "x_private_token="};
    std::string out;
    while (out.size() < target) {
      switch (below(12)) {
        case 0:
        case 1:
          if (!secrets.empty()) out += secrets[below(secrets.size())];
          break;
        case 2:
          if (!secrets.empty()) {
            const std::string& s = secrets[below(secrets.size())];
            out += s.substr(0, below(s.size() + 1));
          }
          break;
        case 3: {
          const TokenShape& shape = token_shapes()[below(token_shapes().size())];
          out += below(2) == 0 ? std::string(shape.prefix)
                               : std::string(shape.prefix.substr(0, below(shape.prefix.size())));
          out += random_from(kTokenChars, below(below(3) == 0 ? 80 : 30));
          break;
        }
        case 4:
          out += kMarkers[below(std::size(kMarkers))];
          out += random_from("ab%2F=._-+/", below(12));
          break;
        case 5:
          out += random_from(kTokenChars, below(40));
          break;
        case 6:
          out += random_from(" \n\t=&?#\"'", 1 + below(3));
          break;
        case 7: {
          std::string bytes;
          for (std::size_t k = below(6); k > 0; --k) bytes += static_cast<char>(below(256));
          out += bytes;
          break;
        }
        default:
          out += random_from("the quick brown fox jumps over a lazy dog ", 1 + below(20));
      }
    }
    return out;
  }

  std::vector<std::string_view> chunks(std::string_view text) {
    std::vector<std::string_view> out;
    const std::size_t style = below(4);
    while (!text.empty()) {
      std::size_t size = 1;
      if (style == 1) size = 1 + below(8);
      if (style == 2) size = 1 + below(200);
      if (style == 3) size = below(3) == 0 ? below(4) : 1 + below(5000);
      size = std::min(size, text.size());
      out.push_back(text.substr(0, size));
      text.remove_prefix(size);
    }
    return out;
  }

 private:
  std::mt19937_64 rng_;
};

void check_case(CaseMaker& maker, const std::vector<std::string>& secrets, const std::string& text, int splits) {
  const std::string expected = testing::reference_mask(text, secrets);
  auto masker = std::make_shared<const Masker>(secrets);
  ASSERT_EQ(masker->mask(text), expected) << "whole buffer, text size " << text.size();
  for (int split = 0; split < splits; ++split) {
    MaskingStream stream(masker);
    std::string out;
    for (auto chunk : maker.chunks(text)) {
      stream.write(chunk, out);
      ASSERT_LT(stream.pending_bytes(), std::max<std::size_t>(masker->max_pending(), 1));
      if (maker.below(4) == 0) stream.flush_partial(out);
    }
    stream.flush(out);
    ASSERT_EQ(out, expected) << "split " << split << ", text size " << text.size();
  }
}

TEST(MaskerProperty, StreamEqualsWholeBufferEqualsReference) {
  CaseMaker maker(20240611);
  for (int iteration = 0; iteration < 3000; ++iteration) {
    const auto secrets = maker.secrets(maker.below(7));
    const std::string text = maker.text(secrets, maker.below(maker.below(5) == 0 ? 3000 : 400));
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    check_case(maker, secrets, text, 3);
    if (HasFatalFailure()) return;
  }
}

TEST(MaskerProperty, LongInputsWithManySecrets) {
  CaseMaker maker(7);
  for (int iteration = 0; iteration < 12; ++iteration) {
    const auto secrets = maker.secrets(50);
    const std::string text = maker.text(secrets, 100000 + maker.below(100000));
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    check_case(maker, secrets, text, 2);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace flowrun::log
