#include "flowrun/run/dotenv.h"

#include <gtest/gtest.h>

namespace flowrun::run {
namespace {

std::map<std::string, std::string> parsed(const std::string& text) {
  auto result = parse_dotenv(text, "test.env");
  if (auto* error = std::get_if<DotenvError>(&result)) ADD_FAILURE() << error->message;
  return std::get<std::map<std::string, std::string>>(result);
}

std::string error_of(const std::string& text) {
  auto result = parse_dotenv(text, "test.env");
  auto* error = std::get_if<DotenvError>(&result);
  return error ? error->message : "";
}

TEST(Dotenv, ReadsTheUsualForms) {
  auto values = parsed(
      "# a comment\n"
      "\n"
      "PLAIN=value with spaces   # trailing comment\n"
      "export EXPORTED=yes\n"
      "SINGLE='literal $HOME \\n # not a comment'\n"
      "DOUBLE=\"line one\\nline \\\"two\\\"\"\n"
      "MULTI=\"first\nsecond\"\n"
      "EMPTY=\n"
      "URL=https://example.com/#anchor\n");
  EXPECT_EQ(values["PLAIN"], "value with spaces");
  EXPECT_EQ(values["EXPORTED"], "yes");
  EXPECT_EQ(values["SINGLE"], "literal $HOME \\n # not a comment");
  EXPECT_EQ(values["DOUBLE"], "line one\nline \"two\"");
  EXPECT_EQ(values["MULTI"], "first\nsecond");
  EXPECT_EQ(values["EMPTY"], "");
  EXPECT_EQ(values["URL"], "https://example.com/#anchor");
}

TEST(Dotenv, ValuesAreNeverExpandedOrRun) {
  auto values = parsed("A=$(touch /tmp/x)\nB=`id`\nC=${HOME}\n");
  EXPECT_EQ(values["A"], "$(touch /tmp/x)");
  EXPECT_EQ(values["B"], "`id`");
  EXPECT_EQ(values["C"], "${HOME}");
}

TEST(Dotenv, ErrorsSayWhereAndWhat) {
  EXPECT_EQ(error_of("OK=1\n1BAD=2\n").rfind("test.env:2:1: expected a variable name", 0), 0u)
      << error_of("OK=1\n1BAD=2\n");
  EXPECT_NE(error_of("NAME value\n").find("test.env:1:6: expected '=' after NAME"), std::string::npos);
  EXPECT_NE(error_of("NAME='open\n").find("unterminated single-quoted value of NAME"), std::string::npos);
  EXPECT_NE(error_of("NAME=\"a\" b\n").find("unexpected text after the value of NAME"), std::string::npos);
}

TEST(Dotenv, CrlfFilesWork) {
  auto values = parsed("A=1\r\nB=two\r\n");
  EXPECT_EQ(values["A"], "1");
  EXPECT_EQ(values["B"], "two");
}

}  // namespace
}  // namespace flowrun::run
