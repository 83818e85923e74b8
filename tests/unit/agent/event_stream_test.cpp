// Each agent CLI's event stream becomes progress lines and an AgentResult: final message, usage, and whether the
// agent stopped early. The claude and opencode streams were recorded from the real CLIs against the stand-in model.
#include "flowrun/agent/event_stream.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace flowrun::agent {
namespace {

std::string stream(const std::string& name) {
  std::ifstream in(std::string(FLOWRUN_FIXTURES_DIR) + "/agent-streams/" + name + ".jsonl", std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  EXPECT_FALSE(buffer.str().empty()) << name;
  return buffer.str();
}

std::vector<std::string> progress_of(const std::string& agent, const std::string& text) {
  auto reader = make_event_stream(agent);
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    for (auto& progress : reader->feed_line(line)) lines.push_back(progress);
  }
  return lines;
}

bool has_line(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& line : lines) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(ClaudeStream, AFinishedRunGivesTheFinalMessageAndUsage) {
  AgentResult result = read_event_text("claude", stream("claude-edit"));
  EXPECT_TRUE(result.finished);
  EXPECT_EQ(result.stopped_early, "");
  EXPECT_EQ(result.final_message.substr(0, 37), "I created the greeting file as asked.");
  EXPECT_EQ(result.usage.model, "claude-opus-5-5");
  EXPECT_EQ(result.usage.turns, 2);
  EXPECT_EQ(result.usage.input_tokens, 2400);
  EXPECT_EQ(result.usage.output_tokens, 68);
  ASSERT_TRUE(result.usage.cost_usd);
  EXPECT_NEAR(*result.usage.cost_usd, 0.01096, 1e-9);
  EXPECT_EQ(result.files_edited, std::vector<std::string>{"/builds/group/project/hello.txt"});
  EXPECT_EQ(usage_summary(result.usage),
            "claude-opus-5-5 \u00B7 2 turns \u00B7 2,400 in / 68 out tokens \u00B7 $0.0110 \u00B7 2 s");
}

TEST(ClaudeStream, ProgressLinesSayWhatTheAgentDoes) {
  auto lines = progress_of("claude", stream("claude-edit"));
  EXPECT_TRUE(has_line(lines, "[claude] started (model claude-opus-5-5)"));
  EXPECT_TRUE(has_line(lines, "[claude] Write /builds/group/project/hello.txt"));
  EXPECT_TRUE(has_line(lines, "[claude] finished: done"));
}

TEST(ClaudeStream, ARefusedToolIsStoppingEarly) {
  AgentResult result = read_event_text("claude", stream("claude-refused"));
  EXPECT_TRUE(result.finished);
  EXPECT_EQ(result.stopped_early, "1 tool call was refused permission: Bash: git push --force origin HEAD:main");
  EXPECT_TRUE(has_line(progress_of("claude", stream("claude-refused")), "Bash failed: This command requires approval"));
}

TEST(ClaudeStream, ARefusedKeyIsHopelessAtTheFirstRetry) {
  auto reader = make_event_stream("claude");
  std::istringstream in(stream("claude-unauthorized"));
  std::string line;
  std::getline(in, line);
  reader->feed_line(line);
  EXPECT_FALSE(reader->hopeless());
  std::getline(in, line);
  reader->feed_line(line);
  EXPECT_TRUE(reader->hopeless());
  EXPECT_NE(reader->finish().stopped_early.find("refused the credentials (HTTP 401"), std::string::npos);
}

TEST(ClaudeStream, ErrorResultsAndLimitsAreStoppingEarly) {
  EXPECT_EQ(read_event_text("claude", R"({"type":"result","subtype":"error_max_turns","num_turns":30})").stopped_early,
            "it reached its turn limit (30 turns)");
  EXPECT_EQ(read_event_text("claude", R"({"type":"result","subtype":"error_max_budget_usd"})").stopped_early,
            "it reached its budget limit");
  EXPECT_EQ(
      read_event_text("claude", R"({"type":"result","subtype":"success","is_error":true,"result":"API Error: 500"})")
          .stopped_early,
      "API Error: 500");
  EXPECT_NE(read_event_text("claude", R"({"type":"system","subtype":"init"})").stopped_early.find("ended before"),
            std::string::npos);
}

TEST(OpencodeStream, AFinishedRunGivesTheFinalMessageAndUsage) {
  AgentResult result = read_event_text("opencode", stream("opencode-edit"));
  EXPECT_TRUE(result.finished);
  EXPECT_EQ(result.stopped_early, "");
  EXPECT_EQ(result.final_message.substr(0, 37), "I created the greeting file as asked.");
  EXPECT_EQ(result.usage.turns, 2);
  EXPECT_EQ(result.usage.output_tokens, 68);
  EXPECT_EQ(result.files_edited, std::vector<std::string>{"/builds/group/project/hello.txt"});
}

TEST(OpencodeStream, AnAutoRejectedPermissionIsStoppingEarly) {
  AgentResult result = read_event_text("opencode", stream("opencode-refused"));
  EXPECT_EQ(result.stopped_early, "a tool call was refused permission: write /work/outside/hello.txt");
  EXPECT_TRUE(result.files_edited.empty());
}

TEST(CodexStream, ItemsAndTurnsGiveTheAnswerAndUsage) {
  AgentResult result = read_event_text("codex", stream("codex-edit"));
  EXPECT_TRUE(result.finished);
  EXPECT_EQ(result.final_message, "I created the greeting file as asked.");
  EXPECT_EQ(result.usage.turns, 1);
  EXPECT_EQ(result.usage.input_tokens, 1200);
  EXPECT_EQ(result.files_edited, std::vector<std::string>{"/builds/group/project/hello.txt"});
  auto lines = progress_of("codex", stream("codex-edit"));
  EXPECT_TRUE(has_line(lines, "[codex] Bash: bash -lc ls"));
  EXPECT_TRUE(has_line(lines, "[codex] Edit /builds/group/project/hello.txt (add)"));
}

TEST(CodexStream, AFailedTurnIsStoppingEarly) {
  EXPECT_EQ(read_event_text("codex", stream("codex-failed")).stopped_early,
            "unexpected status 401 Unauthorized: Incorrect API key provided");
}

TEST(GeminiStream, DeltasMakeTheFinalMessage) {
  AgentResult result = read_event_text("gemini", stream("gemini-edit"));
  EXPECT_TRUE(result.finished);
  EXPECT_EQ(result.final_message, "I created the greeting file as asked.");
  EXPECT_EQ(result.usage.model, "gemini-2.5-pro");
  EXPECT_EQ(result.usage.output_tokens, 68);
  EXPECT_EQ(result.files_edited, std::vector<std::string>{"/builds/group/project/hello.txt"});
  EXPECT_EQ(read_event_text("gemini", R"({"type":"result","status":"error","error":{"message":"quota exceeded"}})")
                .stopped_early,
            "quota exceeded");
}

TEST(EventStream, LinesThatAreNotJsonPassThroughAndHostileOnesDoNotCrash) {
  auto lines = progress_of("claude", "npm warn something\n{not json\n[1,2]\n" + std::string(100000, '[') + "\n");
  ASSERT_GE(lines.size(), 1u);
  EXPECT_EQ(lines[0], "npm warn something");
  EXPECT_EQ(make_event_stream("nonesuch"), nullptr);
}

}  // namespace
}  // namespace flowrun::agent
