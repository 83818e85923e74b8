// Ordinary shell that once broke flowrun itself: a command's EXIT trap, a descriptor opened by one command and used
// by the next, a word of 40,000 characters, `set +e` before a failing last command. Each run ends as GitLab Runner's
// script would, and the work is still committed (and pushed, or kept as a patch) and the thread still answered.
#include "attack_fixture.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;

std::string last_note(const std::vector<std::string>& bodies) { return bodies.empty() ? std::string() : bodies.back(); }

TEST_F(AttackJob, ACommandsExitTrapDecidesTheStatusAndTheWorkIsStillCommittedWithAPatchAndANote) {
  check_out(flow_yaml({"exec flowrun run agent", "echo 'edited by the agent' >> README.md", "trap 'exit 3' EXIT"},
                      {"GITLAB_TOKEN_AGENT"}));
  auto result = run(job_environment());
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  json r = report();
  EXPECT_EQ(r["outcome"], "command_failed");
  EXPECT_EQ(r["shell_exit_code"], 3);
  EXPECT_EQ(r["last_command_seen"], 2);
  EXPECT_TRUE(r["internal_errors"].empty()) << r.dump(2);
  EXPECT_FALSE(r["git"]["commit"].get<std::string>().empty()) << r.dump(2);
  ASSERT_FALSE(r["git"]["patch_file"].get<std::string>().empty());
  EXPECT_NE(read_text(r["git"]["patch_file"].get<std::string>()).find("+edited by the agent"), std::string::npos);
  const std::string note = last_note(note_bodies());
  EXPECT_NE(note.find("exited with code 3"), std::string::npos) << note;
  EXPECT_NE(note.find("edited by the agent"), std::string::npos) << "the patch travels in the note\n" << note;
}

TEST_F(AttackJob, ADescriptorOpenedByOneCommandIsUsedByTheNextAndTheResultIsPushed) {
  check_out(flow_yaml({"exec flowrun run agent", "exec 3>notes.txt", "echo 'written on fd 3' >&3", "exec 3>&-"},
                      {"GITLAB_TOKEN_AGENT"}));
  auto result = run(job_environment());
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(report()["git"]["outcome"], "pushed");
  EXPECT_EQ(server(repo_, {"show", "workloads/0a1b2c3d4e5:notes.txt"}), "written on fd 3\n");
  EXPECT_FALSE(note_bodies().empty());
}

TEST_F(AttackJob, AFortyThousandCharacterWordValidatesRunsAndIsPushed) {
  const std::string word = "x=\"" + std::string(40000, 'a') + "\"; echo ${#x} > length.txt";
  check_out(flow_yaml({"exec flowrun run agent", word}, {"GITLAB_TOKEN_AGENT"}));
  const auto validated = run_process({FLOWRUN_BINARY, "validate", ".gitlab/duo/flows/agent.yaml", "--no-shellcheck"},
                                     job_environment(), workdir_);
  EXPECT_EQ(validated.exit_code, 0) << validated.out << validated.err;
  auto result = run(job_environment());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(server(repo_, {"show", "workloads/0a1b2c3d4e5:length.txt"}), "40000\n");
  EXPECT_FALSE(note_bodies().empty());
}

TEST_F(AttackJob, DeeplyNestedShellTextNeitherCrashesValidationNorTheRunAndTheThreadIsAnswered) {
  std::string nested = "echo ";
  for (int i = 0; i < 3000; ++i) nested += "$(";
  nested += "true";
  for (int i = 0; i < 3000; ++i) nested += ")";
  check_out(flow_yaml({"exec flowrun run agent", "echo edited >> README.md", nested}, {"GITLAB_TOKEN_AGENT"}));
  const auto validated = run_process({FLOWRUN_BINARY, "validate", ".gitlab/duo/flows/agent.yaml", "--no-shellcheck"},
                                     job_environment(), workdir_);
  EXPECT_LT(validated.exit_code, 2) << validated.out << validated.err;  // findings at most, never a crash
  auto result = run(job_environment());
  EXPECT_TRUE(result.exit_code == 0 || result.exit_code == 1) << result.exit_code << result.err;
  json r = report();
  EXPECT_TRUE(r["internal_errors"].empty()) << r.dump(2);
  EXPECT_FALSE(r["git"]["commit"].get<std::string>().empty()) << r.dump(2);
  EXPECT_FALSE(note_bodies().empty());
}

TEST_F(AttackJob, SetPlusEDoesNotHideAFailingLastCommand) {
  check_out(flow_yaml({"exec flowrun run agent", "set +e", "echo 'half done' >> README.md", "false"},
                      {"GITLAB_TOKEN_AGENT"}));
  auto result = run(job_environment());
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  json r = report();
  EXPECT_EQ(r["outcome"], "command_failed");
  EXPECT_EQ(r["failed_command"], 3);
  EXPECT_FALSE(r["git"]["commit"].get<std::string>().empty());
  const std::string note = last_note(note_bodies());
  EXPECT_EQ(note.find("Succeeded"), std::string::npos) << note;
  EXPECT_NE(note.find("Command 4"), std::string::npos) << note;
}

TEST_F(AttackJob, ATimedOutRunsNoteNamesTheCommandThatWasRunning) {
  check_out(flow_yaml({"exec flowrun run agent", "echo 'started' >> README.md", "# wait for the model\nsleep 60"},
                      {"GITLAB_TOKEN_AGENT"}));
  auto result = run(job_environment(), {"--timeout", "6"});
  EXPECT_EQ(result.exit_code, 5) << result.out << result.err;
  const std::string note = last_note(note_bodies());
  EXPECT_NE(note.find("`sleep 60`"), std::string::npos) << note;
  EXPECT_NE(note.find("still running when the time ran out"), std::string::npos) << note;
  EXPECT_FALSE(report()["git"]["commit"].get<std::string>().empty());
}

}  // namespace
}  // namespace flowrun::testing
