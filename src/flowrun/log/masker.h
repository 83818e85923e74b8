#pragma once
// Hides secrets in output: given secret strings, plus always the known token shapes (core/token_shapes.h) and the
// values of URL query parameters that carry credentials (private_token=, X-Amz-Signature=, ...).
//
// The result of masking is defined on the whole input (see internal/match_rules.h for the rules): at each position the
// longest match (a secret, a token, a query value) is replaced by [MASKED] and masking goes on after it; where nothing
// matches the byte is kept. A token or query value is one match however long it is: a 200 MB run of token characters
// after `glpat-` becomes a single [MASKED]. Where two secrets overlap, the one that starts first wins (the longest of
// those starting there) and masking goes on after it: the end of the other, past the first, stays visible.
//
// MaskingStream produces exactly the same bytes for any split of the input into writes, holding back only a tail that
// could still become a match; mask() is the same on a whole buffer.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace flowrun::log {

inline constexpr std::string_view kMaskedText = "[MASKED]";

namespace internal {
class MatchRules;
class SecretWindows;
enum class Run : std::uint8_t;
}  // namespace internal

class Masker {
 public:
  // Empty secrets are ignored; any length is masked (collect_secrets() leaves out values too short to mask).
  explicit Masker(std::vector<std::string> secrets = {});
  ~Masker();
  Masker(Masker&&) noexcept;
  Masker& operator=(Masker&&) noexcept;
  Masker(const Masker&) = delete;
  Masker& operator=(const Masker&) = delete;

  std::string mask(std::string_view text) const;

  // The most bytes a MaskingStream ever holds back (exclusive): the longest secret or token threshold.
  std::size_t max_pending() const;
  std::size_t secret_count() const;

 private:
  friend class MaskingStream;
  std::unique_ptr<const internal::MatchRules> rules_;
  std::unique_ptr<const internal::SecretWindows> windows_;
};

// Names of the URL query parameters whose values are always masked (case-insensitive, after `?` or `&`).
const std::vector<std::string_view>& masked_query_parameters();

class MaskingStream {
 public:
  explicit MaskingStream(std::shared_ptr<const Masker> masker);

  // Appends to `out` the masked bytes that are safe to emit: all but a tail that could still be the start of a match.
  void write(std::string_view chunk, std::string& out);
  // Emits what write() with no new data would: everything that cannot be the start of a match. For a caller that
  // flushes on a timer; held-back bytes stay held, they may be the first half of a secret.
  void flush_partial(std::string& out);
  // End of the stream: emits everything left, masked. The stream starts afresh afterwards.
  void flush(std::string& out);

  // Bytes held back, always < masker.max_pending().
  std::size_t pending_bytes() const { return buffer_.size() - history_; }

 private:
  void process(bool final, std::string& out);
  void remember(std::string_view consumed);

  std::shared_ptr<const Masker> masker_;
  // The last bytes of input already emitted (lookbehind for the rules, at least one byte: a newline at the start),
  // then the held-back bytes.
  std::string buffer_;
  std::size_t history_ = 0;
  // A token or query value already replaced that the input may still continue: its bytes are dropped.
  internal::Run dropping_run_{};
};

}  // namespace flowrun::log
