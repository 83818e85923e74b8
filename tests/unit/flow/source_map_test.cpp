#include "flowrun/flow/source_map.h"

#include <gtest/gtest.h>

namespace flowrun::flow {
namespace {

TEST(SourceMap, TurnsOffsetsIntoLinesAndCharacterColumns) {
  SourceMap map("ab\ncé d\n\nlast");
  EXPECT_EQ(map.position_of(0).line, 1);
  EXPECT_EQ(map.position_of(0).column, 1);
  EXPECT_EQ(map.position_of(3).line, 2);
  // "é" is two bytes but one column: "d" is byte 6 of line 2, column 4.
  LineColumn d = map.position_of(3 + 4);
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 4);
  EXPECT_EQ(map.position_of(9).line, 3);
  EXPECT_EQ(map.position_of(10).line, 4);
  EXPECT_EQ(map.line_text(2), "cé d");
  EXPECT_EQ(map.line_text(3), "");
  EXPECT_EQ(map.line_text(4), "last");
  EXPECT_EQ(map.line_text(9), "");
}

TEST(SourceMap, TheEndOfTheTextIsAfterTheLastLineBreak) {
  SourceMap map("a: 1\n");
  EXPECT_EQ(map.line_count(), 2);
  LineColumn end = map.position_of(5);
  EXPECT_EQ(end.line, 2);
  EXPECT_EQ(end.column, 1);
  EXPECT_EQ(map.position_of(500).line, 2);
}

TEST(SourceMap, ConvertsYamlCppMarks) {
  SourceMap map("x: 1\n  é: [1, 2]\n");
  LineColumn at = map.position_of_line_byte(1, 6);  // 0-based line 1, byte 6: the "["
  EXPECT_EQ(at.line, 2);
  EXPECT_EQ(at.column, 6);
  EXPECT_EQ(map.position_of_line_byte(-1, -1).line, 0);
}

TEST(SourceMap, CountsCharacters) {
  EXPECT_EQ(count_characters(""), 0);
  EXPECT_EQ(count_characters("abc"), 3);
  EXPECT_EQ(count_characters("☕é"), 2);
}

}  // namespace
}  // namespace flowrun::flow
