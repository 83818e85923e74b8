// The whole job against one host that speaks GitLab: commands, commit, push over smart HTTP, merge request, and the
// note in the thread that asked — with the real binary, the real git server side, and no token left anywhere.
#include <nlohmann/json.hpp>

#include "run_fixture.h"
#include "support/fake_gitlab.h"
#include "support/job_environment.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;

constexpr const char* kToken = "glpat-ServiceAccountToken123456";
constexpr const char* kDiscussion = "0123456789abcdef0123456789abcdef01234567";
constexpr const char* kWorkload = "abcdef01234";

std::string agent_flow() {
  return flow_yaml({"exec flowrun run agent", "echo \"Task: $AI_FLOW_INPUT\"",
                    "printf '\\nChanged by the agent.\\n' >> README.md\nrm obsolete.txt\nmkdir -p docs/new\n"
                    "echo 'new file' > docs/new/notes.md",
                    "echo \"done, token is $GITLAB_TOKEN_AGENT\""},
                   {"GITLAB_TOKEN_AGENT"});
}

class RunAgainstGitLab : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = gitlab_.add_project(42, "group/project", "main");
    gitlab_.add_token(kToken, TokenKind::pat, "agent-bot");
    gitlab_.add_issue(42, 7, "Fix the README");
    gitlab_.add_discussion(DiscussionSeed{.noteable = "issue", .project_id = 42, .iid = 7, .id = kDiscussion});
  }

  // Seeds the server's repository with `flow` and checks it out as CI does (shallow or not, detached).
  void check_out(const std::string& flow, bool shallow = true) {
    seed_repository(repo_,
                    {{"README.md", "# Project\n"}, {"obsolete.txt", "old\n"}, {".gitlab/duo/flows/agent.yaml", flow}});
    auto env = git_credentials_environment("agent-bot", kToken);
    std::vector<std::string> clone{"clone", "--quiet"};
    if (shallow) clone.insert(clone.end(), {"--depth", "1"});
    clone.insert(clone.end(), {gitlab_.repository_url("group/project"), workdir_.string()});
    auto result = git(clone, dir_.path(), env);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    ASSERT_EQ(git({"checkout", "--quiet", "--detach"}, workdir_).exit_code, 0);
  }

  std::map<std::string, std::string> job_environment(const std::string& context, const std::string& event = "mention",
                                                     bool with_discussion = true) {
    auto env = gitlab_job_environment(gitlab_, workdir_, {kWorkload, "1001"});
    env["CI_PIPELINE_URL"] = gitlab_.url() + "/group/project/-/pipelines/77";
    env["CI_JOB_TOKEN"] = "job-token-not-for-notes-1234";
    env["GITLAB_TOKEN_AGENT"] = kToken;
    env["AI_FLOW_EVENT"] = event;
    env["AI_FLOW_INPUT"] = "@agent-bot please update the README";
    env["AI_FLOW_CONTEXT"] = context;
    if (with_discussion) env["AI_FLOW_DISCUSSION_ID"] = kDiscussion;
    return env;
  }

  std::string issue_context() const {
    return json{{"id", 900},
                {"iid", 7},
                {"project_id", 42},
                {"title", "Fix the README"},
                {"web_url", gitlab_.url() + "/group/project/-/issues/7"}}
        .dump();
  }

  ProcessResult run(const std::map<std::string, std::string>& env, std::vector<std::string> args = {}) {
    std::vector<std::string> argv{FLOWRUN_BINARY, "run", "agent"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, env, workdir_, std::chrono::seconds(120));
  }

  std::string server_file(const std::string& branch, const std::string& path) {
    return git({"--git-dir", repo_.string(), "show", branch + ":" + path}, dir_.path()).out;
  }

  // Every file under `dir`, searched for `needle` (binary-safe).
  static bool found_in_tree(const std::filesystem::path& dir, const std::string& needle) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      if (entry.is_regular_file() && read_text(entry.path()).find(needle) != std::string::npos) return true;
    }
    return false;
  }

  FakeGitLab gitlab_;
  TempDir dir_;
  std::filesystem::path workdir_ = dir_.path() / "job";
  std::filesystem::path repo_;
};

