// Many flows at once: few bash processes, the same findings as one by one, and fast.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "test_flows.h"

namespace flowrun::flow {
namespace {

using testing::describe;
using testing::flow_from_file;

TEST(Batches, AThousandSeedFlowsGiveConsistentFindings) {
  const std::vector<std::string> names{"claude", "codex", "opencode", "amazon_q", "gemini"};
  std::vector<Flow> seeds;
  for (const auto& name : names) {
    seeds.push_back(flow_from_file(std::filesystem::path(FLOWRUN_FIXTURES_DIR) / "seed004" / (name + ".yaml")));
  }
  std::vector<Flow> flows;
  for (int i = 0; i < 1000; ++i) flows.push_back(seeds[static_cast<std::size_t>(i) % seeds.size()]);
  // Every 97th flow gets a syntax error, so narrowing down is part of the run.
  for (std::size_t i = 0; i < flows.size(); i += 97) flows[i].commands[3].text += "\nfi";
  std::vector<const Flow*> pointers;
  for (const auto& flow : flows) pointers.push_back(&flow);

  const auto start = std::chrono::steady_clock::now();
  const auto results = check_commands(pointers, {false});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  // The speed goal (well under a second on two cores) is measured by bench/validate_bench.sh, not asserted here:
  // a timed assertion fails on a loaded machine. The time is printed for people.
  std::printf("check_commands of 1000 flows: %lld ms\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
  RecordProperty("milliseconds",
                 static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));

  ASSERT_EQ(results.size(), flows.size());
  for (std::size_t i = 0; i < flows.size(); ++i) {
    EXPECT_EQ(testing::with_rule(results[i], "shell-syntax").size(), i % 97 == 0 ? 1u : 0u) << i;
  }
  // Checked alone, a flow gives what it gave in the crowd: a sample of clean flows and every broken one.
  for (std::size_t i = 0; i < flows.size(); ++i) {
    if (i >= 10 && i % 97 != 0) continue;
    EXPECT_EQ(describe(results[i]), describe(check_commands({&flows[i]}, {false}).at(0))) << i;
  }
}

}  // namespace
}  // namespace flowrun::flow
