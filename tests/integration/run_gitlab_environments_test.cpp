// One flow run end to end in the job environment of each GitLab generation, over plain http: 18.3 (a real
// workloads/<hex> branch, CI_SERVER_URL, CI_API_V4_URL), later 18.x (refs/workloads/<hex>), 19.x (which filters the
// server and commit variables out and gives GITLAB_BASE_URL, CI_PROJECT_URL, DUO_WORKFLOW_GIT_* and a bare host
// name instead) and 19.x on an instance under a relative URL root, told by GITLAB_BASE_URL or by CI_PROJECT_URL
// alone. Each time the branch arrives, the merge request goes to the default branch, the note lands in the thread
// that asked, every link written works, and the commit names the service account as author and the person who
// asked as committer.
#include <string>

#include "attack_fixture.h"
#include "followed_links.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;

constexpr const char* kWorkload = "0a1b2c3d4e5";
constexpr const char* kPipelineId = "3003";

// The last one: an instance under a URL root whose job says where it is only by CI_PROJECT_URL (and a bare host).
enum class Generation { gitlab_18_3, gitlab_18, gitlab_19, gitlab_19_under_url_root, gitlab_19_project_url_only };

std::string name_of(Generation generation) {
  switch (generation) {
    case Generation::gitlab_18_3:
      return "GitLab18_3";
    case Generation::gitlab_18:
      return "GitLab18";
    case Generation::gitlab_19:
      return "GitLab19";
    case Generation::gitlab_19_under_url_root:
      return "GitLab19UnderUrlRoot";
    case Generation::gitlab_19_project_url_only:
      return "GitLab19UnderUrlRootWithProjectUrlOnly";
  }
  return "";
}

FakeGitLabOptions server_options(Generation generation) {
  FakeGitLabOptions options;
  if (generation == Generation::gitlab_19_under_url_root || generation == Generation::gitlab_19_project_url_only) {
    options.url_root = "/gitlab";
  }
  return options;
}

class GenerationJob : public AttackJob, public ::testing::WithParamInterface<Generation> {
 protected:
  GenerationJob() : AttackJob(server_options(GetParam())) {}

  bool is_19() const { return GetParam() != Generation::gitlab_18_3 && GetParam() != Generation::gitlab_18; }

  // The job's variables as this generation sets them. The job ran on the workload ref, so no variable names a
  // branch to target: the merge request must go to the project's default branch.
  std::map<std::string, std::string> generation_environment() {
    auto env = job_environment();
    env.erase("CI_COMMIT_REF_NAME");
    env["CI_DEFAULT_BRANCH"] = "main";
    env["CI_PIPELINE_ID"] = kPipelineId;
    env["CI_PIPELINE_URL"] = gitlab_.url() + "/group/project/-/pipelines/" + kPipelineId;
    if (GetParam() == Generation::gitlab_18_3) env["CI_WORKLOAD_REF"] = std::string("workloads/") + kWorkload;
    if (!is_19()) {
      env["GITLAB_USER_LOGIN"] = "duo-developer";  // who asked, in the thread seeded by AttackJob
      return env;
    }

    for (const char* name : {"CI_SERVER_URL", "CI_SERVER_HOST", "CI_API_V4_URL", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL",
                             "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"}) {
      env.erase(name);
    }
    env["GITLAB_BASE_URL"] = gitlab_.url();
    env["DUO_WORKFLOW_GIT_HTTP_BASE_URL"] = gitlab_.url();
    env["GITLAB_PROJECT_PATH"] = "group/project";
    env["DUO_WORKFLOW_PROJECT_ID"] = "42";
    env["CI_PROJECT_URL"] = gitlab_.url() + "/group/project";
    env["CI_REPOSITORY_URL"] = "http://gitlab-ci-token:" + env["CI_JOB_TOKEN"] + "@" + gitlab_.host() +
                               gitlab_.url().substr(gitlab_.origin().size()) + "/group/project.git";
    env["DUO_WORKFLOW_GIT_AUTHOR_USER_NAME"] = "agent-bot";
    env["DUO_WORKFLOW_GIT_AUTHOR_EMAIL"] = "agent-bot@noreply.example.com";
    env["DUO_WORKFLOW_GIT_USER_NAME"] = "Requester Person";
    env["DUO_WORKFLOW_GIT_USER_EMAIL"] = "requester@example.com";
    env["AI_FLOW_GITLAB_HOSTNAME"] = gitlab_.host();  // a bare host: neither http nor the URL root
    if (GetParam() == Generation::gitlab_19_project_url_only) {
      env.erase("GITLAB_BASE_URL");
      env.erase("DUO_WORKFLOW_GIT_HTTP_BASE_URL");
    }
    return env;
  }

  std::string expected_people() const {
    return is_19() ? "agent-bot <agent-bot@noreply.example.com>|Requester Person <requester@example.com>\n"
                   : "agent-bot <agent-bot@example.com>|Requester <requester@example.com>\n";
  }
};

