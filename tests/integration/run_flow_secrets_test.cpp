// A flow's listed variables end to end: the token and a service account's private key and key id are masked in the
// output, the log, the report and the note, and nothing else is — the GitLab host, the region, the model and the
// service account's e-mail and id stay readable, in the output and in the file the agent commits, and the note's links,
// which name the same host, still work.
#include <random>
#include <string>
#include <vector>

#include "attack_fixture.h"
#include "followed_links.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;

constexpr const char* kRegion = "us-east-1";
constexpr const char* kModel = "claude-sonnet-4-5";
constexpr const char* kClientEmail = "flowrun-ci@flowrun-tests.iam.gserviceaccount.com";
constexpr const char* kClientId = "104729318465020317781";

// The body lines of a made-up PKCS#8 key: random base64 (a fixed seed keeps runs identical), 64 characters a line
// and a shorter last one, as in a PEM file. Not a key: it decodes to nothing usable.
std::vector<std::string> fake_key_lines() {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::mt19937 random(20251204);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::vector<std::string> lines;
  for (int i = 0; i < 12; ++i) {
    std::string line = i == 0 ? "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ" : "";
    const std::size_t length = i == 11 ? 42 : 64;
    while (line.size() < length) line += alphabet[pick(random)];
    lines.push_back(i == 11 ? line + "==" : line);
  }
  return lines;
}

std::string private_key(const std::vector<std::string>& lines) {
  std::string pem = "-----BEGIN PRIVATE KEY-----\n";
  for (const auto& line : lines) pem += line + "\n";
  return pem + "-----END PRIVATE KEY-----\n";
}

// A service account key file as Google Cloud hands it out (pretty-printed JSON, the PEM's newlines escaped).
std::string service_account_json(const std::string& key_id, const std::string& pem) {
  return json{{"type", "service_account"},
              {"project_id", "flowrun-tests"},
              {"private_key_id", key_id},
              {"private_key", pem},
              {"client_email", kClientEmail},
              {"client_id", kClientId},
              {"auth_uri", "https://accounts.google.com/o/oauth2/auth"},
              {"token_uri", "https://oauth2.googleapis.com/token"},
              {"universe_domain", "googleapis.com"}}
      .dump(2);
}

// The text as a reader sees it: without the zero-width characters notes put into e-mail addresses and mentions so
// that they notify nobody.
std::string as_read(std::string text) {
  for (const char* invisible : {"\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF"}) {
    for (auto at = text.find(invisible); at != std::string::npos; at = text.find(invisible, at)) {
      text.erase(at, std::string(invisible).size());
    }
  }
  return text;
}

// How many lines of `text` are exactly `wanted`; in a JSON report, how many strings (its output tail has a string a
// line).
std::size_t lines_equal_to(const std::string& text, const std::string& wanted) {
  std::size_t count = 0;
  for (const std::string& end : {std::string("\n"), std::string("\"")}) {
    const std::string line = end + wanted + end;
    for (auto at = text.find(line); at != std::string::npos; at = text.find(line, at + 1)) ++count;
  }
  return count;
}

class FlowSecrets : public AttackJob {
 protected:
  const std::vector<std::string> key_lines_ = fake_key_lines();
  const std::string key_id_ = "5f0c7d3b9a2e4816c0d1f2a3b4c5d6e7f8091a2b";
};