TEST_F(RunAgainstGitLab, MentionOnAnIssueGetsAPushedBranchAMergeRequestAndAReplyInTheThread) {
  check_out(agent_flow(), /*shallow=*/true);
  auto result = run(job_environment(issue_context()));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;

  const std::string branch = std::string("workloads/") + kWorkload;
  EXPECT_NE(server_file(branch, "README.md").find("Changed by the agent."), std::string::npos);
  EXPECT_EQ(server_file(branch, "docs/new/notes.md"), "new file\n");
  auto tree = git({"--git-dir", repo_.string(), "ls-tree", "-r", "--name-only", branch}, dir_.path()).out;
  EXPECT_EQ(tree.find("obsolete.txt"), std::string::npos) << tree;
  EXPECT_EQ(tree.find(".flowrun"), std::string::npos) << tree;
  auto author = git({"--git-dir", repo_.string(), "log", "-1", "--format=%an|%cn", branch}, dir_.path()).out;
  EXPECT_EQ(author, "agent-bot|Requester\n");

  auto state = gitlab_.state();
  ASSERT_EQ(state.merge_requests.size(), 1u);
  EXPECT_EQ(state.merge_requests[0].source_branch, branch);
  EXPECT_EQ(state.merge_requests[0].target_branch, "main");
  const RecordedNote* reply = nullptr;
  for (const auto& note : state.notes) {
    if (note.discussion_id == kDiscussion && note.author == "agent-bot") reply = &note;
  }
  ASSERT_NE(reply, nullptr) << state.json;
  EXPECT_NE(reply->body.find(branch), std::string::npos) << reply->body;
  EXPECT_NE(reply->body.find(state.merge_requests[0].web_url), std::string::npos) << reply->body;

  // The token is nowhere: not in the output, not in the work tree or its .git.
  EXPECT_EQ(result.out.find(kToken), std::string::npos);
  EXPECT_EQ(result.err.find(kToken), std::string::npos);
  EXPECT_FALSE(found_in_tree(workdir_, kToken));
  EXPECT_NE(result.out.find("done, token is [MASKED]"), std::string::npos) << result.out;
}

TEST_F(RunAgainstGitLab, AFullCloneWorksToo) {
  check_out(agent_flow(), /*shallow=*/false);
  auto result = run(job_environment(issue_context()));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(server_file(std::string("workloads/") + kWorkload, "docs/new/notes.md"), "new file\n");
}

TEST_F(RunAgainstGitLab, AFailedCommandIsReportedWithItsMaskedOutputAndNothingActive) {
  check_out(flow_yaml({"exec flowrun run agent",
                       "echo 'ready to /merge'\necho '/approve'\necho 'cc @all'\necho \"key $GITLAB_TOKEN_AGENT\"\n"
                       "echo 'changes' >> README.md\nexit 4"},
                      {"GITLAB_TOKEN_AGENT"}));
  auto result = run(job_environment(issue_context()));
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  auto state = gitlab_.state();
  EXPECT_TRUE(state.merge_requests.empty());
  std::string body;
  for (const auto& note : state.notes) {
    if (note.author == "agent-bot") body = note.body;
  }
  ASSERT_FALSE(body.empty()) << state.json;
  EXPECT_NE(body.find("exited with code 4"), std::string::npos) << body;
  EXPECT_EQ(body.find(kToken), std::string::npos) << body;
  EXPECT_NE(body.find("[MASKED]"), std::string::npos) << body;
  // No line of the note starts a quick action, and no mention can notify.
  std::istringstream lines(body);
  std::string line;
  while (std::getline(lines, line)) {
    auto first = line.find_first_not_of(" \t");
    if (first != std::string::npos) {
      EXPECT_NE(line[first], '/') << line;
    }
  }
  EXPECT_EQ(body.find("@all"), std::string::npos) << body;
  // Not pushed by default, but committed and kept as a patch.
  json report = json::parse(read_text(workdir_ / ".flowrun/report.json"));
  EXPECT_EQ(report["git"]["outcome"], "committed");
  EXPECT_TRUE(std::filesystem::exists(report["git"]["patch_file"].get<std::string>()));
  // The job's files go away with the job: the note carries the patch itself.
  auto fence = body.find("```diff\n");
  ASSERT_NE(fence, std::string::npos) << body;
  EXPECT_NE(body.find("\ndiff --git a/README.md b/README.md\n", fence), std::string::npos) << body;
}

