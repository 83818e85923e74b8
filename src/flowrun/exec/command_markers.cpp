#include "flowrun/exec/command_markers.h"

#include <sys/random.h>

#include <array>
#include <chrono>
#include <cstring>

namespace flowrun::exec {
namespace {

constexpr char kEscape = '\x1b';
constexpr std::size_t kMaxIndexDigits = 19;
constexpr std::size_t kMaxStatusDigits = 3;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string make_marker_nonce() {
  std::array<unsigned char, 8> random{};
  std::size_t filled = 0;
  while (filled < random.size()) {
    const ssize_t got = ::getrandom(random.data() + filled, random.size() - filled, 0);
    if (got <= 0) break;
    filled += static_cast<std::size_t>(got);
  }
  if (filled < random.size()) {
    // No getrandom (very old kernels): the clock still makes an accidental match in the output implausible.
    const auto ticks = static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
    std::memcpy(random.data(), &ticks, random.size());
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string nonce;
  for (const unsigned char byte : random) {
    nonce += kHex[byte >> 4];
    nonce += kHex[byte & 0xF];
  }
  return nonce;
}

std::string marker_word_prefix(std::string_view nonce, std::size_t index) {
  // $'\x1b_flowrun:NONCE:INDEX:'"$?"$'\x1b\\' — one word; "$?" is read when the echo line runs.
  return "$'\\x1b_flowrun:" + std::string(nonce) + ":" + std::to_string(index) + ":'\"$?\"$'\\x1b\\\\'";
}

MarkerScanner::MarkerScanner(std::string_view nonce, TextSink on_text, MarkerSink on_marker)
    : prefix_(std::string("\x1b_flowrun:").append(nonce).append(":")),
      on_text_(std::move(on_text)),
      on_marker_(std::move(on_marker)) {}

void MarkerScanner::feed(std::string_view bytes) {
  if (held_.empty()) {
    const std::size_t consumed = scan(bytes);
    held_.assign(bytes.substr(consumed));
    return;
  }
  std::string data = std::move(held_);
  data.append(bytes);
  const std::size_t consumed = scan(data);
  held_.assign(std::string_view(data).substr(consumed));
}

void MarkerScanner::finish() {
  if (!held_.empty() && on_text_) on_text_(held_);
  held_.clear();
}

std::size_t MarkerScanner::scan(std::string_view data) {
  std::size_t done = 0;  // bytes handed on so far
  std::size_t from = 0;
  while (from < data.size()) {
    const void* found = std::memchr(data.data() + from, kEscape, data.size() - from);
    if (found == nullptr) break;
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(found) - data.data());
    Marker marker;
    const std::size_t length = match_marker(data.substr(at), marker);
    if (length == std::string_view::npos) {
      if (at > done && on_text_) on_text_(data.substr(done, at - done));
      return at;  // hold the possible marker until more bytes arrive
    }
    if (length == 0) {
      from = at + 1;
      continue;
    }
    if (at > done && on_text_) on_text_(data.substr(done, at - done));
    if (on_marker_) on_marker_(marker);
    done = at + length;
    from = done;
  }
  if (data.size() > done && on_text_) on_text_(data.substr(done));
  return data.size();
}

std::size_t MarkerScanner::match_marker(std::string_view data, Marker& marker) const {
  constexpr std::size_t kMaybe = std::string_view::npos;
  const std::size_t compared = std::min(data.size(), prefix_.size());
  if (data.compare(0, compared, prefix_, 0, compared) != 0) return 0;
  if (data.size() < prefix_.size()) return kMaybe;
  std::size_t at = prefix_.size();

  std::size_t index = 0;
  const std::size_t index_start = at;
  while (at < data.size() && is_digit(data[at])) {
    if (at - index_start == kMaxIndexDigits) return 0;
    index = index * 10 + static_cast<std::size_t>(data[at] - '0');
    ++at;
  }
  if (at == data.size()) return kMaybe;
  if (at == index_start || data[at] != ':') return 0;
  ++at;

  int status = 0;
  const std::size_t status_start = at;
  while (at < data.size() && is_digit(data[at])) {
    if (at - status_start == kMaxStatusDigits) return 0;
    status = status * 10 + (data[at] - '0');
    ++at;
  }
  if (at == data.size()) return kMaybe;
  if (at == status_start || data[at] != kEscape) return 0;
  ++at;
  if (at == data.size()) return kMaybe;
  if (data[at] != '\\') return 0;
  marker.index = index;
  marker.previous_status = status;
  return at + 1;
}

}  // namespace flowrun::exec
