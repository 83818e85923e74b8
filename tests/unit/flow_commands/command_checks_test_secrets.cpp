// literal-secret, secret-echo, secret-in-url. No message ever quotes a secret.
#include <gtest/gtest.h>

#include "flowrun/flow/secret_checks.h"
#include "test_flows.h"

namespace flowrun::flow {
namespace {

using testing::check;
using testing::describe;
using testing::flow_from_yaml;
using testing::flow_of;
using testing::places;
using testing::with_rule;

const std::string kFakePat = "glpat-" + std::string("Ab3dEf6hIj9lMn2pQr5t");  // shaped like a token, not one

TEST(SecretNames, ByNameAndByRole) {
  for (const char* name :
       {"GITLAB_TOKEN", "GITLAB_TOKEN_CLAUDE", "ANTHROPIC_API_KEY", "AWS_SECRET_ACCESS_KEY", "GOOGLE_CREDENTIALS",
        "db_password", "CI_JOB_TOKEN", "AI_FLOW_GITLAB_TOKEN", "AI_FLOW_AI_GATEWAY_TOKEN", "APIKEY"}) {
    EXPECT_TRUE(is_secret_name(name)) << name;
  }
  // These name, locate or describe a secret rather than hold it.
  for (const char* name : {"AWS_SECRET_NAME", "AWS_ACCESS_KEY_ID", "SSH_KEY_FILE", "TOKEN_URL", "GITLAB_HOST",
                           "MCP_CONFIG", "AWS_REGION_NAME", "HOME"}) {
    EXPECT_FALSE(is_secret_name(name)) << name;
  }
}

TEST(LiteralSecret, NamesTheKindNeverTheToken) {
  const Flow flow = flow_from_yaml("commands:\n  - |\n    echo start\n    curl -H \"PRIVATE-TOKEN: " + kFakePat +
                                   "\" https://gitlab.example.com/api/v4/user\n");
  const auto all = check(flow);
  const auto found = with_rule(all, "literal-secret");
  ASSERT_EQ(found.size(), 1u) << describe(all);
  EXPECT_EQ(places(found), (std::vector<std::string>{"4:29"}));
  EXPECT_NE(found[0].message.find("GitLab personal access token"), std::string::npos);
  EXPECT_NE(found[0].message.find("masked CI/CD variable"), std::string::npos);
  EXPECT_EQ(describe(all).find(kFakePat), std::string::npos);
  EXPECT_EQ(describe(all).find("Ab3dEf6hIj9l"), std::string::npos);
}

TEST(LiteralSecret, ShortOrVariableValuesAreNotTokens) {
  const Flow flow = flow_of({"echo glpat-short", "curl -H \"PRIVATE-TOKEN: $TOKEN_V\" x"}, {"TOKEN_V"});
  EXPECT_TRUE(with_rule(check(flow), "literal-secret").empty());
}

TEST(SecretEcho, PrintingASecretIntoTheLog) {
  const Flow flow = flow_from_yaml("commands:\n  - echo \"token is $GITLAB_TOKEN\"\nvariables:\n  - GITLAB_TOKEN\n");
  const auto found = with_rule(check(flow), "secret-echo");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(places(found), (std::vector<std::string>{"2:20"}));
  EXPECT_EQ(found[0].severity, Severity::warning);
  EXPECT_NE(found[0].message.find("`$GITLAB_TOKEN`"), std::string::npos);
}

TEST(SecretEcho, EveryWayOfPrinting) {
  const Flow flow = flow_of(
      {"printf '%s\\n' \"$API_KEY\"", "echo $CI_JOB_TOKEN >&2", "cat <<EOF\n$DB_PASSWORD\nEOF",
       "cat <<< \"$MY_SECRET\"", "echo $AI_FLOW_GITLAB_TOKEN | tee copy.txt", "sudo echo $OTHER_TOKEN > /dev/stderr"},
      {"API_KEY", "DB_PASSWORD", "MY_SECRET", "OTHER_TOKEN"});
  const auto found = with_rule(check(flow), "secret-echo");
  EXPECT_EQ(found.size(), 6u) << describe(found);
}

TEST(SecretEcho, WritingToFilesPipesAndVariablesIsFine) {
  const Flow flow =
      flow_of({"echo $GOOGLE_CREDENTIALS > /root/credentials.json",
               "echo \"$DOCKER_PASSWORD\" | docker login --password-stdin", "echo $API_KEY >> ~/.config/key",
               "X=$(echo $API_KEY | base64)", "printf -v K '%s' $API_KEY", "cat > f <<EOF\n$API_KEY\nEOF",
               "cat <<'EOF'\n$API_KEY\nEOF", "echo \"Success to retrieve secret $AWS_SECRET_NAME\"",
               "echo $GITLAB_HOST", "echo '$API_KEY'", "echo $API_KEY &> key.txt"},
              {"GOOGLE_CREDENTIALS", "DOCKER_PASSWORD", "API_KEY", "AWS_SECRET_NAME", "GITLAB_HOST"});
  EXPECT_TRUE(with_rule(check(flow), "secret-echo").empty()) << describe(with_rule(check(flow), "secret-echo"));
}

TEST(SecretEcho, CopiesOfASecretAreSecretToo) {
  const Flow flow = flow_of({"export GL=$GITLAB_TOKEN_CLAUDE", "echo $GL"}, {"GITLAB_TOKEN_CLAUDE"});
  EXPECT_EQ(with_rule(check(flow), "secret-echo").size(), 1u);
}

TEST(SecretInUrl, UserinfoAndQuery) {
  const Flow flow = flow_from_yaml(
      "commands:\n"
      "  - git push https://gitlab-ci-token:$GITLAB_TOKEN@$GITLAB_HOST/g/p.git HEAD\n"
      "  - git clone \"https://$DEPLOY_TOKEN@example.com/g/p.git\"\n"
      "  - curl \"https://example.com/api?private_token=$PAT_VALUE&x=1\"\n"
      "  - git clone https://oauth2:$PLAIN@example.com/g/p.git\n"
      "variables:\n  - GITLAB_TOKEN\n  - GITLAB_HOST\n  - DEPLOY_TOKEN\n  - PAT_VALUE\n  - PLAIN\n");
  const auto found = with_rule(check(flow), "secret-in-url");
  ASSERT_EQ(found.size(), 4u) << describe(found);
  EXPECT_EQ(places(found), (std::vector<std::string>{"2:38", "3:24", "4:49", "5:30"}));
  EXPECT_NE(found[0].message.find("logs, process lists and .git/config"), std::string::npos);
}

TEST(SecretInUrl, HostsPathsAndPlainParametersAreFine) {
  const Flow flow =
      flow_of({"curl https://$GITLAB_HOST/api/v4/projects/$PROJECT_ID?page=$PAGE",
               "git clone https://$USER_NAME@example.com/g/p.git", "curl -H \"PRIVATE-TOKEN: $TOKEN\" https://x/"},
              {"GITLAB_HOST", "PROJECT_ID", "PAGE", "USER_NAME", "TOKEN"});
  EXPECT_TRUE(with_rule(check(flow), "secret-in-url").empty()) << describe(with_rule(check(flow), "secret-in-url"));
}

TEST(SecretMessages, TokensQuotedBackByACheckerAreMasked) {
  EXPECT_EQ(without_literal_tokens("unexpected token `" + kFakePat + "'"), "unexpected token `[MASKED]'");
  EXPECT_EQ(without_literal_tokens("nothing here"), "nothing here");
}

}  // namespace
}  // namespace flowrun::flow
