// shellcheck-SCxxxx: one run per flow, findings mapped to the flow file; skipped where shellcheck is missing.
#include <gtest/gtest.h>

#include "test_flows.h"

namespace flowrun::flow {
namespace {

using testing::check;
using testing::describe;
using testing::flow_from_file;
using testing::flow_from_yaml;
using testing::places;
using testing::with_rule;

std::vector<Diagnostic> shellcheck_findings(const std::vector<Diagnostic>& all) {
  std::vector<Diagnostic> result;
  for (const auto& diagnostic : all) {
    if (diagnostic.rule.starts_with("shellcheck")) result.push_back(diagnostic);
  }
  return result;
}

class Shellcheck : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!shellcheck_available()) GTEST_SKIP() << "shellcheck is not installed";
  }
};

TEST_F(Shellcheck, FindingsMapToTheFlowFile) {
  const Flow flow = flow_from_yaml(
      "commands:\n  - echo start\n  - |\n    cd /tmp\n    for f in $(ls *.txt); do\n      echo $f\n    done\n");
  const auto found = shellcheck_findings(check(flow, true));
  const auto sc2045 = with_rule(found, "shellcheck-SC2045");  // iterating over ls output
  ASSERT_EQ(sc2045.size(), 1u) << describe(found);
  EXPECT_EQ(places(sc2045), (std::vector<std::string>{"5:14"}));
  EXPECT_EQ(sc2045[0].severity, Severity::warning);
  EXPECT_NE(sc2045[0].message.find("https://www.shellcheck.net/wiki/SC2045"), std::string::npos);
  const auto sc2086 = with_rule(found, "shellcheck-SC2086");  // unquoted $f: info
  ASSERT_EQ(sc2086.size(), 1u) << describe(found);
  EXPECT_EQ(places(sc2086), (std::vector<std::string>{"6:12"}));
  EXPECT_EQ(sc2086[0].severity, Severity::info);
}

TEST_F(Shellcheck, TabsCountAsOneCharacter) {
  const Flow flow = flow_from_yaml("commands:\n  - \"\\t\\techo $UNQUOTED\"\nvariables:\n  - UNQUOTED\n");
  const auto found = with_rule(check(flow, true), "shellcheck-SC2086");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(places(found), (std::vector<std::string>{"2:13"}));  // `"` at 5, text from 6: \t \t e c h o ␠ $
}

TEST_F(Shellcheck, NoiseCodesAreLeftOut) {
  const Flow flow = flow_from_yaml("commands:\n  - echo \"$SOMETHING_FROM_GITLAB\"\n  - source ./env.sh\n");
  const auto found = shellcheck_findings(check(flow, true));
  EXPECT_TRUE(with_rule(found, "shellcheck-SC2154").empty()) << describe(found);
  EXPECT_TRUE(with_rule(found, "shellcheck-SC1091").empty()) << describe(found);
}

TEST_F(Shellcheck, ParseErrorsAreNotRepeatedWhenBashAlreadyFailed) {
  const Flow flow = flow_from_yaml("commands:\n  - |\n    if true; then\n      echo a\n");
  const auto all = check(flow, true);
  EXPECT_EQ(with_rule(all, "shell-syntax").size(), 1u) << describe(all);
  EXPECT_TRUE(shellcheck_findings(all).empty()) << describe(all);
}

TEST_F(Shellcheck, SaysOnceWhenItCannotParseWhatBashCan) {
  // shellcheck cannot parse the example flows' `[ --not --zero ... ]`, which bash accepts.
  const Flow flow = flow_from_file(std::filesystem::path(FLOWRUN_FIXTURES_DIR) / "seed004" / "codex.yaml");
  const auto found = shellcheck_findings(check(flow, true));
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_EQ(found[0].severity, Severity::info);
  EXPECT_EQ(found[0].position.line, 35);
  EXPECT_NE(found[0].message.find("checked nothing else"), std::string::npos);
}

TEST_F(Shellcheck, OffWhenNotAsked) {
  const Flow flow = flow_from_yaml("commands:\n  - for f in $(ls); do echo $f; done\n");
  EXPECT_TRUE(shellcheck_findings(check(flow, false)).empty());
  EXPECT_FALSE(shellcheck_findings(check(flow, true)).empty());
}

}  // namespace
}  // namespace flowrun::flow
