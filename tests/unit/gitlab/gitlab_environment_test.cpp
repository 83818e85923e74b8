#include "flowrun/core/gitlab_environment.h"

#include <gtest/gtest.h>

namespace flowrun::gitlab_environment {
namespace {

Environment env_of(std::map<std::string, std::string> values) { return Environment(std::move(values)); }

TEST(GitLabEnvironment, ServerUrlOfEachGeneration) {
  // 18.3 and later 18.x.
  EXPECT_EQ(server_url(env_of(
                {{"CI_SERVER_URL", "https://gitlab.example.com/"}, {"AI_FLOW_GITLAB_HOSTNAME", "gitlab.example.com"}})),
            "https://gitlab.example.com");
  // 19.x: CI_SERVER_URL filtered out; the base URL says scheme and relative root.
  EXPECT_EQ(server_url(env_of(
                {{"GITLAB_BASE_URL", "http://10.0.0.5:8080/gitlab"}, {"AI_FLOW_GITLAB_HOSTNAME", "10.0.0.5:8080"}})),
            "http://10.0.0.5:8080/gitlab");
  EXPECT_EQ(server_url(env_of({{"DUO_WORKFLOW_GIT_HTTP_BASE_URL", "http://h/"}})), "http://h");
  // Only CI_PROJECT_URL says the scheme: the project path comes off its end.
  EXPECT_EQ(server_url(env_of({{"CI_PROJECT_URL", "http://h:81/root/group/project"},
                               {"GITLAB_PROJECT_PATH", "group/project"},
                               {"AI_FLOW_GITLAB_HOSTNAME", "h:81"}})),
            "http://h:81/root");
  // A bare host name is all there is: https.
  EXPECT_EQ(server_url(env_of({{"AI_FLOW_GITLAB_HOSTNAME", "gitlab.example.com:8443"}})),
            "https://gitlab.example.com:8443");
  EXPECT_FALSE(server_url(env_of({})));
}

TEST(GitLabEnvironment, ProjectPathAndIdentityVariables) {
  EXPECT_EQ(project_path(env_of({{"GITLAB_PROJECT_PATH", "/g/p/"}})), "g/p");
  EXPECT_EQ(project_path(env_of({{"CI_PROJECT_PATH", "a/b"}, {"AI_FLOW_PROJECT_PATH", "c/d"}})), "a/b");
  EXPECT_EQ(author_email_variables().back(), "DUO_WORKFLOW_GIT_AUTHOR_EMAIL");
  EXPECT_EQ(committer_name_variables().back(), "DUO_WORKFLOW_GIT_USER_NAME");
}

}  // namespace
}  // namespace flowrun::gitlab_environment
