#pragma once
// How flowrun learns, from inside Runner's unchanged script, which command is running and how the previous one
// ended — without a descriptor, a trap or a line of its own that the commands could see, close or disturb.
// Each echo line's argument starts with an APC escape sequence (terminals and GitLab's log viewer show nothing
// for it) that bash expands as it prints the line:
//     ESC _ flowrun:<nonce>:<index>:<$? at that moment> ESC \ (the two bytes 0x1b 0x5c)
// The nonce is random per run, so output of the commands cannot produce a marker by accident; flowrun removes
// every marker from the output before anything else sees it. `$?` there is the status of the command before.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace flowrun::exec {

// 16 random hex digits (getrandom).
std::string make_marker_nonce();

// The bash text that expands to the marker of command `index`; the echo line's own word may follow it directly.
std::string marker_word_prefix(std::string_view nonce, std::size_t index);

struct Marker {
  std::size_t index = 0;
  int previous_status = 0;  // $? when the echo line ran: how the command before `index` ended
};

// Splits a stream of output into the bytes the commands wrote and the markers, in order. Bytes that may be the
// start of a marker are held until it is clear (at most kMaxMarkerLength); everything else is passed on at once.
class MarkerScanner {
 public:
  using TextSink = std::function<void(std::string_view)>;
  using MarkerSink = std::function<void(const Marker&)>;

  MarkerScanner(std::string_view nonce, TextSink on_text, MarkerSink on_marker);

  void feed(std::string_view bytes);
  // End of the stream: whatever is held was not a marker.
  void finish();

  std::size_t held() const { return held_.size(); }

 private:
  // Scans `data` from the start; returns how many bytes were consumed (the rest is an unfinished marker).
  std::size_t scan(std::string_view data);
  // Length of a complete marker at the start of `data`; 0 when it is not a marker; npos when it may become one.
  std::size_t match_marker(std::string_view data, Marker& marker) const;

  std::string prefix_;  // ESC _ flowrun:<nonce>:
  TextSink on_text_;
  MarkerSink on_marker_;
  std::string held_;
};

}  // namespace flowrun::exec
