// `flowrun settings` prints the setting table the plan resolves, and the README's table is that output: a setting
// added to the code and not to the README (or the other way round) fails here.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/process.h"

namespace flowrun::testing {
namespace {

constexpr std::string_view kStart = "<!-- flowrun settings: start -->\n";
constexpr std::string_view kEnd = "<!-- flowrun settings: end -->";

std::string readme() {
  std::ifstream in(std::string(FLOWRUN_SOURCE_DIR) + "/README.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(SettingsCommand, PrintsEverySettingWithItsSources) {
  auto result = run_process({FLOWRUN_BINARY, "settings"}, base_environment(), ".");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const char* expected :
       {"| timeout | seconds | `--timeout` | `FLOWRUN_TIMEOUT` | `timeout` | CI_JOB_TIMEOUT",
        "| merge_request | auto \\| always \\| never |", "| exclude | list (adds up) |", "`FLOWRUN_PUSH_ATTEMPTS`"}) {
    EXPECT_NE(result.out.find(expected), std::string::npos) << expected << "\n" << result.out;
  }
}

TEST(SettingsCommand, TheReadmeTableIsItsOutput) {
  auto result = run_process({FLOWRUN_BINARY, "settings"}, base_environment(), ".");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string text = readme();
  const auto start = text.find(kStart);
  const auto end = text.find(kEnd);
  ASSERT_NE(start, std::string::npos) << "README.md has no settings table markers";
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(text.substr(start + kStart.size(), end - start - kStart.size()), result.out)
      << "update README.md with the output of `flowrun settings`";
}

}  // namespace
}  // namespace flowrun::testing
