// `flowrun agent-log AGENT` as the catalog flows use it: an agent CLI's JSON events on stdin become readable progress
// lines, the raw stream is kept, and a secret is masked before any line is cut short.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/process.h"
#include "support/temp_dir.h"

namespace flowrun::testing {
namespace {

constexpr const char* kSecret = "s3cr3t-Value-That-Must-Not-Leak-0123456789";

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string bash_call(const std::string& command) {
  std::string escaped;
  for (char c : command) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
  return R"({"type":"assistant","message":{"content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":")" +
         escaped + R"("}}]}})";
}

TEST(AgentLog, ProgressLinesAndTheKeptStream) {
  TempDir dir;
  auto env = base_environment();
  env["FLOWRUN_ARTIFACTS_DIR"] = dir.path().string();
  const std::string stream = R"({"type":"system","subtype":"init","model":"m1"})"
                             "\n" +
                             bash_call("make test") + "\n" +
                             R"({"type":"result","subtype":"success","is_error":false,"result":"Done.","num_turns":1})"
                             "\n";
  auto result = run_process({FLOWRUN_BINARY, "agent-log", "claude"}, env, dir.path(), std::chrono::seconds(30), stream);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "[claude] started (model m1)\n[claude] Bash: make test\n[claude] finished: done (m1 \u00B7 1 turn)\n");
  EXPECT_EQ(read_text(dir.path() / "agent-claude.jsonl"), stream);
}

TEST(AgentLog, ASecretIsMaskedBeforeALineIsCutShort) {
  TempDir dir;
  auto env = base_environment();
  env["FLOWRUN_ARTIFACTS_DIR"] = dir.path().string();
  env["FLOWRUN_MASKED_VARIABLES"] = "DEPLOY_PASS,OTHER";
  env["DEPLOY_PASS"] = kSecret;
  // The secret straddles the 160th byte, where a progress line is cut.
  const std::string command = "curl -u admin:" + std::string(140, 'x') + kSecret + " https://example.com";
  auto result = run_process({FLOWRUN_BINARY, "agent-log", "claude"}, env, dir.path(), std::chrono::seconds(30),
                            bash_call(command) + "\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.find("s3cr3t"), std::string::npos) << result.out;
  EXPECT_EQ(read_text(dir.path() / "agent-claude.jsonl").find("s3cr3t"), std::string::npos);
  EXPECT_NE(read_text(dir.path() / "agent-claude.jsonl").find("[MASKED]"), std::string::npos);
}

TEST(AgentLog, AnUnknownAgentIsABadArgument) {
  auto result =
      run_process({FLOWRUN_BINARY, "agent-log", "nonesuch"}, base_environment(), "/", std::chrono::seconds(30));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("claude"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace flowrun::testing
