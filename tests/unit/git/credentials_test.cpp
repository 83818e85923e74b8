#include "flowrun/git/credentials.h"

#include <gtest/gtest.h>

namespace flowrun::git {
namespace {

std::vector<std::string> sources(const std::vector<Credential>& credentials) {
  std::vector<std::string> names;
  for (const auto& c : credentials) names.push_back(c.source);
  return names;
}

TEST(CredentialsFromEnvironment, FollowsThePrecedence) {
  const Environment env({{"CI_JOB_TOKEN", "job"},
                         {"AI_FLOW_GITLAB_TOKEN", "oauth"},
                         {"GITLAB_TOKEN", "pat"},
                         {"GITLAB_TOKEN_CLAUDE", "claude-pat"},
                         {"GITLAB_TOKEN_OTHER", "not-listed"},
                         {"FLOWRUN_GIT_TOKEN", "explicit"}});
  const auto credentials = credentials_from_environment(env, {"ANTHROPIC_API_KEY", "GITLAB_TOKEN_CLAUDE"});
  EXPECT_EQ(sources(credentials), (std::vector<std::string>{"FLOWRUN_GIT_TOKEN", "GITLAB_TOKEN_CLAUDE", "GITLAB_TOKEN",
                                                            "AI_FLOW_GITLAB_TOKEN", "CI_JOB_TOKEN"}));
  EXPECT_EQ(credentials[0].username, "gitlab-ci-token");
  EXPECT_EQ(credentials[0].token, "explicit");
  EXPECT_EQ(credentials[1].token, "claude-pat");
  EXPECT_EQ(credentials[3].username, "oauth2");
  EXPECT_EQ(credentials[4].username, "gitlab-ci-token");
  EXPECT_EQ(describe_sources(credentials),
            "FLOWRUN_GIT_TOKEN, GITLAB_TOKEN_CLAUDE, GITLAB_TOKEN, AI_FLOW_GITLAB_TOKEN, CI_JOB_TOKEN");
}

TEST(CredentialsFromEnvironment, GitLab19GivesAUserAndAPassword) {
  const Environment env({{"DUO_WORKFLOW_GIT_HTTP_USER", "duo-bot"},
                         {"DUO_WORKFLOW_GIT_HTTP_PASSWORD", "oauth-access"},
                         {"GITLAB_TOKEN", "gitlab-oauth"}});
  const auto credentials = credentials_from_environment(env, {});
  EXPECT_EQ(sources(credentials), (std::vector<std::string>{"DUO_WORKFLOW_GIT_HTTP_PASSWORD", "GITLAB_TOKEN"}));
  EXPECT_EQ(credentials[0].username, "duo-bot");
  EXPECT_EQ(credentials[0].token, "oauth-access");
  const auto without_user = credentials_from_environment(
      Environment(std::map<std::string, std::string>{{"DUO_WORKFLOW_GIT_HTTP_PASSWORD", "oauth-access"}}), {});
  ASSERT_EQ(without_user.size(), 1u);
  EXPECT_EQ(without_user[0].username, "oauth2");
}

TEST(CredentialsFromEnvironment, SkipsEmptyValuesAndDuplicates) {
  const Environment env(
      {{"FLOWRUN_GIT_TOKEN", ""}, {"GITLAB_TOKEN_X", "same"}, {"GITLAB_TOKEN", "same"}, {"CI_JOB_TOKEN", "job"}});
  const auto credentials = credentials_from_environment(env, {"GITLAB_TOKEN_X", "GITLAB_TOKEN_", "GITLAB_TOKEN_Y"});
  EXPECT_EQ(sources(credentials), (std::vector<std::string>{"GITLAB_TOKEN_X", "CI_JOB_TOKEN"}));
}

TEST(CredentialsFromEnvironment, NoneWhenNothingIsSet) {
  EXPECT_TRUE(credentials_from_environment(Environment(), {"GITLAB_TOKEN_X"}).empty());
}

}  // namespace
}  // namespace flowrun::git
