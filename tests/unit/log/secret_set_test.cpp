#include "flowrun/log/secret_set.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "flowrun/core/text.h"
#include "flowrun/log/masker.h"

namespace flowrun::log {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(LooksSecretName, MatchesSecretWordsInAnyCase) {
  for (const char* name : {"GITLAB_TOKEN_CLAUDE", "ANTHROPIC_API_KEY", "aws_secret_access_key", "DB_PASSWORD",
                           "FTP_PASSWD", "GOOGLE_CREDENTIALS", "SSH_PRIVATE_KEY", "AWS_ACCESS_KEY_ID", "token"}) {
    EXPECT_TRUE(looks_secret_name(name)) << name;
  }
  for (const char* name :
       {"GITLAB_HOST", "CI_PROJECT_PATH", "AI_FLOW_CONTEXT", "HOME", "SSH_PUBLIC_KEY", "NEXT_PUBLIC_API_KEY"}) {
    EXPECT_FALSE(looks_secret_name(name)) << name;
  }
}

TEST(SecretForms, AddsLinesAndEncodedForms) {
  const auto forms = secret_forms("top secret/value\nsecond-line\nshort\n");
  EXPECT_TRUE(contains(forms, "top secret/value\nsecond-line\nshort\n"));
  EXPECT_TRUE(contains(forms, "top secret/value\nsecond-line\nshort"));  // trimmed
  EXPECT_TRUE(contains(forms, "top secret/value"));
  EXPECT_TRUE(contains(forms, "second-line"));
  EXPECT_FALSE(contains(forms, "short"));
  EXPECT_TRUE(contains(forms, "top%20secret%2Fvalue"));
  EXPECT_TRUE(contains(forms, "top secret/value\\nsecond-line\\nshort\\n"));
  EXPECT_TRUE(contains(forms, text::url_encode("top secret/value\nsecond-line\nshort\n")));
}

TEST(SecretForms, JsonEscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(json_escape("a\"b\\c\td\x01"), "a\\\"b\\\\c\\td\\u0001");
  EXPECT_EQ(json_escape("plain"), "plain");
}

TEST(CollectSecrets, CollectsFlowVariablesTokensAndInjectedCredentials) {
  Environment env({
      {"ANTHROPIC_API_KEY", "sk-ant-api03-0123456789abcdef"},
      {"GITLAB_TOKEN_CLAUDE", "glpat-0123456789abcdefghij"},
      {"GITLAB_HOST", "gitlab.example.com"},
      {"MY_LISTED_THING", "listed-by-the-flow"},
      {"CI_JOB_TOKEN", "job-token-value-123"},
      {"CI_REGISTRY_PASSWORD", "registry-password-1"},
      {"CI_DEPENDENCY_PROXY_PASSWORD", "proxy-password-12"},
      {"CI_REPOSITORY_URL", "https://gitlab-ci-token:url-token-value-9@gitlab.example.com/g/p.git"},
      {"CI_SERVER_URL", "https://gitlab.example.com"},
      {"CI_PROJECT_PATH", "group/project"},
      {"AI_FLOW_GITLAB_TOKEN", "oauth-token-value-1"},
      {"AI_FLOW_AI_GATEWAY_TOKEN", "gateway-token-value"},
      {"AI_FLOW_AI_GATEWAY_HEADERS", "X-Gitlab-Instance-Id: instance-id-value\nX-Gitlab-Realm: saas"},
      {"AI_FLOW_CONTEXT", "{\"issue\": \"a long public description\"}"},
      {"AI_FLOW_INPUT", "please fix the bug in main.cpp"},
      {"AI_FLOW_EVENT", "mention"},
      {"HOME", "/home/someone/directory"},
  });
  const SecretSet set = collect_secrets(env, {"ANTHROPIC_API_KEY", "GITLAB_TOKEN_CLAUDE", "GITLAB_HOST",
                                              "MY_LISTED_THING", "AI_FLOW_CONTEXT", "NOT_SET_ANYWHERE"});
  for (const char* secret :
       {"sk-ant-api03-0123456789abcdef", "glpat-0123456789abcdefghij", "gitlab.example.com", "listed-by-the-flow",
        "job-token-value-123", "registry-password-1", "proxy-password-12", "url-token-value-9", "oauth-token-value-1",
        "gateway-token-value", "instance-id-value", "X-Gitlab-Instance-Id: instance-id-value"}) {
    EXPECT_TRUE(contains(set.values, secret)) << secret;
  }
  for (const char* not_secret :
       {"https://gitlab.example.com", "group/project", "mention", "please fix the bug in main.cpp",
        "/home/someone/directory", "https://gitlab-ci-token:url-token-value-9@gitlab.example.com/g/p.git"}) {
    EXPECT_FALSE(contains(set.values, not_secret)) << not_secret;
  }
  EXPECT_FALSE(std::any_of(set.values.begin(), set.values.end(), [](const std::string& v) {
    return v.find("a long public description") != std::string::npos;
  }));
  EXPECT_TRUE(contains(set.masked_names, "GITLAB_HOST"));
  EXPECT_TRUE(contains(set.masked_names, "CI_REPOSITORY_URL"));
  EXPECT_TRUE(set.short_names.empty());
}

TEST(CollectSecrets, ReportsShortValuesByNameAndDoesNotMaskThem) {
  Environment env(
      {{"SHORT_TOKEN", "abc1234"}, {"LISTED", " 12345 \n"}, {"EMPTY_SECRET", ""}, {"LONG_KEY", "12345678"}});
  const SecretSet set = collect_secrets(env, {"LISTED"});
  EXPECT_EQ(set.short_names, (std::vector<std::string>{"LISTED", "SHORT_TOKEN"}));
  EXPECT_EQ(set.masked_names, (std::vector<std::string>{"LONG_KEY"}));
  EXPECT_EQ(set.values, (std::vector<std::string>{"12345678"}));
  EXPECT_EQ(Masker(set.values).mask("abc1234 12345 12345678"), "abc1234 12345 [MASKED]");
}

TEST(CollectSecrets, TakesPasswordsOutOfUrlsButNotOutOfTheIssueText) {
  Environment env({{"DATABASE_URL", "postgres://app:p%40ss-word-123@db:5432/app"},
                   {"AI_FLOW_CONTEXT", "see https://someone:not-our-secret@example.com/x"}});
  const SecretSet set = collect_secrets(env, {});
  EXPECT_TRUE(contains(set.values, "p%40ss-word-123"));
  EXPECT_TRUE(contains(set.values, "p@ss-word-123"));
  EXPECT_FALSE(contains(set.values, "not-our-secret"));
  EXPECT_EQ(set.masked_names, (std::vector<std::string>{"DATABASE_URL"}));
}

TEST(CollectSecrets, DeduplicatesLongestFirst) {
  Environment env({{"A_TOKEN", "same-value-1234"}, {"B_TOKEN", "same-value-1234"}, {"C_TOKEN", "a much longer value"}});
  const SecretSet set = collect_secrets(env, {});
  EXPECT_EQ(set.values.front(), "a%20much%20longer%20value");
  EXPECT_EQ(std::count(set.values.begin(), set.values.end(), "same-value-1234"), 1);
  EXPECT_TRUE(std::is_sorted(set.values.begin(), set.values.end(),
                             [](const std::string& a, const std::string& b) { return a.size() > b.size(); }));
}

}  // namespace
}  // namespace flowrun::log
