// `flowrun init` writes the built-in catalog flows, each of which passes `flowrun validate --strict`, and the examples
// shipped in examples/.gitlab/duo/flows/ are exactly what init writes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/process.h"
#include "support/temp_dir.h"

namespace flowrun::testing {
namespace {

const std::vector<std::string> kAgents = {"claude", "codex", "opencode", "amazon_q", "gemini"};

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

ProcessResult flowrun(const std::vector<std::string>& args, const std::filesystem::path& cwd) {
  std::vector<std::string> argv{FLOWRUN_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, base_environment(), cwd);
}

class InitCatalog : public ::testing::Test {
 protected:
  void SetUp() override { std::filesystem::create_directories(dir_.path() / ".git"); }
  TempDir dir_;
};

TEST_F(InitCatalog, ListsTheFiveAgents) {
  auto result = flowrun({"init", "--list"}, dir_.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const auto& agent : kAgents) EXPECT_NE(result.out.find(agent + "\t"), std::string::npos) << result.out;
}

TEST_F(InitCatalog, EachAgentsFlowIsWrittenAndValidatesStrictly) {
  for (const auto& agent : kAgents) {
    auto result = flowrun({"init", agent}, dir_.path());
    ASSERT_EQ(result.exit_code, 0) << agent << ": " << result.err;
    const auto written = dir_.path() / ".gitlab/duo/flows" / (agent + ".yaml");
    ASSERT_TRUE(std::filesystem::exists(written)) << agent;
    EXPECT_EQ(read_text(written), read_text(std::filesystem::path(FLOWRUN_SOURCE_DIR) / "flows" / (agent + ".yaml")));
    // What is left to set up: the variables and the flow trigger with this path.
    EXPECT_NE(result.out.find("GITLAB_TOKEN_"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find(".gitlab/duo/flows/" + agent + ".yaml"), std::string::npos) << result.out;
    auto validated = flowrun({"validate", "--strict", written.string()}, dir_.path());
    EXPECT_EQ(validated.exit_code, 0) << agent << ":\n" << validated.out << validated.err;
  }
}

TEST_F(InitCatalog, NeverOverwritesWithoutForce) {
  ASSERT_EQ(flowrun({"init", "claude"}, dir_.path()).exit_code, 0);
  const auto written = dir_.path() / ".gitlab/duo/flows/claude.yaml";
  { std::ofstream(written) << "# mine\n"; }
  auto refused = flowrun({"init", "claude"}, dir_.path());
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  EXPECT_EQ(read_text(written), "# mine\n");
  EXPECT_EQ(flowrun({"init", "claude", "--force", "--image", "registry.example.com/flowrun:9"}, dir_.path()).exit_code,
            0);
  EXPECT_NE(read_text(written).find("\nimage: registry.example.com/flowrun:9\n"), std::string::npos);
}

TEST_F(InitCatalog, AgentVersionMovesThePinnedCliAndStaysValid) {
  auto result = flowrun({"init", "claude", "--agent-version", "2.1.400"}, dir_.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto written = dir_.path() / ".gitlab/duo/flows/claude.yaml";
  EXPECT_NE(read_text(written).find("@anthropic-ai/claude-code@2.1.400\n"), std::string::npos) << read_text(written);
  EXPECT_EQ(flowrun({"validate", "--strict", written.string()}, dir_.path()).exit_code, 0);
  // A version that is not one, and a flow whose CLI comes with the image, are refused; nothing is written.
  EXPECT_EQ(flowrun({"init", "codex", "--agent-version", "latest"}, dir_.path()).exit_code, 2);
  auto amazon = flowrun({"init", "amazon_q", "--agent-version", "1.0.0"}, dir_.path());
  EXPECT_EQ(amazon.exit_code, 2);
  EXPECT_NE(amazon.err.find("comes with the image"), std::string::npos) << amazon.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / ".gitlab/duo/flows/amazon_q.yaml"));
}

TEST_F(InitCatalog, AnUnknownAgentIsABadArgument) {
  auto result = flowrun({"init", "nonesuch"}, dir_.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("claude"), std::string::npos) << result.err;
}

TEST(Examples, AgentExamplesAreTheCatalogFlowsAndAllValidate) {
  const std::filesystem::path source(FLOWRUN_SOURCE_DIR);
  for (const auto& agent : kAgents) {
    EXPECT_EQ(read_text(source / "examples/.gitlab/duo/flows" / (agent + ".yaml")),
              read_text(source / "flows" / (agent + ".yaml")))
        << agent << ": examples/.gitlab/duo/flows/ must hold what `flowrun init` writes";
  }
  auto result = flowrun({"validate", "--strict", (source / "examples/.gitlab/duo/flows").string()}, source);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

}  // namespace
}  // namespace flowrun::testing
