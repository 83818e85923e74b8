#include "flowrun/log/masker.h"

#include "flowrun/log/internal/candidate_finder.h"
#include "flowrun/log/internal/match_rules.h"

namespace flowrun::log {

namespace {

using internal::Decision;
using internal::MatchRules;
using internal::Run;
using internal::SecretWindows;

struct ScanEnd {
  std::size_t held_from;  // data[held_from, end) is held back
  Run run;                // a run to keep dropping
};

// Masks data[begin, end) into `out`; data[0, begin) is input before it (lookbehind), begin >= 1.
ScanEnd scan(const MatchRules& rules, const SecretWindows& windows, const char* data, std::size_t begin,
             std::size_t end, bool final, std::string& out) {
  internal::CandidateFinder finder(rules, windows, data, end);
  std::size_t emitted = begin;
  std::size_t i = begin;
  while ((i = finder.next(i)) < end) {
    const Decision decision = rules.decide(data, i, end, final);
    switch (decision.kind) {
      case Decision::Kind::no_match:
        ++i;
        break;
      case Decision::Kind::match:
        out.append(data + emitted, i - emitted);
        out += kMaskedText;
        i += decision.length;
        emitted = i;
        break;
      case Decision::Kind::undecided:
        out.append(data + emitted, i - emitted);
        return {i, Run::none};
      case Decision::Kind::run:
        out.append(data + emitted, i - emitted);
        out += kMaskedText;
        return {end, decision.run};
    }
  }
  out.append(data + emitted, end - emitted);
  return {end, Run::none};
}

}  // namespace

Masker::Masker(std::vector<std::string> secrets)
    : rules_(std::make_unique<const MatchRules>(std::move(secrets))),
      windows_(std::make_unique<const SecretWindows>(rules_->secrets())) {}

Masker::~Masker() = default;
Masker::Masker(Masker&&) noexcept = default;
Masker& Masker::operator=(Masker&&) noexcept = default;

std::string Masker::mask(std::string_view text) const {
  std::string input;
  input.reserve(text.size() + 1);
  input += '\n';  // what the rules see before the first byte: a line start
  input += text;
  std::string out;
  out.reserve(text.size());
  scan(*rules_, *windows_, input.data(), 1, input.size(), /*final=*/true, out);
  return out;
}

std::size_t Masker::max_pending() const { return rules_->max_pending(); }
std::size_t Masker::secret_count() const { return rules_->secrets().size(); }

const std::vector<std::string_view>& masked_query_parameters() { return internal::masked_query_parameters(); }

MaskingStream::MaskingStream(std::shared_ptr<const Masker> masker)
    : masker_(std::move(masker)), buffer_("\n"), history_(1), dropping_run_(Run::none) {}

void MaskingStream::write(std::string_view chunk, std::string& out) {
  // Splitting the input differently never changes the output, so a chunk is taken in whatever pieces are cheapest:
  // small ones through the buffer (to join what is held back, or to get lookbehind from the history), and then the
  // rest where it is, without copying it.
  const MatchRules& rules = *masker_->rules_;
  constexpr std::size_t lookbehind = MatchRules::kLookbehind;
  const std::size_t small = masker_->max_pending() + lookbehind;
  while (!chunk.empty()) {
    if (dropping_run_ != Run::none) {
      std::size_t dropped = 0;
      while (dropped < chunk.size() && rules.continues(dropping_run_, static_cast<unsigned char>(chunk[dropped]))) {
        ++dropped;
      }
      remember(chunk.substr(0, dropped));
      chunk.remove_prefix(dropped);
      if (chunk.empty()) return;
      dropping_run_ = Run::none;
    }
    if (pending_bytes() > 0 || chunk.size() <= small) {
      const std::string_view piece = chunk.substr(0, small);
      chunk.remove_prefix(piece.size());
      buffer_.append(piece);
      process(/*final=*/false, out);
      continue;
    }
    // The first bytes through the buffer: the rest then finds its lookbehind in the chunk itself.
    buffer_.append(chunk.substr(0, lookbehind));
    process(/*final=*/false, out);
    if (pending_bytes() > 0 || dropping_run_ != Run::none) {
      chunk.remove_prefix(lookbehind);
      continue;
    }
    const ScanEnd scanned =
        scan(rules, *masker_->windows_, chunk.data(), lookbehind, chunk.size(), /*final=*/false, out);
    dropping_run_ = scanned.run;
    const std::size_t keep_from = scanned.held_from - lookbehind;
    buffer_.assign(chunk.substr(keep_from));
    history_ = lookbehind;
    return;
  }
}

void MaskingStream::flush_partial(std::string& out) {
  if (pending_bytes() > 0) process(/*final=*/false, out);
}

void MaskingStream::flush(std::string& out) {
  process(/*final=*/true, out);
  buffer_ = "\n";
  history_ = 1;
  dropping_run_ = Run::none;
}

void MaskingStream::process(bool final, std::string& out) {
  const ScanEnd scanned =
      scan(*masker_->rules_, *masker_->windows_, buffer_.data(), history_, buffer_.size(), final, out);
  dropping_run_ = scanned.run;
  const std::size_t keep_from =
      scanned.held_from > MatchRules::kLookbehind ? scanned.held_from - MatchRules::kLookbehind : 0;
  buffer_.erase(0, keep_from);
  history_ = scanned.held_from - keep_from;
}

// Dropped bytes of a run are still input the rules look behind at.
void MaskingStream::remember(std::string_view consumed) {
  if (consumed.size() >= MatchRules::kLookbehind) {
    buffer_.assign(consumed.substr(consumed.size() - MatchRules::kLookbehind));
  } else {
    buffer_.append(consumed);
    if (buffer_.size() > MatchRules::kLookbehind) buffer_.erase(0, buffer_.size() - MatchRules::kLookbehind);
  }
  history_ = buffer_.size();
}

}  // namespace flowrun::log
