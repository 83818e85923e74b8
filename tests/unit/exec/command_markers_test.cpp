#include "flowrun/exec/command_markers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace flowrun::exec {
namespace {

const std::string kNonce = "00112233aabbccdd";

std::string marker(std::size_t index, int status) {
  return "\x1b_flowrun:" + kNonce + ":" + std::to_string(index) + ":" + std::to_string(status) + "\x1b\\";
}

// Feeds `input` in pieces of `piece` bytes.
std::string scan(const std::string& input, std::size_t piece) {
  std::string seen;
  MarkerScanner scanner(
      kNonce, [&](std::string_view text) { seen.append(text); },
      [&](const Marker& m) { seen += "<" + std::to_string(m.index) + ":" + std::to_string(m.previous_status) + ">"; });
  for (std::size_t at = 0; at < input.size(); at += piece) scanner.feed(std::string_view(input).substr(at, piece));
  scanner.finish();
  return seen;
}

TEST(MarkerScanner, FindsMarkersWhereverTheReadsSplitThem) {
  const std::string input =
      "before\n" + marker(0, 0) + "$ make\nout \x1b[31mred\x1b[0m\n" + marker(1, 2) + marker(12, 255) + "$ last\n";
  const std::string expected = "before\n<0:0>$ make\nout \x1b[31mred\x1b[0m\n<1:2><12:255>$ last\n";
  for (std::size_t piece = 1; piece <= input.size(); ++piece) EXPECT_EQ(scan(input, piece), expected) << piece;
}

TEST(MarkerScanner, LeavesLookalikesWithoutTheNonceAsText) {
  const std::string forged = "\x1b_flowrun:ffffffffffffffff:1:0\x1b\\";
  const std::string broken = "\x1b_flowrun:" + kNonce + ":x:0\x1b\\" + "\x1b_flowrun:" + kNonce + ":1:1234\x1b\\";
  EXPECT_EQ(scan(forged + broken, 3), forged + broken);
}

TEST(MarkerScanner, AnUnfinishedMarkerAtTheEndIsText) {
  const std::string cut = marker(3, 0).substr(0, 20);
  EXPECT_EQ(scan("x" + cut, 7), "x" + cut);
}

TEST(MarkerScanner, HoldsNoMoreThanOneMarkersWorth) {
  MarkerScanner scanner(
      kNonce, [](std::string_view) {}, [](const Marker&) {});
  const std::string almost = marker(123456789, 12).substr(0, marker(123456789, 12).size() - 1);
  scanner.feed(almost);
  EXPECT_EQ(scanner.held(), almost.size());
  scanner.feed(std::string(1000, '\x1b'));
  EXPECT_LE(scanner.held(), 1U);
}

TEST(MarkerNonce, IsSixteenHexDigitsAndDiffersEachTime) {
  const std::string a = make_marker_nonce();
  EXPECT_EQ(a.size(), 16U);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, make_marker_nonce());
}

}  // namespace
}  // namespace flowrun::exec
