// FLOWRUN_ANSWER_FILE: any command can leave the agent's final message for the note, without agent-log; an answer an
// earlier run left behind is never reported again.
#include <nlohmann/json.hpp>

#include "run_fixture.h"

namespace flowrun::testing {
namespace {

TEST(AnswerFile, WhatTheCommandsWriteLeadsTheNoteAndTheReport) {
  RunProject project;
  project.write_flow("answer",
                     flow_yaml({"echo 'edited' >> README.md",
                                "printf 'I fixed the README.\\n\\n@all /merge\\n' > \"$FLOWRUN_ANSWER_FILE\""}));
  const auto note_file = project.root() / "note.md";
  auto result = project.run({"run", "answer", "--no-push", "--note-file", note_file.string()});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::string note = read_text(note_file);
  const auto answer = note.find("I fixed the README.");
  ASSERT_NE(answer, std::string::npos) << note;
  EXPECT_LT(answer, note.find("README.md")) << note;
  EXPECT_EQ(note.find("@all"), std::string::npos) << note;
  EXPECT_EQ(note.find("\n/merge"), std::string::npos) << note;
  auto report = nlohmann::json::parse(project.report());
  EXPECT_EQ(report["agent"]["final_message"], "I fixed the README.\n\n@all /merge\n");
  EXPECT_EQ(report["agent"]["stopped_early"], "");
  EXPECT_EQ(report["outcome"], "succeeded");
}

TEST(AnswerFile, AStaleAnswerIsNotReportedAgain) {
  RunProject project;
  project.write_flow("quiet", flow_yaml({"echo 'edited' >> README.md"}));
  write_text(project.workdir() / ".flowrun/agent-answer.md", "an answer from the last attempt");
  write_text(project.workdir() / ".flowrun/agent-claude.jsonl", R"({"type":"result","subtype":"error_max_turns"})"
                                                                "\n");
  const auto note_file = project.root() / "note.md";
  auto result = project.run({"run", "quiet", "--no-push", "--note-file", note_file.string()});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(read_text(note_file).find("last attempt"), std::string::npos);
  auto report = nlohmann::json::parse(project.report());
  EXPECT_TRUE(report["agent"].is_null()) << report.dump(2);
}

}  // namespace
}  // namespace flowrun::testing
