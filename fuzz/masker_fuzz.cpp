// Fuzz target: the streaming masker against a naive reference. From the input bytes come the secrets, the text and
// the sizes of the writes; MaskingStream (any split), Masker::mask and a reference masker written here the slow and
// obvious way from the rule in log/masker.h must produce the same bytes, and no secret may survive in the output.
//
// Input layout (all of it optional, missing parts are empty):
//   byte  S            number of secrets: S % 5
//   per secret: byte L, then (L & 0x80) ? a substring of the text: byte O (offset), length (L & 0x1f) + 1
//                                       : (L & 0x1f) + 1 literal bytes
//   byte  C            number of write sizes: C % 16 (none: the whole text in one write)
//   C bytes            write sizes, used in turn: 0 means flush_partial(), else a write of (b % 97) bytes
//   the rest           the text
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/core/token_shapes.h"
#include "flowrun/log/masker.h"

namespace {

using flowrun::log::kMaskedText;

class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return at_ == size_; }
  std::uint8_t byte() { return empty() ? 0 : data_[at_++]; }
  std::string bytes(std::size_t n) {
    n = std::min(n, size_ - at_);
    std::string out(reinterpret_cast<const char*>(data_ + at_), n);
    at_ += n;
    return out;
  }
  std::string rest() { return bytes(size_ - at_); }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

// ---- The reference: the rule of log/masker.h, position by position over the whole text -------------------------

bool ascii_alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

unsigned char ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c + 32) : c; }

bool continues_word(unsigned char c) { return ascii_alnum(c) || c == '_' || c == '-'; }

bool ends_query_value(unsigned char c) {
  return c < 0x20 || c == 0x7F || std::string_view("&#\"'<>` ").find(static_cast<char>(c)) != std::string_view::npos;
}

bool same_letters(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (ascii_lower(static_cast<unsigned char>(a[k])) != ascii_lower(static_cast<unsigned char>(b[k]))) return false;
  }
  return true;
}

// Length of the longest match at `i` of `text`, 0 for none. The stream sees a newline before the first byte.
std::size_t longest_match(std::string_view text, std::size_t i, const std::vector<std::string>& secrets) {
  const std::string_view here = text.substr(i);
  std::size_t best = 0;
  for (const std::string& secret : secrets) {
    if (!secret.empty() && here.substr(0, secret.size()) == secret) best = std::max(best, secret.size());
  }
  const bool word_before = i > 0 && continues_word(static_cast<unsigned char>(text[i - 1]));
  if (!word_before) {
    for (const flowrun::TokenShape& shape : flowrun::token_shapes()) {
      if (here.substr(0, shape.prefix.size()) != shape.prefix) continue;
      std::size_t body = 0;
      while (shape.prefix.size() + body < here.size() && flowrun::is_token_char(here[shape.prefix.size() + body])) {
        ++body;
      }
      if (body >= shape.min_body) best = std::max(best, shape.prefix.size() + body);
    }
  }
  for (std::string_view name : flowrun::log::masked_query_parameters()) {
    // `?name=` or `&name=` right before i.
    const std::size_t marker = name.size() + 2;
    if (i < marker) continue;
    const std::string_view before = text.substr(i - marker, marker);
    if ((before.front() != '?' && before.front() != '&') || before.back() != '=' ||
        !same_letters(before.substr(1, name.size()), name)) {
      continue;
    }
    std::size_t value = 0;
    while (i + value < text.size() && !ends_query_value(static_cast<unsigned char>(text[i + value]))) ++value;
    best = std::max(best, value);
  }
  return best;
}

std::string reference_mask(std::string_view text, const std::vector<std::string>& secrets) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = longest_match(text, i, secrets);
    if (length == 0) {
      out += text[i++];
    } else {
      out += kMaskedText;
      i += length;
    }
  }
  return out;
}

[[noreturn]] void fail(const char* what, std::string_view expected, std::string_view actual) {
  std::fprintf(stderr, "masker_fuzz: %s\n  expected (%zu bytes): %.*s\n  actual   (%zu bytes): %.*s\n", what,
               expected.size(), static_cast<int>(std::min<std::size_t>(expected.size(), 400)), expected.data(),
               actual.size(), static_cast<int>(std::min<std::size_t>(actual.size(), 400)), actual.data());
  std::abort();
}

// Between two [MASKED] the output is input kept as it was: a whole secret there was missed. (A literal
// "[MASKED]" in the text only cuts the pieces shorter, so this never reports a secret that was masked.)
void check_no_secret_left(std::string_view output, const std::vector<std::string>& secrets) {
  std::size_t from = 0;
  while (from <= output.size()) {
    const std::size_t marker = std::min(output.find(kMaskedText, from), output.size());
    const std::string_view piece = output.substr(from, marker - from);
    for (const std::string& secret : secrets) {
      if (!secret.empty() && piece.find(secret) != std::string_view::npos) fail("a secret survived", secret, piece);
    }
    from = marker + kMaskedText.size();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader input(data, size);
  struct SecretSpec {
    bool from_text;
    std::size_t offset;
    std::size_t length;
    std::string literal;
  };
  std::vector<SecretSpec> specs(input.byte() % 5);
  for (SecretSpec& spec : specs) {
    const std::uint8_t l = input.byte();
    spec.from_text = (l & 0x80) != 0;
    spec.length = (l & 0x1f) + 1u;
    if (spec.from_text) {
      spec.offset = input.byte();
    } else {
      spec.literal = input.bytes(spec.length);
    }
  }
  std::vector<std::size_t> writes(input.byte() % 16);
  for (std::size_t& w : writes) w = input.byte() % 97;
  // Only flush_partial() calls would never get through the text.
  if (std::all_of(writes.begin(), writes.end(), [](std::size_t w) { return w == 0; })) writes.clear();
  const std::string text = input.rest();

  std::vector<std::string> secrets;
  for (const SecretSpec& spec : specs) {
    if (!spec.from_text) {
      secrets.push_back(spec.literal);
    } else if (spec.offset < text.size()) {
      secrets.push_back(text.substr(spec.offset, spec.length));
    }
  }

  const std::string expected = reference_mask(text, secrets);
  auto masker = std::make_shared<const flowrun::log::Masker>(secrets);
  const std::string whole = masker->mask(text);
  if (whole != expected) fail("Masker::mask differs from the reference", expected, whole);

  // Twice through the same stream: flush() must leave it as new.
  flowrun::log::MaskingStream stream(masker);
  for (int round = 0; round < 2; ++round) {
    std::string streamed;
    std::string_view left = text;
    std::size_t next = 0;
    while (!left.empty()) {
      const std::size_t n = writes.empty() ? left.size() : writes[next++ % writes.size()];
      if (n == 0) {
        stream.flush_partial(streamed);
      } else {
        stream.write(left.substr(0, n), streamed);
        left.remove_prefix(std::min(n, left.size()));
      }
      if (stream.pending_bytes() >= std::max<std::size_t>(masker->max_pending(), 1)) {
        fail("the stream holds back more than max_pending()", std::to_string(masker->max_pending()),
             std::to_string(stream.pending_bytes()));
      }
      // What was emitted is final: it must be a prefix of the masked whole.
      if (expected.compare(0, streamed.size(), streamed) != 0)
        fail("the stream emitted wrong bytes", expected, streamed);
    }
    stream.flush(streamed);
    if (streamed != expected) fail("MaskingStream differs from the reference", expected, streamed);
  }
  check_no_secret_left(expected, secrets);
  return 0;
}
