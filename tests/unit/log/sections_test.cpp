#include "flowrun/log/sections.h"

#include <gtest/gtest.h>

namespace flowrun::log {
namespace {

const auto kWhen = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));

TEST(Sections, StartHasGitLabsExactBytes) {
  EXPECT_EQ(section_start("commands", "Running the flow's commands", false, kWhen),
            "\x1b[0Ksection_start:1700000000:commands\r\x1b[0KRunning the flow's commands\n");
  EXPECT_EQ(section_start("git_push", "Push", true, kWhen),
            "\x1b[0Ksection_start:1700000000:git_push[collapsed=true]\r\x1b[0KPush\n");
}

TEST(Sections, EndHasGitLabsExactBytes) {
  EXPECT_EQ(section_end("git_push", kWhen), "\x1b[0Ksection_end:1700000000:git_push\r\x1b[0K\n");
}

TEST(Sections, SanitizesNamesAndKeepsTheHeaderOnOneLine) {
  EXPECT_EQ(section_name("step 1: npm/install!"), "step_1__npm_install_");
  EXPECT_EQ(section_name("a.b-c_D9"), "a.b-c_D9");
  EXPECT_EQ(section_name(""), "section");
  EXPECT_EQ(section_start("x y", "two\nlines\r", false, kWhen),
            "\x1b[0Ksection_start:1700000000:x_y\r\x1b[0Ktwo lines \n");
}

TEST(Sections, OverloadsUseTheCurrentTime) {
  const auto before =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string start = section_start("now", "header");
  const auto after =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string prefix = "\x1b[0Ksection_start:";
  ASSERT_EQ(start.rfind(prefix, 0), 0u);
  const long long seconds = std::stoll(start.substr(prefix.size()));
  EXPECT_GE(seconds, before);
  EXPECT_LE(seconds, after);
  EXPECT_NE(section_end("now").find(":now\r"), std::string::npos);
}

}  // namespace
}  // namespace flowrun::log