TEST_F(RunAgainstGitLab, RateLimitsAndServerErrorsAreRetriedWithoutDuplicateNotes) {
  check_out(agent_flow());
  gitlab_.add_fault(Fault{.method = "POST", .path_regex = "/discussions/.*/notes", .status = 429, .retry_after = "1"});
  gitlab_.add_fault(Fault{.method = "POST", .path_regex = "/merge_requests$", .status = 500});
  auto result = run(job_environment(issue_context()));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto state = gitlab_.state();
  int replies = 0;
  for (const auto& note : state.notes) replies += note.author == "agent-bot" ? 1 : 0;
  EXPECT_EQ(replies, 1) << state.json;
  EXPECT_EQ(state.merge_requests.size(), 1u);
}

TEST_F(RunAgainstGitLab, APermanentlyFailingApiDoesNotLoseTheResult) {
  check_out(agent_flow());
  gitlab_.add_fault(Fault{.method = "*", .path_regex = "^/api/v4/", .status = 503, .times = 1000});
  auto env = job_environment(issue_context());
  env["FLOWRUN_GITLAB_BUDGET"] = "2";
  auto result = run(env);
  EXPECT_EQ(result.exit_code, 8) << result.out << result.err;
  json report = json::parse(read_text(workdir_ / ".flowrun/report.json"));
  EXPECT_EQ(report["git"]["outcome"], "pushed") << report.dump(2);
  EXPECT_FALSE(report["report"]["error"].get<std::string>().empty());
  EXPECT_EQ(report["outcome"], "report_failed");
}

TEST_F(RunAgainstGitLab, AnAssignEventWithoutADiscussionGetsATopLevelNote) {
  check_out(agent_flow());
  auto result = run(job_environment(issue_context(), "assign", /*with_discussion=*/false));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto state = gitlab_.state();
  bool top_level = false;
  for (const auto& note : state.notes) {
    if (note.author == "agent-bot" && note.noteable_type == "Issue" && note.noteable_iid == 7 &&
        note.discussion_id != kDiscussion) {
      top_level = true;
    }
  }
  EXPECT_TRUE(top_level) << state.json;
}

