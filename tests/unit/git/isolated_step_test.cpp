#include "flowrun/git/isolated_step.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <vector>

namespace flowrun::git::detail {
namespace {

using namespace std::chrono_literals;

StepLimits limits_for(std::chrono::milliseconds time, std::vector<std::string>* lines = nullptr) {
  StepLimits limits;
  limits.deadline = Clock::now() + time;
  if (lines) limits.log = [lines](std::string_view line) { lines->emplace_back(line); };
  return limits;
}

TEST(IsolatedStep, ReturnsTheResultAndRelaysTheLinesInOrder) {
  std::vector<std::string> lines;
  const StepRun run = run_isolated(
      [](const StepLog& log) {
        log("first");
        log("second");
        return std::string(100'000, 'r');  // larger than a pipe's buffer
      },
      limits_for(30s, &lines));
  EXPECT_EQ(run.end, StepRun::End::finished);
  EXPECT_EQ(run.result, std::string(100'000, 'r'));
  EXPECT_EQ(lines, (std::vector<std::string>{"first", "second"}));
}

TEST(IsolatedStep, AStepThatBlocksIsAbandonedAtTheDeadline) {
  const auto started = Clock::now();
  const StepRun run = run_isolated(
      [](const StepLog&) {
        ::pause();  // blocks for ever, as an open() of a FIFO would
        return std::string("never");
      },
      limits_for(300ms));
  EXPECT_EQ(run.end, StepRun::End::timed_out);
  EXPECT_LT(Clock::now() - started, 20s);
}

TEST(IsolatedStep, CancellationStopsTheStep) {
  StepLimits limits = limits_for(60s);
  limits.cancelled = [] { return true; };
  const StepRun run = run_isolated(
      [](const StepLog&) {
        ::pause();
        return std::string();
      },
      limits);
  EXPECT_EQ(run.end, StepRun::End::cancelled);
}

TEST(IsolatedStep, AStallIsReportedWhileTheChildUsesNoCpu) {
  std::atomic<int> stalls{0};
  StepLimits limits = limits_for(1500ms);
  limits.stall_check = 100ms;
  limits.on_stall = [&stalls] { ++stalls; };
  run_isolated(
      [](const StepLog&) {
        ::pause();
        return std::string();
      },
      limits);
  EXPECT_GT(stalls.load(), 0);
}

TEST(IsolatedStep, AStepThatDiesWithoutAResultIsACrash) {
  const StepRun run = run_isolated([](const StepLog&) -> std::string { ::_exit(3); }, limits_for(30s));
  EXPECT_EQ(run.end, StepRun::End::crashed);
}

}  // namespace
}  // namespace flowrun::git::detail