TEST_F(FlowSecrets, OnlyTheTokenThePrivateKeyAndItsIdAreMaskedEverywhere) {
  check_out(flow_yaml(
      {"exec flowrun run agent",
       "echo \"credentials: $GOOGLE_CREDENTIALS\"\nmkdir -p deploy\n"
       "printf 'GITLAB_HOST=%s\\nAWS_REGION=%s\\nANTHROPIC_MODEL=%s\\nSERVICE_ACCOUNT=%s\\n' \"$GITLAB_HOST\" "
       "\"$AWS_REGION\" \"$ANTHROPIC_MODEL\" \"$(jq -r .client_email <<<\"$GOOGLE_CREDENTIALS\")\" > "
       "deploy/settings.env",
       // Last, so that all of it is in the output tail the note quotes.
       "echo \"token: $GITLAB_TOKEN_AGENT\"\n"
       "echo \"key id: $(jq -r .private_key_id <<<\"$GOOGLE_CREDENTIALS\")\"\n"
       "jq -r .private_key <<<\"$GOOGLE_CREDENTIALS\"\n"
       "jq -r .private_key <<<\"$GOOGLE_CREDENTIALS\" | sed 's/^/    /'\n"
       "echo \"host: $GITLAB_HOST\"\necho \"region: $AWS_REGION\"\necho \"model: $ANTHROPIC_MODEL\"\n"
       "echo \"client: $(jq -r .client_email <<<\"$GOOGLE_CREDENTIALS\")\"\n"
       "echo \"client id: $(jq -r .client_id <<<\"$GOOGLE_CREDENTIALS\")\"\n"
       // Lines of the key file as `cat` shows them: the public fields in clear.
       "grep -E '\"(client_email|private_key_id)\"' <<<\"$GOOGLE_CREDENTIALS\""},
      {"GITLAB_HOST", "AWS_REGION", "ANTHROPIC_MODEL", "GITLAB_TOKEN_AGENT", "GOOGLE_CREDENTIALS"}));
  auto env = job_environment();
  env["GITLAB_HOST"] = gitlab_.host();
  env["AWS_REGION"] = kRegion;
  env["ANTHROPIC_MODEL"] = kModel;
  env["GOOGLE_CREDENTIALS"] = service_account_json(key_id_, private_key(key_lines_));

  auto result = run(env);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  ASSERT_EQ(report()["git"]["outcome"], "pushed") << report().dump(2);
  // The agent's file holds what it was given: masking is for what people read, not for the work.
  EXPECT_EQ(server(repo_, {"show", "workloads/0a1b2c3d4e5:deploy/settings.env"}),
            "GITLAB_HOST=" + gitlab_.host() + "\nAWS_REGION=" + kRegion + "\nANTHROPIC_MODEL=" + kModel +
                "\nSERVICE_ACCOUNT=" + kClientEmail + "\n");

  const auto notes = note_bodies();
  ASSERT_EQ(notes.size(), 1u);
  const std::vector<std::pair<std::string, std::string>> readers{
      {"stdout", result.out},
      {"the log", log()},
      {"the report", read_text(workdir_ / ".flowrun/report.json")},
      {"the note", as_read(notes[0])}};
  for (const auto& [where, text] : readers) {
    EXPECT_NE(text.find("token: [MASKED]"), std::string::npos) << where << ":\n" << text;
    EXPECT_NE(text.find("key id: [MASKED]"), std::string::npos) << where << ":\n" << text;
    EXPECT_EQ(text.find(kAttackToken), std::string::npos) << where;
    EXPECT_EQ(text.find(key_id_), std::string::npos) << where;
    for (const auto& line : key_lines_) EXPECT_EQ(text.find(line), std::string::npos) << where << ": " << line;
    EXPECT_NE(text.find("host: " + gitlab_.host()), std::string::npos) << where << ":\n" << text;
    EXPECT_NE(text.find(std::string("region: ") + kRegion), std::string::npos) << where << ":\n" << text;
    EXPECT_NE(text.find(std::string("model: ") + kModel), std::string::npos) << where << ":\n" << text;
    EXPECT_NE(text.find(std::string("client: ") + kClientEmail), std::string::npos) << where << ":\n" << text;
    EXPECT_NE(text.find(std::string("client id: ") + kClientId), std::string::npos) << where << ":\n" << text;
    // The report holds the lines as JSON strings, their quotes escaped.
    std::string lines = text;
    for (auto at = lines.find("\\\""); at != std::string::npos; at = lines.find("\\\"", at)) lines.erase(at, 1);
    EXPECT_NE(lines.find(std::string("\"client_email\": \"") + kClientEmail + "\","), std::string::npos)
        << where << ":\n"
        << text;
    EXPECT_NE(lines.find("\"private_key_id\": \"[MASKED]\""), std::string::npos) << where << ":\n" << text;
  }
  // Printed indented, the key no longer matches as a whole: each of its lines is masked on its own.
  for (const auto& [where, text] : readers) {
    EXPECT_GE(lines_equal_to(text, "    [MASKED]"), key_lines_.size()) << where << ":\n" << text;
  }

  // Nor is any of it anywhere else flowrun wrote or sent: the checkout, its .git, the server's objects, the API.
  std::vector<std::string> secrets{kAttackToken, key_id_};
  secrets.insert(secrets.end(), key_lines_.begin(), key_lines_.end());
  expect_nowhere(result, secrets);

  // The host is not masked out of the links the note and the merge request carry.
  expect_links_work(gitlab_, notes[0], "the note");
  auto state = gitlab_.state();
  ASSERT_EQ(state.merge_requests.size(), 1u);
  EXPECT_NE(notes[0].find(state.merge_requests[0].web_url), std::string::npos) << notes[0];
  expect_links_work(gitlab_, state.merge_requests[0].description, "the merge request's description");
}

}  // namespace
}  // namespace flowrun::testing
