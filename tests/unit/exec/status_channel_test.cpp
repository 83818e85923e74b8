#include "flowrun/exec/status_channel.h"

#include <gtest/gtest.h>

#include <string>

namespace flowrun::exec::status {
namespace {

using Kind = Event::Kind;

TEST(StatusParser, ReadsStartAndFinishEvents) {
  Parser parser;
  EXPECT_EQ(parser.feed("S 0\nF 0\nS 12\n"),
            (std::vector<Event>{{Kind::started, 0}, {Kind::finished, 0}, {Kind::started, 12}}));
}

TEST(StatusParser, JoinsLinesSplitAcrossReads) {
  Parser parser;
  EXPECT_TRUE(parser.feed("S").empty());
  EXPECT_TRUE(parser.feed(" 4").empty());
  EXPECT_EQ(parser.feed("2\nF"), (std::vector<Event>{{Kind::started, 42}}));
  EXPECT_EQ(parser.feed(" 42\n"), (std::vector<Event>{{Kind::finished, 42}}));
}

TEST(StatusParser, DropsAnythingElse) {
  Parser parser;
  EXPECT_TRUE(parser.feed("X 1\nS\nS -1\nS 1x\nS  1\ns 1\nS 1 \n\n").empty());
  EXPECT_TRUE(parser.feed("S 99999999999999999999999\n").empty()) << "an index too large to be real";
  EXPECT_TRUE(parser.feed(std::string(10000, 'S') + " 1\n").empty()) << "an overlong line";
  EXPECT_EQ(parser.feed("F 3\n"), (std::vector<Event>{{Kind::finished, 3}})) << "and recovers on the next line";
}

}  // namespace
}  // namespace flowrun::exec::status
