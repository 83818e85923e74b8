// `flowrun run` runs the commands as GitLab Runner does: one bash session, errexit, pipefail, each command echoed,
// the first failure ends the list; and it stops before anything runs when the flow is invalid or variables are missing.
#include <nlohmann/json.hpp>

#include "run_fixture.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;

TEST(RunCommands, ShellStateCarriesFromOneCommandToTheNext) {
  RunProject project;
  project.write_flow("state", flow_yaml({"export GREETING=hello", "mkdir -p sub && cd sub", "shout() { echo \"$1!\"; }",
                                         "shout \"$GREETING from $(basename \"$PWD\")\""}));
  auto result = project.run({"run", "state", "--no-push"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("hello from sub!"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("$ export GREETING=hello"), std::string::npos) << result.out;
  json report = json::parse(project.report());
  ASSERT_EQ(report["commands"].size(), 4u);
  for (const auto& command : report["commands"]) EXPECT_EQ(command["state"], "succeeded");
  EXPECT_EQ(report["outcome"], "no_changes") << report.dump(2);
  // Without CI_WORKLOAD_REF or --branch there is nowhere to push; --no-push commits anyway, here nothing.
  EXPECT_EQ(report["git"]["outcome"], "no_changes");
}

TEST(RunCommands, FirstFailureStopsTheListWithItsExitCode) {
  RunProject project;
  project.write_flow("fail", flow_yaml({"echo first", "echo failing; exit 3", "echo never-printed"}));
  auto result = project.run({"run", "fail", "--no-push", "--junit", "junit.xml"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_EQ(result.out.find("never-printed"), std::string::npos);
  EXPECT_NE(result.out.find("command 2 (`echo failing; exit 3`) exited with code 3"), std::string::npos) << result.out;
  json report = json::parse(project.report());
  EXPECT_EQ(report["outcome"], "command_failed");
  EXPECT_EQ(report["failed_command"], 1);
  EXPECT_EQ(report["commands"][1]["exit_code"], 3);
  EXPECT_EQ(report["commands"][2]["state"], "not_run");
  std::string junit = read_text(project.workdir() / "junit.xml");
  EXPECT_NE(junit.find("<failure message=\"exit code 3\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("<skipped"), std::string::npos) << junit;
}

TEST(RunCommands, PipefailMakesAFailingPipelineFail) {
  RunProject project;
  project.write_flow("pipe", flow_yaml({"false | true", "echo after"}));
  auto result = project.run({"run", "pipe", "--no-push"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out.find("\nafter"), std::string::npos) << result.out;
}

TEST(RunCommands, MultiLineCommandsRunAsWritten) {
  RunProject project;
  project.write_flow("multi", flow_yaml({"for word in alpha beta; do\n  echo \"word:$word\"\ndone\nif true; then\n"
                                         "  echo 'inside if'\nfi"}));
  auto result = project.run({"run", "multi", "--no-push"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("word:alpha\nword:beta\ninside if"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("# collapsed multi-line command"), std::string::npos) << result.out;
}

TEST(RunCommands, StdinIsEmpty) {
  RunProject project;
  project.write_flow("stdin", flow_yaml({"if read -r line; then echo \"read:$line\"; else echo no-input; fi"}));
  auto result = project.run({"run", "stdin", "--no-push"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("no-input"), std::string::npos) << result.out;
}

TEST(RunCommands, TheHandoffLineIsNotRunAgain) {
  RunProject project;
  project.write_flow("handoff", flow_yaml({"exec flowrun run handoff", "echo after-handoff"}));
  auto result = project.run({"run", "handoff", "--no-push"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("after-handoff"), std::string::npos);
  EXPECT_EQ(result.out.find("$ exec flowrun run handoff"), std::string::npos) << result.out;
  json report = json::parse(project.report());
  ASSERT_EQ(report["commands"].size(), 1u);
  EXPECT_EQ(report["commands"][0]["index"], 1);
}

TEST(RunCommands, MissingVariablesAreAllListedAndNothingRuns) {
  RunProject project;
  project.write_flow("vars", flow_yaml({"touch ran.marker"}, {"FIRST_MISSING", "PRESENT_ONE", "SECOND_MISSING"}));
  project.env()["PRESENT_ONE"] = "here";
  project.env()["SECOND_MISSING"] = "";  // empty counts as missing
  auto result = project.run({"run", "vars", "--no-push"});
  EXPECT_EQ(result.exit_code, 4) << result.out << result.err;
  EXPECT_NE(result.out.find("missing variables: FIRST_MISSING, SECOND_MISSING"), std::string::npos) << result.out;
  EXPECT_FALSE(std::filesystem::exists(project.workdir() / "ran.marker"));
  json report = json::parse(project.report());
  EXPECT_EQ(report["missing_variables"], json({"FIRST_MISSING", "SECOND_MISSING"}));
}

TEST(RunCommands, AnInvalidFlowStopsTheRunWithTheValidateMessages) {
  RunProject project;
  project.write_flow("broken", "image: alpine\ncommand:\n  - touch ran.marker\n");
  auto result = project.run({"run", "broken", "--no-push"});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("broken.yaml:1:1: error: no `commands:`"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("is `command:` on line 2 meant to be `commands:`?"), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(project.workdir() / "ran.marker"));
}

TEST(RunCommands, EnvFileAndLocalStandInsReachTheCommands) {
  RunProject project;
  write_text(project.root() / "local.env",
             "# local values\nAPI_KEY=from-env-file-123\nexport QUOTED=\"two\\nlines\"\n");
  write_text(project.root() / "context.json", "{\"iid\": 7, \"title\": \"An issue\"}");
  project.write_flow("local", flow_yaml({"printf '%s|%s|%s|%s' \"$AI_FLOW_INPUT\" \"$AI_FLOW_EVENT\" \"$QUOTED\" "
                                         "\"$AI_FLOW_CONTEXT\" > seen.txt"},
                                        {"API_KEY"}));
  auto result =
      project.run({"run", "local", "--no-push", "--env-file", (project.root() / "local.env").string(), "--input",
                   "do the thing", "--event", "mention", "--context-file", (project.root() / "context.json").string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(read_text(project.workdir() / "seen.txt"),
            "do the thing|mention|two\nlines|{\"iid\": 7, \"title\": \"An issue\"}");
}

TEST(RunCommands, AFlowNameThatLeavesTheFlowsFolderIsRefused) {
  RunProject project;
  write_text(project.workdir() / "outside.yaml", flow_yaml({"touch ran.marker"}));
  auto result = project.run({"run", "../../outside", "--no-push"});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_FALSE(std::filesystem::exists(project.workdir() / "ran.marker"));
}

}  // namespace
}  // namespace flowrun::testing
