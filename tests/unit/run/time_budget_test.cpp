#include "flowrun/run/time_budget.h"

#include <gtest/gtest.h>

namespace flowrun::run {
namespace {

using std::chrono::seconds;

std::chrono::system_clock::time_point at(std::time_t when) { return std::chrono::system_clock::from_time_t(when); }

TEST(TimeBudget, FivePercentIsKeptForGitAndTheReport) {
  auto job = compute_time_budget(seconds(3600), "CI_JOB_TIMEOUT", std::nullopt, at(0));
  EXPECT_EQ(job.source, "CI_JOB_TIMEOUT");
  EXPECT_EQ(job.total, seconds(3600));
  EXPECT_EQ(job.reserve, seconds(180));
  EXPECT_EQ(job.commands, seconds(3420));
  auto fallback = compute_time_budget(seconds(7200), "default", std::nullopt, at(0));
  EXPECT_EQ(fallback.reserve, seconds(300));
}

TEST(TimeBudget, TheJobsElapsedTimeCounts) {
  // 2026-01-01T10:10:00Z: ten minutes into the job.
  auto budget = compute_time_budget(seconds(3600), "CI_JOB_TIMEOUT", "2026-01-01T10:00:00Z", at(1767262200));
  EXPECT_EQ(budget.commands, seconds(3600 - 180 - 600));
}

TEST(TimeBudget, AStartInTheFutureOrUnreadableCountsNothing) {
  EXPECT_EQ(compute_time_budget(seconds(3600), "CI_JOB_TIMEOUT", "2026-01-01T10:00:00Z", at(0)).commands,
            seconds(3420));
  EXPECT_EQ(compute_time_budget(seconds(3600), "CI_JOB_TIMEOUT", "yesterday", at(1767262200)).commands, seconds(3420));
}

TEST(TimeBudget, ShortRunsKeepAtMostHalfForGitAndTheReport) {
  auto budget = compute_time_budget(seconds(10), "--timeout", std::nullopt, at(0));
  EXPECT_EQ(budget.reserve, seconds(5));
  EXPECT_EQ(budget.commands, seconds(5));
}

}  // namespace
}  // namespace flowrun::run