TEST_F(RunAgainstGitLab, AMergeRequestContextIsAnsweredOnTheMergeRequest) {
  check_out(agent_flow());
  auto iid = gitlab_.add_merge_request(
      MergeRequestSeed{.project_id = 42, .source_branch = "feature", .target_branch = "main", .title = "A feature"});
  json context{{"id", 5000},
               {"iid", iid},
               {"project_id", 42},
               {"title", "A feature"},
               {"source_branch", "feature"},
               {"target_branch", "main"},
               {"web_url", gitlab_.url() + "/group/project/-/merge_requests/" + std::to_string(iid)}};
  auto result = run(job_environment(context.dump(), "mention", false), {"--merge-request", "never"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  bool on_mr = false;
  for (const auto& note : gitlab_.state().notes) {
    if (note.author == "agent-bot" && note.noteable_type == "MergeRequest" && note.noteable_iid == iid) on_mr = true;
  }
  EXPECT_TRUE(on_mr) << gitlab_.state().json;
}

TEST_F(RunAgainstGitLab, AnEpicIsAnsweredThroughTheGroupEndpoint) {
  check_out(agent_flow());
  auto epic = gitlab_.add_epic(EpicSeed{.group = "group", .iid = 3, .title = "An epic"});
  json context{{"id", epic.id},
               {"iid", 3},
               {"group_id", epic.group_id},
               {"title", "An epic"},
               {"web_url", gitlab_.url() + "/groups/group/-/epics/3"}};
  auto result = run(job_environment(context.dump(), "mention", false));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  bool on_epic = false;
  for (const auto& request : gitlab_.requests()) {
    if (request.method == "POST" && request.path.find("/groups/") != std::string::npos &&
        // GitLab's epic notes API takes the epic's global id, not its iid.
        request.path.find("/epics/" + std::to_string(epic.id) + "/notes") != std::string::npos &&
        request.status == 201) {
      on_epic = true;
    }
  }
  EXPECT_TRUE(on_epic);
}

TEST_F(RunAgainstGitLab, NoChangesMeansNoCommitNoPushAndANoteThatSaysSo) {
  check_out(flow_yaml({"exec flowrun run agent", "echo 'looked, nothing to change'"}, {"GITLAB_TOKEN_AGENT"}));
  auto result = run(job_environment(issue_context()));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto branches = git({"--git-dir", repo_.string(), "branch", "--list"}, dir_.path()).out;
  EXPECT_EQ(branches.find("workloads/"), std::string::npos) << branches;
  EXPECT_TRUE(gitlab_.state().merge_requests.empty());
  json report = json::parse(read_text(workdir_ / ".flowrun/report.json"));
  EXPECT_EQ(report["outcome"], "no_changes");
}

TEST_F(RunAgainstGitLab, DryRunRunsWritesAndSendsNothing) {
  check_out(flow_yaml({"exec flowrun run agent", "touch ran.marker"}, {"GITLAB_TOKEN_AGENT"}));
  gitlab_.reset();
  auto result = run(job_environment(issue_context()), {"--dry-run"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_FALSE(std::filesystem::exists(workdir_ / "ran.marker"));
  EXPECT_FALSE(std::filesystem::exists(workdir_ / ".flowrun"));
  EXPECT_EQ(git({"status", "--porcelain", "--ignored"}, workdir_).out, "");
  EXPECT_TRUE(gitlab_.requests().empty());
  EXPECT_NE(result.out.find("touch ran.marker"), std::string::npos);
  EXPECT_NE(result.out.find(std::string("/discussions/") + kDiscussion + "/notes"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find(kToken), std::string::npos);
}

TEST_F(RunAgainstGitLab, DryRunShowsEverySettingWithItsSource) {
  check_out(flow_yaml({"exec flowrun run agent", "true"}, {"GITLAB_TOKEN_AGENT"}) +
            "flowrun:\n  merge_request: never\n");
  auto env = job_environment(issue_context());
  env["FLOWRUN_PUSH_ATTEMPTS"] = "2";
  env["FLOWRUN_REMOTE_URL"] = gitlab_.url() + "/group/project.git";
  auto result = run(env, {"--dry-run", "--timeout", "900"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto line_of = [&result](const std::string& name) {
    const auto at = result.out.find("\n" + name + " ");
    return at == std::string::npos ? std::string() : result.out.substr(at + 1, result.out.find('\n', at + 1) - at - 1);
  };
  EXPECT_NE(line_of("timeout").find("900  [--timeout]"), std::string::npos) << result.out;
  EXPECT_NE(line_of("push_attempts").find("2  [FLOWRUN_PUSH_ATTEMPTS]"), std::string::npos) << result.out;
  EXPECT_NE(line_of("merge_request").find("never  [" + (workdir_ / ".gitlab/duo/flows/agent.yaml:").string()),
            std::string::npos)
      << result.out;
  EXPECT_NE(line_of("merge_request").find("(flowrun.merge_request)]"), std::string::npos) << result.out;
  EXPECT_NE(line_of("branch").find("workloads/" + std::string(kWorkload) + "  [CI_WORKLOAD_REF]"), std::string::npos)
      << result.out;
  EXPECT_NE(line_of("gitlab_url").find(gitlab_.api_url()), std::string::npos) << result.out;
  EXPECT_NE(line_of("push").find("true  [default]"), std::string::npos) << result.out;
}

TEST_F(RunAgainstGitLab, ABadSettingStopsTheRunBeforeAnythingRuns) {
  check_out(flow_yaml({"exec flowrun run agent", "touch ran.marker"}, {"GITLAB_TOKEN_AGENT"}));
  gitlab_.reset();
  auto env = job_environment(issue_context());
  env["FLOWRUN_MERGE_REQUEST"] = "sometimes";
  env["FLOWRUN_TIMEOUT"] = "soon";
  auto result = run(env);
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.err.find("FLOWRUN_MERGE_REQUEST: merge_request 'sometimes' must be one of auto, always, never"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("FLOWRUN_TIMEOUT: timeout 'soon' must be a whole number of seconds"), std::string::npos)
      << result.err;
  EXPECT_FALSE(std::filesystem::exists(workdir_ / "ran.marker"));
  EXPECT_TRUE(gitlab_.requests().empty());
}

TEST_F(RunAgainstGitLab, AnOlderGitLabsWorkloadBranchIsFastForwarded) {
  check_out(agent_flow());
  // GitLab 18.3 created the branch workloads/<hex> at the job's commit before the job.
  auto head = git({"rev-parse", "HEAD"}, workdir_).out;
  head.pop_back();
  ASSERT_EQ(git({"--git-dir", repo_.string(), "branch", "workloads/0a1b2c3d4e5", head}, dir_.path()).exit_code, 0);
  auto env = job_environment(issue_context());
  env["CI_WORKLOAD_REF"] = "workloads/0a1b2c3d4e5";
  auto result = run(env);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(server_file("workloads/0a1b2c3d4e5", "docs/new/notes.md"), "new file\n");
  auto parent = git({"--git-dir", repo_.string(), "rev-parse", "workloads/0a1b2c3d4e5~1"}, dir_.path()).out;
  EXPECT_EQ(parent, head + "\n");
}

TEST_F(RunAgainstGitLab, AWrongTokenFailsFastAndKeepsTheWork) {
  check_out(agent_flow());
  auto env = job_environment(issue_context());
  env["GITLAB_TOKEN_AGENT"] = "glpat-ThisTokenIsNotKnown000";
  env.erase("CI_JOB_TOKEN");
  auto started = std::chrono::steady_clock::now();
  auto result = run(env);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  EXPECT_EQ(result.exit_code, 7) << result.out << result.err;
  EXPECT_NE(result.out.find("GITLAB_TOKEN_AGENT"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("glpat-ThisTokenIsNotKnown000"), std::string::npos);
  json report = json::parse(read_text(workdir_ / ".flowrun/report.json"));
  EXPECT_EQ(report["git"]["outcome"], "push_failed");
  EXPECT_TRUE(std::filesystem::exists(report["git"]["patch_file"].get<std::string>()));
  EXPECT_FALSE(found_in_tree(workdir_ / ".git", "ThisTokenIsNotKnown"));
}

TEST_F(RunAgainstGitLab, APreReceiveRejectionIsDetectedAndTheNoteCarriesThePatch) {
  check_out(agent_flow());
  install_hook(repo_, "pre-receive", "#!/bin/sh\necho 'GL-HOOK-ERR: pushes are frozen' >&2\nexit 1\n");
  auto result = run(job_environment(issue_context()));
  EXPECT_EQ(result.exit_code, 7) << result.out << result.err;
  auto branches = git({"--git-dir", repo_.string(), "branch", "--list"}, dir_.path()).out;
  EXPECT_EQ(branches.find("workloads/"), std::string::npos) << branches;
  std::string body;
  for (const auto& note : gitlab_.state().notes) {
    if (note.author == "agent-bot") body = note.body;
  }
  ASSERT_FALSE(body.empty());
  EXPECT_NE(body.find("```diff"), std::string::npos) << body;
  EXPECT_NE(body.find("docs/new/notes.md"), std::string::npos) << body;
}

TEST_F(RunAgainstGitLab, ABranchThatMovedOnTheServerGetsTheWorkNextToIt) {
  check_out(agent_flow());
  auto env = job_environment(issue_context());
  env["CI_WORKLOAD_REF"] = "workloads/0a1b2c3d4e6";
  // Someone else pushed to the workload branch while the agent worked.
  seed_repository(repo_, {{"other.txt", "someone else\n"}}, "workloads/0a1b2c3d4e6", "Another change");
  auto result = run(env);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  json report = json::parse(read_text(workdir_ / ".flowrun/report.json"));
  EXPECT_EQ(report["git"]["outcome"], "pushed_to_new_branch");
  const std::string landed = report["git"]["branch"];
  EXPECT_EQ(landed.rfind("workloads/0a1b2c3d4e6-", 0), 0u) << landed;
  EXPECT_EQ(server_file(landed, "docs/new/notes.md"), "new file\n");
  EXPECT_EQ(server_file("workloads/0a1b2c3d4e6", "other.txt"), "someone else\n");
}

TEST_F(RunAgainstGitLab, WhenTheGitServerIsDownTheWorkIsKeptAndReported) {
  check_out(agent_flow());
  auto env = job_environment(issue_context());
  env["FLOWRUN_PUSH_ATTEMPTS"] = "2";
  // Nothing listens on port 9 of the loopback: the connection is refused at once.
  auto result = run(env, {"--remote", "http://127.0.0.1:9/group/project.git"});
  EXPECT_EQ(result.exit_code, 7) << result.out << result.err;
  json report = json::parse(read_text(workdir_ / ".flowrun/report.json"));
  EXPECT_EQ(report["git"]["outcome"], "push_failed");
  EXPECT_EQ(report["git"]["push_attempts"], 2);
  EXPECT_TRUE(std::filesystem::exists(report["git"]["patch_file"].get<std::string>()));
  EXPECT_TRUE(report["report"]["posted"].get<bool>()) << report.dump(2);
}

}  // namespace
}  // namespace flowrun::testing
