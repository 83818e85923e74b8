// agent-removed-flag, agent-untrusted-folder, agent-unpinned-install, agent-output-format, agent-answer-lost: each
// fixture under tests/fixtures/flows/agents/ gives exactly the agent findings its .expected file lists
// (`line:col: severity: [rule]`); the catalog flows give none.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "test_flows.h"

namespace flowrun::flow {
namespace {

namespace fs = std::filesystem;
using testing::check;
using testing::flow_from_file;

std::vector<std::string> agent_findings(const fs::path& path) {
  std::vector<std::string> found;
  for (const auto& diagnostic : check(flow_from_file(path))) {
    if (!diagnostic.rule.starts_with("agent-")) continue;
    found.push_back(std::to_string(diagnostic.position.line) + ":" + std::to_string(diagnostic.position.column) + ": " +
                    (diagnostic.severity == Severity::error ? "error" : "warning") + ": [" + diagnostic.rule + "]");
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<std::string> expected(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST(AgentChecks, EachFixtureGivesExactlyItsExpectedFindings) {
  int fixtures = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(FLOWRUN_FIXTURES_DIR) / "flows/agents")) {
    if (entry.path().extension() != ".yaml") continue;
    ++fixtures;
    fs::path sidecar = entry.path();
    sidecar += ".expected";
    EXPECT_EQ(agent_findings(entry.path()), expected(sidecar)) << entry.path();
  }
  EXPECT_EQ(fixtures, 4);
}

TEST(AgentChecks, TheCatalogFlowsAreClean) {
  for (const char* agent : {"claude", "codex", "gemini", "opencode", "amazon_q"}) {
    EXPECT_TRUE(agent_findings(fs::path(FLOWRUN_SOURCE_DIR) / "flows" / (std::string(agent) + ".yaml")).empty())
        << agent;
  }
}

TEST(AgentChecks, TheMessagesSayWhatToDo) {
  auto found = check(flow_from_file(fs::path(FLOWRUN_FIXTURES_DIR) / "flows/agents/codex-full-auto.yaml"));
  for (const auto& diagnostic : found) {
    if (diagnostic.rule == "agent-removed-flag") {
      EXPECT_NE(diagnostic.message.find("--sandbox workspace-write"), std::string::npos);
    }
    if (diagnostic.rule == "agent-unpinned-install") {
      EXPECT_NE(diagnostic.message.find("--agent-version"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace flowrun::flow
