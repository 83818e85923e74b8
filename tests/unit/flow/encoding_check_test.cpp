#include "flowrun/flow/encoding_check.h"

#include <gtest/gtest.h>

namespace flowrun::flow {
namespace {

using namespace std::string_literals;

TEST(EncodingCheck, AcceptsUtf8TextWithTabsAndCrlf) {
  EXPECT_FALSE(check_encoding("image: x\r\n\tcommands: [\"☕ é 日本\"]\n", "f").has_value());
  EXPECT_FALSE(check_encoding("", "f").has_value());
}

TEST(EncodingCheck, NamesTheProblemAndWhereItIs) {
  auto nul = check_encoding("a\nbc\0d"s, "f.yaml");
  ASSERT_TRUE(nul.has_value());
  EXPECT_EQ(nul->rule, "file-encoding");
  EXPECT_EQ(nul->severity, Severity::error);
  EXPECT_EQ(nul->position.file, "f.yaml");
  EXPECT_EQ(nul->position.line, 2);
  EXPECT_EQ(nul->position.column, 3);
  EXPECT_NE(nul->message.find("NUL"), std::string::npos);

  auto latin1 = check_encoding("é\xE9", "f");
  ASSERT_TRUE(latin1.has_value());
  EXPECT_EQ(latin1->position.column, 2);
  EXPECT_NE(latin1->message.find("0xE9"), std::string::npos);
  EXPECT_NE(latin1->message.find("UTF-8"), std::string::npos);

  auto utf16 = check_encoding("\xFF\xFEi\0"s, "f");
  ASSERT_TRUE(utf16.has_value());
  EXPECT_NE(utf16->message.find("UTF-16"), std::string::npos);

  auto escape = check_encoding("a: \x1b[0m", "f");
  ASSERT_TRUE(escape.has_value());
  EXPECT_EQ(escape->position.column, 4);
  EXPECT_NE(escape->message.find("0x1B"), std::string::npos);
}

TEST(EncodingCheck, RefusesMalformedSequences) {
  for (const char* bad : {"\x80", "\xC3", "\xC3(", "\xE2\x28\xA1", "\xF0\x90\x28\xBC", "\xF8\x88\x80\x80\x80",
                          "\xC1\xBF", "\xED\xBF\xBF", "\xF4\x90\x80\x80"}) {
    auto problem = check_encoding(std::string("ok ") + bad, "f");
    ASSERT_TRUE(problem.has_value()) << bad;
    EXPECT_EQ(problem->position.column, 4);
  }
}

}  // namespace
}  // namespace flowrun::flow
