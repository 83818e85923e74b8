#include "flowrun/run/phase_guard.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace flowrun::run {
namespace {

std::string mask_secret(const std::string& text) {
  std::string masked = text;
  for (std::size_t at = masked.find("hunter22hunter"); at != std::string::npos; at = masked.find("hunter22hunter")) {
    masked.replace(at, 14, "[MASKED]");
  }
  return masked;
}

TEST(PhaseGuard, AThrowingPhaseIsRecordedMaskedAndTheNextPhaseStillRuns) {
  std::vector<std::string> errors;
  std::vector<std::string> ran;
  const bool first = run_guarded(
      "commands",
      [&] {
        ran.push_back("commands");
        std::vector<int>().at(3);
      },
      mask_secret, errors);
  const bool second = run_guarded(
      "git", [&] { throw std::runtime_error("bad token hunter22hunter"); }, mask_secret, errors);
  const bool third = run_guarded(
      "report", [&] { ran.push_back("report"); }, mask_secret, errors);
  EXPECT_FALSE(first);
  EXPECT_FALSE(second);
  EXPECT_TRUE(third);
  EXPECT_EQ(ran, (std::vector<std::string>{"commands", "report"}));
  ASSERT_EQ(errors.size(), 2U);
  EXPECT_EQ(errors[0].rfind("commands: ", 0), 0U) << errors[0];
  EXPECT_NE(errors[0].find("range"), std::string::npos) << errors[0];
  EXPECT_EQ(errors[1], "git: bad token [MASKED]");
}

TEST(PhaseGuard, ANonStandardExceptionIsCaughtToo) {
  std::vector<std::string> errors;
  EXPECT_FALSE(run_guarded(
      "report", [] { throw 42; }, mask_secret, errors));
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].rfind("report: ", 0), 0U);
}

}  // namespace
}  // namespace flowrun::run
