#include "flowrun/exec/output_batcher.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace flowrun::exec {
namespace {

using Clock = OutputBatcher::Clock;
using std::chrono::milliseconds;

struct Recorder {
  std::vector<std::string> pieces;
  OutputBatcher::Sink sink() {
    return [this](std::string_view bytes) { pieces.emplace_back(bytes); };
  }
};

TEST(OutputBatcher, HandsOnCompleteLinesAtOnce) {
  Recorder recorder;
  OutputBatcher batcher(milliseconds(200), recorder.sink());
  const auto now = Clock::now();
  batcher.add("one\ntwo\n", now);
  EXPECT_EQ(recorder.pieces, (std::vector<std::string>{"one\ntwo\n"}));
  EXPECT_FALSE(batcher.due());
}

TEST(OutputBatcher, HoldsAnUnfinishedLineUntilItEndsOrIsDue) {
  Recorder recorder;
  OutputBatcher batcher(milliseconds(200), recorder.sink());
  const auto start = Clock::now();
  batcher.add("done\nprogr", start);
  EXPECT_EQ(recorder.pieces, (std::vector<std::string>{"done\n"}));
  ASSERT_TRUE(batcher.due());
  EXPECT_EQ(*batcher.due(), start + milliseconds(200));

  batcher.add("ess 50%", start + milliseconds(100));
  EXPECT_EQ(*batcher.due(), start + milliseconds(200)) << "due counts from the first held byte";
  batcher.flush_if_due(start + milliseconds(199));
  EXPECT_EQ(recorder.pieces.size(), 1U);
  batcher.flush_if_due(start + milliseconds(200));
  EXPECT_EQ(recorder.pieces, (std::vector<std::string>{"done\n", "progress 50%"}));
  EXPECT_FALSE(batcher.due());
}

TEST(OutputBatcher, JoinsAHeldLineWithItsEnd) {
  Recorder recorder;
  OutputBatcher batcher(milliseconds(200), recorder.sink());
  const auto now = Clock::now();
  batcher.add("Enter", now);
  batcher.add(" name\nnext", now);
  EXPECT_EQ(recorder.pieces, (std::vector<std::string>{"Enter name\n"}));
  batcher.flush();
  EXPECT_EQ(recorder.pieces, (std::vector<std::string>{"Enter name\n", "next"}));
}

TEST(OutputBatcher, ZeroHoldPassesEveryPieceOn) {
  Recorder recorder;
  OutputBatcher batcher(milliseconds(0), recorder.sink());
  batcher.add("abc", Clock::now());
  batcher.add("d\ne", Clock::now());
  EXPECT_EQ(recorder.pieces, (std::vector<std::string>{"abc", "d\ne"}));
}

TEST(OutputBatcher, NeverHoldsMoreThanItsLimit) {
  Recorder recorder;
  OutputBatcher batcher(milliseconds(200), recorder.sink());
  const std::string chunk(OutputBatcher::kMaxHeld / 2, 'x');
  batcher.add(chunk, Clock::now());
  EXPECT_TRUE(recorder.pieces.empty());
  batcher.add(chunk, Clock::now());
  ASSERT_EQ(recorder.pieces.size(), 1U);
  EXPECT_EQ(recorder.pieces[0].size(), OutputBatcher::kMaxHeld);
}

}  // namespace
}  // namespace flowrun::exec
