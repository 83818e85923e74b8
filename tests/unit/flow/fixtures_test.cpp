// Every fixture under tests/fixtures/flows/ is loaded and its findings compared with its sidecar file:
// invalid/<name>.expected lists `line:col: severity: [rule]`, one finding a line (lines starting with # are
// comments). Only the loader and the schema are run here, not the checks of the commands.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "flow_test_support.h"
#include "flowrun/flow/discovery.h"
#include "flowrun/flow/flow.h"

namespace flowrun::flow {
namespace {

namespace fs = std::filesystem;
using testing::briefs;
using testing::fixtures_dir;

std::vector<std::string> fixture_names(const std::string& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fixtures_dir() / "flows" / folder)) {
    if (is_flow_file_name(entry.path())) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> expected_findings(const fs::path& expected_file) {
  std::vector<std::string> lines;
  std::string text = testing::read_file(expected_file);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line[0] != '#') lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

class InvalidFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidFixture, GivesExactlyTheExpectedFindings) {
  fs::path flow_file = fixtures_dir() / "flows" / "invalid" / GetParam();
  fs::path expected_file = flow_file;
  expected_file += ".expected";
  ASSERT_TRUE(fs::exists(expected_file)) << "missing " << expected_file;
  std::vector<std::string> expected = expected_findings(expected_file);
  ASSERT_FALSE(expected.empty()) << expected_file << " lists no finding: an invalid fixture needs at least one";

  LoadResult loaded = load_flow_file(flow_file);
  EXPECT_EQ(briefs(loaded.diagnostics), expected);
  for (const auto& diagnostic : loaded.diagnostics) {
    EXPECT_EQ(diagnostic.position.file, flow_file.string());
    EXPECT_FALSE(diagnostic.message.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Flows, InvalidFixture, ::testing::ValuesIn(fixture_names("invalid")), test_name);

class ValidFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(ValidFixture, LoadsWithoutFindings) {
  LoadResult loaded = load_flow_file(fixtures_dir() / "flows" / "valid" / GetParam());
  ASSERT_TRUE(loaded.flow.has_value());
  EXPECT_EQ(briefs(loaded.diagnostics), std::vector<std::string>{});
  EXPECT_FALSE(loaded.flow->commands.empty());
  EXPECT_FALSE(loaded.flow->image.value.empty());
}

INSTANTIATE_TEST_SUITE_P(Flows, ValidFixture, ::testing::ValuesIn(fixture_names("valid")), test_name);

TEST(Fixtures, CoverEveryRuleOfTheLoader) {
  const std::set<std::string> rules = {
      "yaml-syntax",        "file-empty",    "file-too-large", "file-encoding",   "file-unreadable",
      "nesting-too-deep",   "duplicate-key", "schema-root",    "schema-required", "schema-type",
      "schema-unknown-key", "schema-value",  "commands-empty", "image-length",    "variable-name",
      "variable-duplicate", "id-tokens"};
  std::set<std::string> covered;
  auto names = fixture_names("invalid");
  EXPECT_GE(names.size(), 40u);
  for (const auto& name : names) {
    fs::path expected_file = fixtures_dir() / "flows" / "invalid" / (name + ".expected");
    for (const auto& line : expected_findings(expected_file)) {
      auto open = line.find('['), close = line.find(']');
      if (open != std::string::npos && close != std::string::npos)
        covered.insert(line.substr(open + 1, close - open - 1));
    }
  }
  EXPECT_EQ(covered, rules);
}

// The five example flows of GitLab's documentation, copied verbatim: valid YAML and schema (their problems
// are in the commands, which the command checks find).
TEST(Fixtures, TheDocumentationExamplesLoadCleanly) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fixtures_dir() / "seed004")) {
    names.push_back(entry.path().filename().string());
    LoadResult loaded = load_flow_file(entry.path());
    ASSERT_TRUE(loaded.flow.has_value()) << entry.path();
    EXPECT_EQ(briefs(loaded.diagnostics), std::vector<std::string>{}) << entry.path();
    EXPECT_EQ(loaded.flow->image.value, "node:22-slim");
    EXPECT_GE(loaded.flow->commands.size(), 15u);
    EXPECT_GE(loaded.flow->variables.size(), 3u);
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names,
            (std::vector<std::string>{"amazon_q.yaml", "claude.yaml", "codex.yaml", "gemini.yaml", "opencode.yaml"}));
}

// The flows flowrun ships (flows/, used by `flowrun init`) and the examples must pass its own loader.
TEST(Fixtures, TheShippedFlowsHaveNoLoaderErrors) {
  for (const fs::path& folder : {fs::path(FLOWRUN_SOURCE_DIR) / "flows",
                                 fs::path(FLOWRUN_SOURCE_DIR) / "examples" / ".gitlab" / "duo" / "flows"}) {
    for (const auto& file : list_flow_files(folder)) {
      LoadResult loaded = load_flow_file(file);
      EXPECT_TRUE(loaded.flow.has_value()) << file;
      EXPECT_FALSE(has_errors(loaded.diagnostics)) << file << ": " << testing::brief(loaded.diagnostics.front());
    }
  }
}

}  // namespace
}  // namespace flowrun::flow