TEST_P(GenerationJob, TheBranchTheMergeRequestAndTheNoteArriveWithWorkingLinks) {
  check_out(flow_yaml({"exec flowrun run agent", "echo 'changed by the agent' >> README.md"}, {"GITLAB_TOKEN_AGENT"}));
  const std::string branch = std::string("workloads/") + kWorkload;
  const std::string checked_out = git({"rev-parse", "HEAD"}, workdir_).out;
  if (GetParam() == Generation::gitlab_18_3) {
    // GitLab 18.3 created the workload branch at the job's commit before the job started.
    ASSERT_EQ(git({"--git-dir", repo_.string(), "branch", branch, checked_out.substr(0, 40)}, dir_.path()).exit_code,
              0);
  }

  const auto env = generation_environment();
  auto result = run(env);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(report()["git"]["outcome"], "pushed") << report().dump(2);

  // The branch is on the server, on top of what the job checked out, by the right people.
  EXPECT_NE(server_branches(repo_).find("refs/heads/" + branch + "\n"), std::string::npos) << server_branches(repo_);
  EXPECT_EQ(server(repo_, {"rev-parse", branch + "~1"}), checked_out);
  EXPECT_EQ(server(repo_, {"log", "-1", "--format=%an <%ae>|%cn <%ce>", branch}), expected_people());

  // The merge request goes from it to the default branch.
  auto state = gitlab_.state();
  ASSERT_EQ(state.merge_requests.size(), 1u) << state.json;
  const RecordedMergeRequest& merge_request = state.merge_requests[0];
  EXPECT_EQ(merge_request.source_branch, branch);
  EXPECT_EQ(merge_request.target_branch, "main");
  EXPECT_EQ(merge_request.author, "agent-bot");

  // The note is a reply in the discussion that asked, on issue 7.
  const RecordedNote* reply = nullptr;
  for (const auto& note : state.notes) {
    if (note.author == "agent-bot") {
      EXPECT_EQ(reply, nullptr) << "more than one note: " << state.json;
      reply = &note;
    }
  }
  ASSERT_NE(reply, nullptr) << state.json;
  EXPECT_EQ(reply->discussion_id, kAttackDiscussion);
  EXPECT_EQ(reply->noteable_type, "Issue");
  EXPECT_EQ(reply->noteable_iid, 7);
  EXPECT_EQ(reply->type, "DiscussionNote");

  // Every link in what flowrun wrote is a page of this instance that exists.
  const std::string job_url = gitlab_.url() + "/group/project/-/jobs/2001";
  const std::string pipeline_url = gitlab_.url() + "/group/project/-/pipelines/" + kPipelineId;
  const std::string commit_message = server(repo_, {"log", "-1", "--format=%B", branch});
  EXPECT_NE(reply->body.find(merge_request.web_url), std::string::npos) << reply->body;
  EXPECT_NE(reply->body.find(job_url), std::string::npos) << reply->body;
  EXPECT_NE(reply->body.find(pipeline_url), std::string::npos) << reply->body;
  EXPECT_NE(merge_request.description.find(job_url), std::string::npos) << merge_request.description;
  if (!is_19()) {  // 19.x filters GITLAB_USER_LOGIN out: no one to link
    EXPECT_NE(merge_request.description.find("(" + gitlab_.url() + "/duo-developer)"), std::string::npos)
        << merge_request.description;
  }
  EXPECT_NE(commit_message.find(job_url), std::string::npos) << commit_message;
  EXPECT_NE(commit_message.find(pipeline_url), std::string::npos) << commit_message;
  expect_links_work(gitlab_, reply->body, "the note");
  expect_links_work(gitlab_, merge_request.description, "the merge request's description");
  expect_links_work(gitlab_, commit_message, "the commit message");
  // And the links the report gives people: the note, on the issue's page, and the merge request.
  const auto reported = report()["report"];
  EXPECT_EQ(reported["note_url"], gitlab_.url() + "/group/project/-/issues/7#note_" + std::to_string(reply->id));
  EXPECT_EQ(reported["merge_request_url"], merge_request.web_url);
  expect_links_work(gitlab_, reported.dump(), "the report");
  EXPECT_EQ(http_request({.url = merge_request.web_url}).status, 200) << merge_request.web_url;
  EXPECT_EQ(http_request({.url = gitlab_.url() + "/group/project/-/tree/" + branch}).status, 200);

  // Neither the service account's token nor the job token (in 19.x also inside CI_REPOSITORY_URL) was left anywhere.
  expect_nowhere(result, {kAttackToken, env.at("CI_JOB_TOKEN")});

  // Under a URL root, nothing went around it (the server answers 404 outside the root).
  for (const auto& request : gitlab_.requests()) {
    if (request.kind == "web") continue;  // the links followed above
    EXPECT_EQ(request.path.rfind(gitlab_.url().substr(gitlab_.origin().size()) + "/", 0), 0u)
        << request.method << " " << request.path;
    EXPECT_NE(request.status, 404) << request.method << " " << request.path;
  }
}

INSTANTIATE_TEST_SUITE_P(EachGeneration, GenerationJob,
                         ::testing::Values(Generation::gitlab_18_3, Generation::gitlab_18, Generation::gitlab_19,
                                           Generation::gitlab_19_under_url_root,
                                           Generation::gitlab_19_project_url_only),
                         [](const ::testing::TestParamInfo<Generation>& info) { return name_of(info.param); });

}  // namespace
}  // namespace flowrun::testing
