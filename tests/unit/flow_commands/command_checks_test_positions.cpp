// Positions point into the YAML file itself, inside multi-line commands too.
#include <gtest/gtest.h>

#include "flowrun/flow/shell_syntax.h"
#include "test_flows.h"

namespace flowrun::flow {
namespace {

using testing::flow_from_yaml;

TEST(Positions, TextPointCountsLinesAndCharacters) {
  const std::string text = "ab\nxé$Y";
  const auto point = text_point(text, text.find('$'));
  EXPECT_EQ(point.line, 2);
  EXPECT_EQ(point.column, 3);  // x, é (two bytes, one character), then $
}

TEST(Positions, BlockScalarLinesAddTheIndentation) {
  const Flow flow = flow_from_yaml("commands:\n  - |\n    echo one\n      echo $TWO\n");
  const FlowCommand& command = flow.commands.at(0);
  EXPECT_EQ(command.first_line, 3);
  EXPECT_EQ(command.first_column, 5);
  const auto position = file_position(flow, command, command.text.find('$'));
  EXPECT_EQ(position.line, 4);
  EXPECT_EQ(position.column, 12);
  EXPECT_EQ(position.file, "flow.yaml");
}

TEST(Positions, PlainAndQuotedScalarsOnOneLine) {
  const Flow flow = flow_from_yaml("commands:\n  - echo $A\n  - \"echo $B\"\n");
  EXPECT_EQ(file_position(flow, flow.commands[0], flow.commands[0].text.find('$')).column, 10);
  const auto quoted = file_position(flow, flow.commands[1], flow.commands[1].text.find('$'));
  EXPECT_EQ(quoted.line, 3);
  EXPECT_EQ(quoted.column, 11);
}

TEST(Positions, CommandWithoutKnownTextPositionPointsAtItsEntry) {
  Flow flow;
  flow.display_path = "hand.yaml";
  FlowCommand command;
  command.text = "echo hi";
  command.position = {"", 7, 5};
  flow.commands.push_back(command);
  const auto position = file_position(flow, flow.commands[0], 3);
  EXPECT_EQ(position.line, 7);
  EXPECT_EQ(position.column, 5);
  EXPECT_EQ(position.file, "hand.yaml");
}

TEST(Positions, JoinedScriptLocatesEachCommandsLines) {
  const Flow flow = flow_from_yaml("commands:\n  - echo a\n  - |\n    if x; then\n      y\n    fi\n  - echo c\n");
  const JoinedScript script = join_commands(flow);
  // A `:` line stands for Runner's echo line before each command.
  EXPECT_EQ(script.text, ":\necho a\n:\nif x; then\n  y\nfi\n:\necho c\n");
  EXPECT_EQ(script.first_lines, (std::vector<int>{2, 4, 8}));
  EXPECT_EQ(script.locate(2), (std::pair<std::size_t, int>{0, 1}));
  EXPECT_EQ(script.locate(6), (std::pair<std::size_t, int>{1, 3}));
  EXPECT_EQ(script.locate(8), (std::pair<std::size_t, int>{2, 1}));
}

TEST(Positions, TextLines) {
  EXPECT_EQ(text_line("a\nbb\nc", 2), "bb");
  EXPECT_EQ(text_line("a\n", 5), "");
  EXPECT_EQ(text_line_count("a\nb\n"), 2);
  EXPECT_EQ(text_line_count("a\nb"), 2);
  EXPECT_EQ(text_line_count(""), 1);
}

}  // namespace
}  // namespace flowrun::flow
