#include "flowrun/run/time_budget.h"

#include <gtest/gtest.h>

namespace flowrun::run {
namespace {

using std::chrono::seconds;

std::chrono::system_clock::time_point at(std::time_t when) { return std::chrono::system_clock::from_time_t(when); }

TEST(TimeBudget, TheFlagWinsThenTheVariableThenTheFlowThenTheJob) {
  Environment env({{"FLOWRUN_TIMEOUT", "900"}, {"CI_JOB_TIMEOUT", "3600"}});
  std::string error;
  EXPECT_EQ(compute_time_budget(seconds(600), 1200, env, at(0), error).source, "--timeout");
  EXPECT_EQ(compute_time_budget(std::nullopt, 1200, env, at(0), error).source, "FLOWRUN_TIMEOUT");
  env.erase("FLOWRUN_TIMEOUT");
  EXPECT_EQ(compute_time_budget(std::nullopt, 1200, env, at(0), error).source, "flowrun.timeout");
  auto job = compute_time_budget(std::nullopt, std::nullopt, env, at(0), error);
  EXPECT_EQ(job.source, "CI_JOB_TIMEOUT");
  EXPECT_EQ(job.total, seconds(3600));
  EXPECT_EQ(job.reserve, seconds(180));
  EXPECT_EQ(job.commands, seconds(3420));
  EXPECT_TRUE(error.empty());
  auto fallback = compute_time_budget(std::nullopt, std::nullopt, Environment(), at(0), error);
  EXPECT_EQ(fallback.total, seconds(7200));
  EXPECT_EQ(fallback.reserve, seconds(300));
}

TEST(TimeBudget, TheJobsElapsedTimeCounts) {
  Environment env({{"CI_JOB_TIMEOUT", "3600"}, {"CI_JOB_STARTED_AT", "2026-01-01T10:00:00Z"}});
  std::string error;
  // 2026-01-01T10:10:00Z: ten minutes into the job.
  auto budget = compute_time_budget(std::nullopt, std::nullopt, env, at(1767262200), error);
  EXPECT_EQ(budget.commands, seconds(3600 - 180 - 600));
}

TEST(TimeBudget, ShortRunsKeepAtMostHalfForGitAndTheReport) {
  std::string error;
  auto budget = compute_time_budget(seconds(10), std::nullopt, Environment(), at(0), error);
  EXPECT_EQ(budget.reserve, seconds(5));
  EXPECT_EQ(budget.commands, seconds(5));
}

TEST(TimeBudget, ABadVariableIsReportedAndIgnored) {
  std::string error;
  auto budget =
      compute_time_budget(std::nullopt, std::nullopt,
                          Environment(std::map<std::string, std::string>{{"FLOWRUN_TIMEOUT", "soon"}}), at(0), error);
  EXPECT_NE(error.find("FLOWRUN_TIMEOUT must be a positive number of seconds"), std::string::npos);
  EXPECT_EQ(budget.source, "default");
}

}  // namespace
}  // namespace flowrun::run
