#include "flowrun/log/secret_set.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "flowrun/core/secret_policy.h"
#include "flowrun/core/text.h"
#include "flowrun/log/masker.h"

namespace flowrun::log {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(SecretPolicy, NamesThatAreSecret) {
  for (const char* name : {"GITLAB_TOKEN_CLAUDE", "ANTHROPIC_API_KEY", "aws_secret_access_key", "DB_PASSWORD",
                           "FTP_PASSWD", "GOOGLE_CREDENTIALS", "SSH_PRIVATE_KEY", "AWS_ACCESS_KEY_ID", "token",
                           "BASIC_AUTH", "AUTH_HEADER", "GITLAB_PAT"}) {
    EXPECT_TRUE(secret_policy::is_secret_name(name)) << name;
  }
  for (const char* name : {"GITLAB_HOST", "CI_PROJECT_PATH", "AI_FLOW_CONTEXT", "HOME", "SSH_PUBLIC_KEY",
                           "NEXT_PUBLIC_API_KEY", "GIT_AUTHOR_NAME", "PATCH_LEVEL"}) {
    EXPECT_FALSE(secret_policy::is_secret_name(name)) << name;
  }
}

TEST(SecretPolicy, ValuesThatLookLikeCredentials) {
  for (const char* value : {"glpat-0123456789abcdefghij", "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv",
                            "f3a9c2e1b7d84e6fa0c1d2e3f4a5b6c7", "AKIAIOSFODNN7EXAMPLE", "q8Zr2LpX9mT4vB7nK1cW5yE3"}) {
    EXPECT_TRUE(secret_policy::value_looks_secret(value)) << value;
  }
  for (const char* value : {"gitlab.example.com", "https://gitlab.example.com/group/project", "us-east-1",
                            "claude-sonnet-4-5-20250929", "internationalization", "1234567890", "eu-central-1",
                            "123e4567-e89b-12d3-a456-426614174000", "gpt-5.1-codex-max"}) {
    EXPECT_FALSE(secret_policy::value_looks_secret(value)) << value;
  }
}

TEST(SecretPolicy, AJsonCredentialGivesItsSecretFields) {
  const std::string key =
      "{\"type\": \"service_account\", \"project_id\": \"my-project\", \"private_key_id\": "
      "\"abc123def456\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq\\n"
      "-----END PRIVATE KEY-----\\n\", \"client_email\": \"bot@my-project.iam.example.com\", "
      "\"client_secret\": \"very-secret-value\"}";
  const auto secrets = secret_policy::json_credential_secrets(key);
  EXPECT_TRUE(contains(secrets, "abc123def456"));
  EXPECT_TRUE(contains(secrets, "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\n-----END PRIVATE KEY-----\n"));
  EXPECT_TRUE(contains(secrets, "very-secret-value"));
  EXPECT_FALSE(contains(secrets, "my-project"));
  EXPECT_FALSE(contains(secrets, "bot@my-project.iam.example.com"));
  EXPECT_TRUE(secret_policy::json_credential_secrets("not json {").empty());
  EXPECT_TRUE(secret_policy::json_credential_secrets("[1, 2]").empty());
}

TEST(CollectSecrets, ListedPublicValuesStayReadableAndTheFlowCanForceEitherWay) {
  Environment env({{"GITLAB_HOST", "gitlab.example.com"},
                   {"AWS_REGION", "us-east-1"},
                   {"MODEL", "claude-sonnet-4-5-20250929"},
                   {"OPAQUE_ID", "q8Zr2LpX9mT4vB7nK1cW5yE3"},
                   {"PUBLIC_BUILD_ID", "z9Yx8Wv7Ut6Sr5Qp4On3Ml2K"},
                   {"TEAM_NAME", "the platform team"}});
  const SecretSet set =
      collect_secrets(env, {"GITLAB_HOST", "AWS_REGION", "MODEL", "OPAQUE_ID", "PUBLIC_BUILD_ID", "TEAM_NAME"},
                      {"TEAM_NAME"}, {"PUBLIC_BUILD_ID"});
  EXPECT_EQ(set.masked_names, (std::vector<std::string>{"OPAQUE_ID", "TEAM_NAME"}));
  const Masker masker(set.values);
  EXPECT_EQ(masker.mask("https://gitlab.example.com/x us-east-1 claude-sonnet-4-5-20250929"),
            "https://gitlab.example.com/x us-east-1 claude-sonnet-4-5-20250929");
  EXPECT_EQ(masker.mask("q8Zr2LpX9mT4vB7nK1cW5yE3 z9Yx8Wv7Ut6Sr5Qp4On3Ml2K the platform team"),
            "[MASKED] z9Yx8Wv7Ut6Sr5Qp4On3Ml2K [MASKED]");
}

TEST(CollectSecrets, TheDecodedPrivateKeyOfAJsonCredentialIsMaskedLineByLine) {
  const std::string line1 = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
  const std::string line2 = "VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDu";
  const std::string credential =
      "{\"type\": \"service_account\", \"client_email\": \"bot@example.com\", "
      "\"private_key\": \"-----BEGIN PRIVATE KEY-----\\n" +
      line1 + "\\n" + line2 + "\\n-----END PRIVATE KEY-----\\n\"}";
  Environment env({{"GOOGLE_CREDENTIALS", credential}, {"SERVICE_ACCOUNT_JSON", credential}});
  for (const std::vector<std::string>& listed :
       {std::vector<std::string>{"GOOGLE_CREDENTIALS"}, std::vector<std::string>{"SERVICE_ACCOUNT_JSON"}}) {
    const Masker masker(collect_secrets(env, listed).values);
    const std::string printed =
        "-----BEGIN PRIVATE KEY-----\n" + line1 + "\n" + line2 + "\n-----END PRIVATE KEY-----\n";
    const std::string masked = masker.mask(printed);
    EXPECT_EQ(masked.find(line1), std::string::npos) << masked;
    EXPECT_EQ(masked.find(line2), std::string::npos) << masked;
    EXPECT_NE(masker.mask("bot@example.com").find("bot@example.com"), std::string::npos);
  }
}

TEST(CollectSecrets, AJsonCredentialPrintedAsAFileShowsItsPublicFields) {
  // As `cat key.json` prints a service account's key: one field a line. Secret by its name, the document is masked
  // whole; of its lines, only the secret fields'.
  const std::string credential =
      "{\n"
      "  \"type\": \"service_account\",\n"
      "  \"client_email\": \"deploy-bot@my-project.iam.gserviceaccount.com\",\n"
      "  \"private_key_id\": \"4b1e9f2c7a3d8e6f0b5a9c2d7e1f3a8b6c4d2e0f\",\n"
      "  \"token_uri\": \"https://oauth2.googleapis.com/token\",\n"
      "  \"auth_uri\": \"https://accounts.google.com/o/oauth2/auth\"\n"
      "}\n";
  Environment env({{"GOOGLE_CREDENTIALS", credential}});
  const Masker masker(collect_secrets(env, {"GOOGLE_CREDENTIALS"}).values);
  EXPECT_EQ(masker.mask(credential), "[MASKED]");
  const std::string lines = masker.mask(
      "  \"client_email\": \"deploy-bot@my-project.iam.gserviceaccount.com\",\n"
      "  \"private_key_id\": \"4b1e9f2c7a3d8e6f0b5a9c2d7e1f3a8b6c4d2e0f\",\n"
      "  \"token_uri\": \"https://oauth2.googleapis.com/token\",\n");
  EXPECT_NE(lines.find("deploy-bot@my-project.iam.gserviceaccount.com"), std::string::npos) << lines;
  EXPECT_NE(lines.find("https://oauth2.googleapis.com/token"), std::string::npos) << lines;
  EXPECT_EQ(lines.find("4b1e9f2c7a3d8e6f0b5a9c2d7e1f3a8b6c4d2e0f"), std::string::npos) << lines;
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
  for (const char* secret : {"sk-ant-api03-0123456789abcdef", "glpat-0123456789abcdefghij", "job-token-value-123",
                             "registry-password-1", "proxy-password-12", "url-token-value-9", "oauth-token-value-1",
                             "gateway-token-value", "instance-id-value", "X-Gitlab-Instance-Id: instance-id-value"}) {
    EXPECT_TRUE(contains(set.values, secret)) << secret;
  }
  for (const char* not_secret :
       {"https://gitlab.example.com", "gitlab.example.com", "listed-by-the-flow", "group/project", "mention",
        "please fix the bug in main.cpp", "/home/someone/directory",
        "https://gitlab-ci-token:url-token-value-9@gitlab.example.com/g/p.git"}) {
    EXPECT_FALSE(contains(set.values, not_secret)) << not_secret;
  }
  EXPECT_FALSE(std::any_of(set.values.begin(), set.values.end(), [](const std::string& v) {
    return v.find("a long public description") != std::string::npos;
  }));
  EXPECT_FALSE(contains(set.masked_names, "GITLAB_HOST")) << "a host name is public by nature";
  EXPECT_TRUE(contains(set.masked_names, "CI_REPOSITORY_URL"));
  EXPECT_TRUE(set.short_names.empty());
}

TEST(CollectSecrets, ReportsShortValuesByNameAndDoesNotMaskThem) {
  Environment env(
      {{"SHORT_TOKEN", "abc1234"}, {"LISTED", " 12345 \n"}, {"EMPTY_SECRET", ""}, {"LONG_KEY", "12345678"}});
  const SecretSet set = collect_secrets(env, {"LISTED"}, {"LISTED"});
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
