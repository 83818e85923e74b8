#include "flowrun/flow/validation_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "flow_test_support.h"
#include "flowrun/flow/fingerprint.h"

namespace flowrun::flow {
namespace {

namespace fs = std::filesystem;

// Built step by step: g++ 12 at -O3 warns falsely (maybe-uninitialized) about the strings of nested
// initializer_lists of Diagnostic temporaries.
std::vector<FileReport> sample_reports() {
  std::vector<FileReport> reports(4);
  reports[0].display_path = "a.yaml";
  reports[0].diagnostics.push_back(
      testing::diagnostic_at("a.yaml", 2, 3, Severity::error, "no `commands:`", "schema-required"));
  for (int i = 0; i < 2; ++i) {
    reports[0].diagnostics.push_back(
        testing::diagnostic_at("a.yaml", 4, 1, Severity::warning, "unknown key `x`", "schema-unknown-key"));
  }
  reports[1].display_path = "b.yaml";
  reports[1].diagnostics.push_back(
      testing::diagnostic_at("b.yaml", 0, 0, Severity::error, "the file is empty", "file-empty"));
  reports[2].display_path = "c.yaml";
  reports[2].diagnostics.push_back(testing::diagnostic_at("c.yaml", 7, 9, Severity::info, "a hint", "hint-rule"));
  reports[3].display_path = "d.yaml";
  return reports;
}

TEST(ValidationReport, TextHasOneLinePerFinding) {
  std::string text = render_text(sample_reports(), false);
  EXPECT_EQ(text,
            "a.yaml:2:3: error: no `commands:` [schema-required]\n"
            "a.yaml:4:1: warning: unknown key `x` [schema-unknown-key]\n"
            "a.yaml:4:1: warning: unknown key `x` [schema-unknown-key]\n"
            "b.yaml: error: the file is empty [file-empty]\n"
            "c.yaml:7:9: info: a hint [hint-rule]\n");
  std::string colored = render_text(sample_reports(), true);
  EXPECT_NE(colored.find("a.yaml:2:3: \033[1;31merror\033[0m: no `commands:` [schema-required]\n"), std::string::npos);
  EXPECT_NE(colored.find("\033[1;33mwarning\033[0m"), std::string::npos);
}

TEST(ValidationReport, SummaryCountsBySeverity) {
  ValidationSummary summary = summarize(sample_reports());
  EXPECT_EQ(summary.files, 4u);
  EXPECT_EQ(summary.errors, 2u);
  EXPECT_EQ(summary.warnings, 2u);
  EXPECT_EQ(summary.infos, 1u);
  EXPECT_EQ(summary_line(summary), "4 files checked: 2 errors, 2 warnings, 1 info");
  EXPECT_EQ(summary_line(ValidationSummary{1, 1, 1, 0}), "1 file checked: 1 error, 1 warning, 0 info");
}

TEST(ValidationReport, QuietDropsInfo) {
  auto reports = sample_reports();
  drop_info(reports);
  EXPECT_EQ(summarize(reports).infos, 0u);
  EXPECT_EQ(summarize(reports).warnings, 2u);
}

TEST(ValidationReport, JsonListsFilesFindingsAndSummary) {
  auto json = nlohmann::json::parse(render_json(sample_reports()));
  ASSERT_EQ(json["files"].size(), 4u);
  EXPECT_EQ(json["files"][0]["path"], "a.yaml");
  const auto& first = json["files"][0]["diagnostics"][0];
  EXPECT_EQ(first["line"], 2);
  EXPECT_EQ(first["column"], 3);
  EXPECT_EQ(first["severity"], "error");
  EXPECT_EQ(first["message"], "no `commands:`");
  EXPECT_EQ(first["rule"], "schema-required");
  EXPECT_TRUE(json["files"][3]["diagnostics"].empty());
  EXPECT_EQ(json["summary"]["files"], 4);
  EXPECT_EQ(json["summary"]["errors"], 2);
  EXPECT_EQ(json["summary"]["warnings"], 2);
  EXPECT_EQ(json["summary"]["infos"], 1);
}

TEST(ValidationReport, CodeQualityFollowsGitLabsFormat) {
  auto issues = nlohmann::json::parse(render_codequality(sample_reports()));
  ASSERT_TRUE(issues.is_array());
  ASSERT_EQ(issues.size(), 5u);
  EXPECT_EQ(issues[0]["description"], "no `commands:`");
  EXPECT_EQ(issues[0]["check_name"], "schema-required");
  EXPECT_EQ(issues[0]["severity"], "major");
  EXPECT_EQ(issues[1]["severity"], "minor");
  EXPECT_EQ(issues[4]["severity"], "info");
  EXPECT_EQ(issues[0]["location"]["path"], "a.yaml");
  EXPECT_EQ(issues[0]["location"]["lines"]["begin"], 2);
  EXPECT_EQ(issues[3]["location"]["lines"]["begin"], 1);  // a finding about the whole file
  std::set<std::string> fingerprints;
  for (const auto& issue : issues) {
    std::string fingerprint = issue["fingerprint"];
    EXPECT_EQ(fingerprint.size(), 32u);
    EXPECT_EQ(fingerprint.find_first_not_of("0123456789abcdef"), std::string::npos);
    fingerprints.insert(fingerprint);
  }
  EXPECT_EQ(fingerprints.size(), issues.size());  // the two identical findings too
  // Stable from one run to the next.
  EXPECT_EQ(nlohmann::json::parse(render_codequality(sample_reports()))[0]["fingerprint"], issues[0]["fingerprint"]);
}

TEST(ValidationReport, CodeQualityPathsAreRelativeToTheRepository) {
  testing::TempDir dir;
  fs::create_directories(dir.path() / ".git");
  fs::path flow = dir.write(".gitlab/duo/flows/claude.yaml", "x");
  std::vector<FileReport> reports(1);
  reports[0].display_path = "../../.gitlab/duo/flows/claude.yaml";
  reports[0].path = flow;
  reports[0].diagnostics.push_back(
      testing::diagnostic_at("../../.gitlab/duo/flows/claude.yaml", 1, 1, Severity::error, "m", "r"));
  auto issues = nlohmann::json::parse(render_codequality(reports));
  EXPECT_EQ(issues[0]["location"]["path"], ".gitlab/duo/flows/claude.yaml");
}

TEST(Fingerprint, IsStableHexAndSpreads) {
  EXPECT_EQ(fingerprint_hex("abc"), fingerprint_hex("abc"));
  EXPECT_NE(fingerprint_hex("abc"), fingerprint_hex("abd"));
  EXPECT_NE(fingerprint_hex(""), fingerprint_hex(std::string(1, '\0')));
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(fingerprint_hex("finding " + std::to_string(i)));
  EXPECT_EQ(seen.size(), 10000u);
}

}  // namespace
}  // namespace flowrun::flow
