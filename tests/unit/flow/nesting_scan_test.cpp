#include "flowrun/flow/nesting_scan.h"

#include <gtest/gtest.h>

#include <string>

namespace flowrun::flow {
namespace {

std::string repeated(const std::string& part, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += part;
  return out;
}

TEST(NestingScan, CountsFlowCollections) {
  EXPECT_FALSE(find_excessive_nesting("a: " + repeated("[", 63) + repeated("]", 63)).has_value());
  auto deep = find_excessive_nesting("a: " + repeated("[", 64) + repeated("]", 64));
  ASSERT_TRUE(deep.has_value());
  EXPECT_EQ(deep->line, 1);
  EXPECT_EQ(deep->column, 4 + 63);
  EXPECT_TRUE(find_excessive_nesting(repeated("{", 100000)).has_value());
}

TEST(NestingScan, FlowCollectionsMaySpanLines) {
  EXPECT_TRUE(find_excessive_nesting("a:\n" + repeated("  [\n", 70)).has_value());
  EXPECT_FALSE(find_excessive_nesting("a: [\n  b,\n  [c, d],\n]\n").has_value());
}

TEST(NestingScan, CountsBlockCollections) {
  std::string text;
  for (int i = 0; i < 70; ++i) text += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  auto deep = find_excessive_nesting(text);
  ASSERT_TRUE(deep.has_value());
  EXPECT_EQ(deep->line, 65);
  EXPECT_EQ(deep->column, 65);
  EXPECT_TRUE(find_excessive_nesting(repeated("- ", 65) + "x\n").has_value());
  EXPECT_FALSE(find_excessive_nesting(repeated("- ", 63) + "x\n").has_value());
}

TEST(NestingScan, SiblingsAndIndentlessSequencesDoNotAddUp) {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "key" + std::to_string(i) + ":\n- a\n- b: c\n  d: e\n";
  EXPECT_FALSE(find_excessive_nesting(text).has_value());
}

TEST(NestingScan, IgnoresBracketsInTextCommentsAndBlockScalars) {
  std::string text = "commands:\n  - |\n";
  for (int i = 0; i < 100; ++i) text += "    echo '" + repeated("[", 80) + "' # {{{{\n";
  text += "  - echo \"" + repeated("{", 100) + "\"\n";
  text += "  - echo " + repeated("[", 10) + " plain text with brackets\n";
  text += "# " + repeated("[", 200) + "\n";
  text += "key: '" + repeated("[", 100) + "\n  continued " + repeated("{", 100) + "'\n";
  EXPECT_FALSE(find_excessive_nesting(text).has_value());
}

TEST(NestingScan, RealFlowsAreShallow) {
  EXPECT_FALSE(find_excessive_nesting("image: a\ncommands:\n  - |\n    if x; then\n      y\n    fi\n"
                                      "id_tokens:\n  T:\n    aud: [a, b]\n")
                   .has_value());
}

}  // namespace
}  // namespace flowrun::flow
