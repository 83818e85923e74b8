// The five example flows of GitLab's documentation (tests/fixtures/seed004), copied verbatim, and exactly what
// the command checks find in them (unpinned installs and gemini's missing trust among them). Lines and columns were
// read off the fixture files.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "test_flows.h"

namespace flowrun::flow {
namespace {

using testing::describe;
using testing::flow_from_file;

struct Expected {
  std::string rule;
  int line;
  int column;
};

std::filesystem::path seed(const std::string& name) {
  return std::filesystem::path(FLOWRUN_FIXTURES_DIR) / "seed004" / (name + ".yaml");
}

// The findings of the in-process rules and bash (shellcheck is tested separately, where it is installed).
std::vector<Diagnostic> findings_for(const std::string& name) {
  const Flow flow = flow_from_file(seed(name));
  return check_commands({&flow}, {false}).at(0);
}

void expect_exactly(const std::string& name, std::vector<Expected> expected) {
  const auto found = findings_for(name);
  std::vector<std::string> got;
  for (const auto& diagnostic : found) {
    got.push_back(diagnostic.rule + "@" + std::to_string(diagnostic.position.line) + ":" +
                  std::to_string(diagnostic.position.column));
  }
  std::vector<std::string> want;
  for (const auto& item : expected) {
    want.push_back(item.rule + "@" + std::to_string(item.line) + ":" + std::to_string(item.column));
  }
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want) << describe(found);
  for (const auto& diagnostic : found) EXPECT_EQ(diagnostic.position.file, name + ".yaml");
}

TEST(SeedFlows, Claude) {
  expect_exactly("claude", {{"agent-unpinned-install", 4, 26},
                            {"git-checkout-branch", 31, 18},
                            {"test-not-operator", 34, 63},
                            {"manual-git-tail", 36, 7},
                            {"hardcoded-git-remote", 43, 18},
                            {"secret-in-url", 43, 42},
                            {"unused-variable", 50, 5}});  // ANTHROPIC_API_KEY: claude reads it itself
}

TEST(SeedFlows, Codex) {
  expect_exactly("codex", {{"agent-unpinned-install", 4, 26},
                           {"git-checkout-branch", 32, 18},
                           {"test-not-operator", 35, 63},
                           {"manual-git-tail", 37, 7},
                           {"hardcoded-git-remote", 44, 18},
                           {"secret-in-url", 44, 42},
                           {"unused-variable", 51, 5}});  // OPENAI_API_KEY
}

TEST(SeedFlows, Opencode) {
  expect_exactly("opencode", {{"agent-unpinned-install", 4, 26},
                              {"git-checkout-branch", 37, 18},
                              {"test-not-operator", 40, 63},
                              {"manual-git-tail", 42, 7},
                              {"hardcoded-git-remote", 49, 18},
                              {"secret-in-url", 49, 42},
                              {"unused-variable", 56, 5}});  // ANTHROPIC_API_KEY
}

TEST(SeedFlows, AmazonQ) {
  // Uses `git checkout -b` (right), sets the remote URL with the token inside, and prints AWS_SECRET_NAME, which
  // names a secret but does not hold one. Every listed variable is used.
  expect_exactly("amazon_q", {{"hardcoded-git-remote", 41, 31},
                              {"secret-in-url", 41, 55},
                              {"test-not-operator", 63, 63},
                              {"manual-git-tail", 65, 7},
                              {"hardcoded-git-remote", 72, 18},
                              {"secret-in-url", 72, 42}});
}

TEST(SeedFlows, Gemini) {
  expect_exactly("gemini", {{"agent-unpinned-install", 9, 26},
                            {"agent-untrusted-folder", 16, 90},  // the bug the catalog's flow fixes with --skip-trust
                            {"git-checkout-branch", 34, 18},
                            {"test-not-operator", 37, 63},
                            {"manual-git-tail", 39, 7},
                            {"hardcoded-git-remote", 46, 18},
                            {"secret-in-url", 46, 42},
                            {"unused-variable", 56, 5},    // GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION: read by
                            {"unused-variable", 57, 5}});  // gemini from its environment
}

TEST(SeedFlows, AllFiveCheckedTogetherGiveTheSameFindings) {
  const std::vector<std::string> names{"claude", "codex", "opencode", "amazon_q", "gemini"};
  std::vector<Flow> flows;
  for (const auto& name : names) flows.push_back(flow_from_file(seed(name)));
  std::vector<const Flow*> pointers;
  for (const auto& flow : flows) pointers.push_back(&flow);
  const auto together = check_commands(pointers, {false});
  ASSERT_EQ(together.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(describe(together[i]), describe(findings_for(names[i]))) << names[i];
  }
}

}  // namespace
}  // namespace flowrun::flow
