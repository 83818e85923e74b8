#include "flowrun/gitlab/api_token.h"

#include <gtest/gtest.h>

#include "flowrun/core/environment.h"

namespace flowrun::gitlab {
namespace {

using Vars = std::map<std::string, std::string>;

std::vector<std::string> sources(const std::vector<ApiToken>& tokens) {
  std::vector<std::string> names;
  for (const auto& token : tokens) names.push_back(token.source);
  return names;
}

TEST(ApiTokens, PrecedenceIsExplicitThenIntegrationThenGenericThenInjected) {
  const Environment env(Vars{{"AI_FLOW_GITLAB_TOKEN", "oauth-value"},
                             {"GITLAB_TOKEN", "generic-value"},
                             {"GITLAB_TOKEN_CLAUDE", "claude-value"},
                             {"GITLAB_TOKEN_CODEX", "codex-value"},
                             {"FLOWRUN_GITLAB_TOKEN", "explicit-value"},
                             {"CI_JOB_TOKEN", "job-value"}});
  const auto tokens =
      api_tokens_from_environment(env, {"ANTHROPIC_API_KEY", "GITLAB_TOKEN_CODEX", "GITLAB_TOKEN_CLAUDE"});
  EXPECT_EQ(sources(tokens), (std::vector<std::string>{"FLOWRUN_GITLAB_TOKEN", "GITLAB_TOKEN_CODEX",
                                                       "GITLAB_TOKEN_CLAUDE", "GITLAB_TOKEN", "AI_FLOW_GITLAB_TOKEN"}));
  EXPECT_EQ(tokens[0].kind, ApiToken::Kind::private_token);
  EXPECT_EQ(tokens[1].value, "codex-value");
  EXPECT_EQ(tokens[4].kind, ApiToken::Kind::bearer);
  EXPECT_EQ(tokens[4].value, "oauth-value");
}

TEST(ApiTokens, JobTokenIsNeverUsed) {
  const Environment env(Vars{{"CI_JOB_TOKEN", "job-value"}});
  EXPECT_TRUE(api_tokens_from_environment(env, {"CI_JOB_TOKEN"}).empty());
}

TEST(ApiTokens, IntegrationTokensNotListedByTheFlowAreIgnored) {
  const Environment env(Vars{{"GITLAB_TOKEN_OTHER", "other"}, {"GITLAB_TOKEN", "generic"}});
  EXPECT_EQ(sources(api_tokens_from_environment(env, {})), std::vector<std::string>{"GITLAB_TOKEN"});
}

TEST(ApiTokens, EmptyMissingAndUnsendableValuesAreSkipped) {
  const Environment env(Vars{{"FLOWRUN_GITLAB_TOKEN", ""},
                             {"GITLAB_TOKEN_A", "two words"},
                             {"GITLAB_TOKEN_B", "line\nbreak"},
                             {"GITLAB_TOKEN", "  padded-value\n"}});
  const auto tokens = api_tokens_from_environment(env, {"GITLAB_TOKEN_A", "GITLAB_TOKEN_B", "GITLAB_TOKEN_MISSING"});
  ASSERT_EQ(sources(tokens), std::vector<std::string>{"GITLAB_TOKEN"});
  EXPECT_EQ(tokens[0].value, "padded-value");
}

TEST(ApiTokens, TheSameValueUnderTwoNamesIsTriedOnce) {
  const Environment env(
      Vars{{"GITLAB_TOKEN_CLAUDE", "same"}, {"GITLAB_TOKEN", "same"}, {"AI_FLOW_GITLAB_TOKEN", "other"}});
  EXPECT_EQ(sources(api_tokens_from_environment(env, {"GITLAB_TOKEN_CLAUDE", "GITLAB_TOKEN_CLAUDE"})),
            (std::vector<std::string>{"GITLAB_TOKEN_CLAUDE", "AI_FLOW_GITLAB_TOKEN"}));
}

TEST(ApiTokens, IntegrationTokenNamesForCommandsWithoutAFlow) {
  const Environment env(Vars{{"GITLAB_TOKEN_B", "b"},
                             {"GITLAB_TOKEN_A", "a"},
                             {"GITLAB_TOKEN_EMPTY", ""},
                             {"GITLAB_TOKEN", "generic"},
                             {"GITLAB_TOKEN_", "bare"}});
  EXPECT_EQ(integration_token_names(env), (std::vector<std::string>{"GITLAB_TOKEN_A", "GITLAB_TOKEN_B"}));
}

}  // namespace
}  // namespace flowrun::gitlab
