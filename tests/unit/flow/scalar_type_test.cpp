#include "flowrun/flow/scalar_type.h"

#include <gtest/gtest.h>

namespace flowrun::flow {
namespace {

YamlNode plain(std::string value) {
  YamlNode node;
  node.kind = YamlKind::scalar;
  node.tag = "?";
  node.value = std::move(value);
  return node;
}

// What Ruby's Psych (GitLab's YAML.safe_load, YAML 1.1) makes of plain scalars.
TEST(ScalarType, ReadsPlainScalarsAsGitLabDoes) {
  for (const char* text : {"", "~", "null", "Null", "NULL"})
    EXPECT_EQ(scalar_type(plain(text)), ScalarType::null) << text;
  for (const char* text : {"yes", "No", "TRUE", "false", "on", "OFF", "tRuE"}) {
    EXPECT_EQ(scalar_type(plain(text)), ScalarType::boolean) << text;
  }
  for (const char* text : {"0", "42", "-7", "+3", "1_000", "1,000", "0x1F", "0b101", "0755", "1:30", "190:20:30"}) {
    EXPECT_EQ(scalar_type(plain(text)), ScalarType::integer) << text;
  }
  for (const char* text : {"3.14", "-0.5", ".5", "1.", "1.0e+3", ".inf", "-.Inf", ".NaN", "1_000.5"}) {
    EXPECT_EQ(scalar_type(plain(text)), ScalarType::floating) << text;
  }
  for (const char* text : {"2024-01-01", "2024-1-5", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43"}) {
    EXPECT_EQ(scalar_type(plain(text)), ScalarType::date) << text;
  }
  EXPECT_EQ(scalar_type(plain(":deploy")), ScalarType::symbol);
  for (const char* text : {"y", "n", "echo yes", "node:22-slim", "1.0e3", "1:60", "12:345", ".", "-", "2024-01-01x",
                           "v1.2.3", "0x", "1e10", ":"}) {
    EXPECT_EQ(scalar_type(plain(text)), ScalarType::string) << text;
  }
}

TEST(ScalarType, QuotedAndTaggedScalarsFollowTheirQuotesAndTags) {
  YamlNode quoted = plain("42");
  quoted.tag = "!";
  EXPECT_EQ(scalar_type(quoted), ScalarType::string);
  YamlNode tagged = plain("yes");
  tagged.tag = "tag:yaml.org,2002:str";
  EXPECT_EQ(scalar_type(tagged), ScalarType::string);
  tagged.tag = "tag:yaml.org,2002:int";
  EXPECT_EQ(scalar_type(tagged), ScalarType::integer);
  YamlNode null_node;
  EXPECT_EQ(scalar_type(null_node), ScalarType::null);
}

TEST(ScalarType, DescribesValuesForMessages) {
  EXPECT_STREQ(describe_type(plain("1")), "a number");
  EXPECT_STREQ(describe_type(plain("off")), "a boolean");
  EXPECT_STREQ(describe_type(plain("text")), "a string");
  YamlNode list;
  list.kind = YamlKind::sequence;
  EXPECT_STREQ(describe_type(list), "a list");
  EXPECT_TRUE(scalar_as_bool(plain("On")));
  EXPECT_FALSE(scalar_as_bool(plain("no")));
}

}  // namespace
}  // namespace flowrun::flow
