#include "flowrun/run/output_tail.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace flowrun::run {
namespace {

TEST(OutputTail, KeepsTheLastLinesAcrossChunks) {
  OutputTail tail(3, 100);
  tail.append("one\ntw");
  tail.append("o\nthree\nfour\nfi");
  EXPECT_EQ(tail.lines(), (std::vector<std::string>{"three", "four", "fi"}));
}

TEST(OutputTail, CutsLongLinesAndBoundsMemory) {
  OutputTail tail(2, 10);
  tail.append(std::string(1'000'000, 'x') + "\nshort\n");
  auto lines = tail.lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], std::string(10, 'x') + "…");
  EXPECT_EQ(lines[1], "short");
}

TEST(OutputTail, ShowsWhatATerminalWouldShow) {
  EXPECT_EQ(plain_text("\x1b[32;1m$ make\x1b[0;m"), "$ make");
  EXPECT_EQ(plain_text("progress 10%\rprogress 100%"), "progress 100%");
  EXPECT_EQ(plain_text("windows line\r"), "windows line");
  EXPECT_EQ(plain_text("\x1b]0;title\x07text\x01"), "text");
}

TEST(OutputTail, LeavesOutGitLabSectionMarkers) {
  OutputTail tail;
  tail.append("\x1b[0Ksection_start:1:commands[collapsed=true]\r\x1b[0KRunning\nreal output\n");
  tail.append("\x1b[0Ksection_end:1:commands\r\x1b[0K\n");
  EXPECT_EQ(tail.lines(), (std::vector<std::string>{"Running", "real output"}));
}

// What the tail must hold, computed the obvious way: all lines, each cut at the length, the last ones kept.
std::vector<std::string> expected_tail(std::string_view text, std::size_t max_lines, std::size_t max_length) {
  std::vector<std::string> lines;
  std::string current;
  bool truncated = false;
  for (char c : text) {
    if (c == '\n') {
      lines.push_back(truncated ? current + "…" : current);
      current.clear();
      truncated = false;
    } else if (current.size() < max_length) {
      current += c;
    } else {
      truncated = true;
    }
  }
  if (!current.empty()) lines.push_back(current);  // an unfinished line shows as it is
  if (lines.size() > max_lines) lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(max_lines));
  return lines;
}

// A chunk that ends more lines than are kept is skipped up to the first kept line, the partial line before it too.
TEST(OutputTail, KeepsTheLastLinesOfOneLargeChunk) {
  OutputTail tail(3, 400);
  tail.append("carried over from before ");
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "line " + std::to_string(i) + "\n";
  tail.append(text + "unfinished");
  EXPECT_EQ(tail.lines(), (std::vector<std::string>{"line 998", "line 999", "unfinished"}));
}

TEST(OutputTail, AnySplitOfTheOutputGivesTheSameTail) {
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    const std::size_t max_lines = random() % 6;
    const std::size_t max_length = 1 + random() % 12;
    std::string text;
    const std::size_t size = random() % 400;
    for (std::size_t i = 0; i < size; ++i) text += (random() % 5 == 0) ? '\n' : static_cast<char>('a' + random() % 26);
    OutputTail tail(max_lines, max_length);
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t length = 1 + random() % 60;
      tail.append(std::string_view(text).substr(at, length));
      at += length;
    }
    EXPECT_EQ(tail.lines(), expected_tail(text, max_lines, max_length)) << "round " << round;
  }
}

}  // namespace
}  // namespace flowrun::run
