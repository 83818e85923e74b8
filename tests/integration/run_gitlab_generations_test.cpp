// The job environment of each GitLab generation gets a push and a note: 18.x (CI_SERVER_URL, CI_API_V4_URL,
// GIT_AUTHOR_*), and 19.x, which filters those out of flow jobs and gives GITLAB_BASE_URL, CI_PROJECT_URL and
// DUO_WORKFLOW_GIT_* instead — over plain http, where a bare host name would have meant https.
#include "attack_fixture.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;

class GitLab19Job : public AttackJob {
 protected:
  std::map<std::string, std::string> filtered_environment() {
    auto env = job_environment();
    for (const char* name : {"CI_SERVER_URL", "CI_API_V4_URL", "CI_COMMIT_REF_NAME", "GIT_AUTHOR_NAME",
                             "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "CI_PROJECT_PATH"}) {
      env.erase(name);
    }
    env["GITLAB_PROJECT_PATH"] = "group/project";
    env["CI_PROJECT_URL"] = gitlab_.url() + "/group/project";
    env["CI_DEFAULT_BRANCH"] = "main";
    env["DUO_WORKFLOW_GIT_AUTHOR_USER_NAME"] = "agent-bot";
    env["DUO_WORKFLOW_GIT_AUTHOR_EMAIL"] = "agent-bot@noreply.example.com";
    env["DUO_WORKFLOW_GIT_USER_NAME"] = "Requester Person";
    env["DUO_WORKFLOW_GIT_USER_EMAIL"] = "requester@example.com";
    return env;
  }

  void expect_pushed_and_answered(const ProcessResult& result) {
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    json r = report();
    EXPECT_EQ(r["git"]["outcome"], "pushed") << r.dump(2);
    EXPECT_NE(server_branches(repo_).find("refs/heads/workloads/0a1b2c3d4e5"), std::string::npos);
    const std::string people = server(repo_, {"log", "-1", "--format=%an <%ae>|%cn <%ce>", "workloads/0a1b2c3d4e5"});
    EXPECT_EQ(people, "agent-bot <agent-bot@noreply.example.com>|Requester Person <requester@example.com>\n");
    const std::string message = server(repo_, {"log", "-1", "--format=%B", "workloads/0a1b2c3d4e5"});
    EXPECT_NE(message.find("\nCo-authored-by: Requester Person <requester@example.com>\n"), std::string::npos)
        << message;
    ASSERT_FALSE(note_bodies().empty());
    EXPECT_NE(note_bodies().back().find("Pushed"), std::string::npos) << note_bodies().back();
  }
};

TEST_F(GitLab19Job, TheBaseUrlGivesThePushAndTheNoteOverPlainHttp) {
  check_out(flow_yaml({"exec flowrun run agent", "echo 'from 19' >> README.md"}, {"GITLAB_TOKEN_AGENT"}));
  auto env = filtered_environment();
  env["GITLAB_BASE_URL"] = gitlab_.url();
  expect_pushed_and_answered(run(env));
}

TEST_F(GitLab19Job, TheProjectUrlAloneSaysWhereGitLabIs) {
  check_out(flow_yaml({"exec flowrun run agent", "echo 'from 19' >> README.md"}, {"GITLAB_TOKEN_AGENT"}));
  expect_pushed_and_answered(run(filtered_environment()));
}

}  // namespace
}  // namespace flowrun::testing
