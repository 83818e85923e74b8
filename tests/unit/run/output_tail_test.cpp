#include "flowrun/run/output_tail.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace flowrun::run
