#include "flowrun/run/run_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

namespace flowrun::run {
namespace {

RunReport sample() {
  RunReport report;
  report.flow_name = "claude";
  report.outcome = RunOutcome::command_failed;
  report.exit_code = 1;
  using exec::CommandState;
  report.commands = {{0, "echo ok", CommandState::succeeded, 0, 0, 0.5},
                     {1, "make <test> & \"more\"", CommandState::failed, 2, 0, 1.25},
                     {2, "echo never", CommandState::not_run, 0, 0, 0}};
  report.failed_command = 1;
  report.output_tail = {"error: \x1b[31mred\x1b[0m", "bad bytes \xff\xfe"};
  return report;
}

TEST(RunReport, JsonHoldsEveryCommandAndSurvivesAnyBytes) {
  auto document = nlohmann::json::parse(to_json(sample()));
  EXPECT_EQ(document["outcome"], "command_failed");
  EXPECT_EQ(document["failed_command"], 1);
  EXPECT_EQ(document["commands"][0]["state"], "succeeded");
  EXPECT_EQ(document["git"]["outcome"], "") << "the git phase did not run";
  ASSERT_EQ(document["commands"].size(), 3u);
  EXPECT_EQ(document["commands"][1]["exit_code"], 2);
  EXPECT_DOUBLE_EQ(document["commands"][1]["duration_seconds"].get<double>(), 1.25);
  // Bytes that are not UTF-8 become U+FFFD instead of making the report unreadable.
  EXPECT_EQ(document["output_tail"][1], "bad bytes \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(RunReport, JunitHasOneCasePerCommandWithTheFailure) {
  std::string xml = to_junit(sample());
  EXPECT_NE(xml.find("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"command 2: make &lt;test&gt; &amp; &quot;more&quot;\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"exit code 2\" type=\"command_failed\">"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<skipped message="), std::string::npos) << xml;
  // No control characters, which XML 1.0 forbids even escaped.
  EXPECT_EQ(xml.find('\x1b'), std::string::npos);
}

// Every outcome has its own name: two sharing one would make the report ambiguous.
TEST(RunReport, EveryOutcomeHasADistinctName) {
  std::set<std::string_view> names;
  for (int value = 0; value <= static_cast<int>(RunOutcome::dry_run); ++value) {
    auto name = outcome_name(static_cast<RunOutcome>(value));
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << name;
  }
  EXPECT_EQ(names.size(), 15u);
  EXPECT_EQ(git::to_string(git::Outcome::pushed_to_new_branch), "pushed_to_new_branch");
  EXPECT_EQ(state_name(exec::CommandState::failed_ignored), "failed_ignored");
}

}  // namespace
}  // namespace flowrun::run
