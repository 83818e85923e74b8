#include "flowrun/core/secret_policy.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "flowrun/core/text.h"
#include "flowrun/core/token_shapes.h"

namespace flowrun::secret_policy {
namespace {

constexpr std::array<std::string_view, 7> kSecretWords{"TOKEN",      "SECRET",  "PASSWORD", "PASSWD",
                                                       "CREDENTIAL", "PRIVATE", "KEY"};
// Words that mean a secret only as a whole part of the name: AUTH, not AUTHOR.
constexpr std::array<std::string_view, 2> kSecretParts{"AUTH", "PAT"};

constexpr std::array<std::string_view, 6> kInjectedCredentials{"CI_JOB_JWT",
                                                               "CI_JOB_JWT_V1",
                                                               "CI_JOB_JWT_V2",
                                                               "CI_REGISTRY_PASSWORD",
                                                               "CI_DEPENDENCY_PROXY_PASSWORD",
                                                               "AI_FLOW_AI_GATEWAY_HEADERS"};

constexpr std::array<std::string_view, 6> kRunDescriptions{"AI_FLOW_CONTEXT",      "AI_FLOW_INPUT",
                                                           "AI_FLOW_EVENT",        "AI_FLOW_DISCUSSION_ID",
                                                           "AI_FLOW_PROJECT_PATH", "AI_FLOW_GITLAB_HOSTNAME"};

constexpr std::array<std::string_view, 15> kDescriptiveSuffixes{"NAME", "ID",   "FILE",     "PATH",    "DIR",
                                                                "URL",  "URI",  "HOST",     "REGION",  "TYPE",
                                                                "ARN",  "USER", "USERNAME", "EXPIRES", "LENGTH"};

constexpr std::array<std::string_view, 8> kParameterHints{"token", "secret",    "password", "passwd",
                                                          "key",   "signature", "auth",     "credential"};

// Fields of a JSON credential that hold its secret, besides any field named like a secret.
constexpr std::array<std::string_view, 4> kJsonSecretFields{"private_key", "private_key_id", "client_secret",
                                                            "refresh_token"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

bool is_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// A run of 20+ letters and digits (or base64 characters) with letters and digits mixed and many distinct
// characters: what a generated key looks like, and what host names, words, model names and version numbers do not.
bool has_random_run(std::string_view value) {
  constexpr std::size_t kMinRun = 20;
  std::size_t start = 0;
  while (start < value.size()) {
    std::size_t end = start;
    while (end < value.size() && (is_alnum(value[end]) || value[end] == '+' || value[end] == '/')) ++end;
    if (end - start >= kMinRun) {
      const std::string_view run = value.substr(start, end - start);
      const auto digits = std::count_if(run.begin(), run.end(), [](char c) { return c >= '0' && c <= '9'; });
      const auto letters = std::count_if(run.begin(), run.end(),
                                         [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
      std::array<bool, 256> seen{};
      std::size_t distinct = 0;
      for (char c : run) {
        if (!seen[static_cast<unsigned char>(c)]) ++distinct;
        seen[static_cast<unsigned char>(c)] = true;
      }
      if (digits >= 3 && letters >= 3 && distinct >= 12) return true;
    }
    start = end + 1;
  }
  return false;
}

}  // namespace

bool is_secret_name(std::string_view name) {
  const std::string text = upper(name);
  if (text.find("PUBLIC") != std::string::npos) return false;
  if (std::any_of(kSecretWords.begin(), kSecretWords.end(),
                  [&](std::string_view word) { return text.find(word) != std::string::npos; })) {
    return true;
  }
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t underscore = rest.find('_');
    if (contains(kSecretParts, rest.substr(0, underscore))) return true;
    if (underscore == std::string_view::npos) break;
    rest.remove_prefix(underscore + 1);
  }
  return false;
}

bool is_injected_credential(std::string_view name) { return contains(kInjectedCredentials, name); }

bool describes_the_run(std::string_view name) {
  if (contains(kRunDescriptions, name)) return true;
  return name.starts_with("CI_") && !is_injected_credential(name) && !is_secret_name(name);
}

bool names_a_secret_elsewhere(std::string_view name) {
  const std::string text = upper(name);
  const auto underscore = text.rfind('_');
  const std::string_view last =
      underscore == std::string::npos ? std::string_view(text) : std::string_view(text).substr(underscore + 1);
  return contains(kDescriptiveSuffixes, last);
}

const std::vector<std::string_view>& masked_query_parameters() {
  // GitLab's own (private_token, authenticity_token, rss_token, job_token), OAuth's access_token, and the parts of an
  // AWS pre-signed URL that grant access.
  static const std::vector<std::string_view> names{
      "private_token",    "authenticity_token",   "rss_token",      "job_token", "access_token",
      "X-Amz-Credential", "X-Amz-Security-Token", "X-Amz-Signature"};
  return names;
}

bool is_secret_parameter(std::string_view parameter) {
  const std::string name = text::to_lower(parameter);
  return std::any_of(kParameterHints.begin(), kParameterHints.end(),
                     [&](std::string_view hint) { return name.find(hint) != std::string::npos; });
}

bool value_looks_secret(std::string_view value) { return find_token(value).has_value() || has_random_run(value); }

std::vector<std::string> json_credential_secrets(std::string_view value) {
  const std::string_view trimmed = text::trim(value);
  if (trimmed.empty() || trimmed.front() != '{') return {};
  const nlohmann::json document = nlohmann::json::parse(trimmed, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) return {};
  std::vector<std::string> secrets;
  for (const auto& [key, field] : document.items()) {
    if (!field.is_string()) continue;
    // token_uri and auth_uri name where a token is got, not the token.
    if (contains(kJsonSecretFields, key) || (is_secret_name(key) && !names_a_secret_elsewhere(key))) {
      secrets.push_back(field.get<std::string>());
    }
  }
  return secrets;
}

std::optional<Decision> decide_by_name(std::string_view name, const FlowChoice& choice) {
  if (choice.forced_unmasked) return Decision{false, Reason::forced_unmasked};
  if (choice.forced_masked) return Decision{true, Reason::forced_masked};
  if (describes_the_run(name)) return Decision{false, Reason::describes_the_run};
  if (is_injected_credential(name)) return Decision{true, Reason::injected_credential};
  if (is_secret_name(name)) return Decision{true, Reason::secret_name};
  if (!choice.listed) return Decision{false, Reason::not_listed};
  return std::nullopt;
}

Decision decide(std::string_view name, std::string_view value, const FlowChoice& choice) {
  if (auto by_name = decide_by_name(name, choice)) return *by_name;
  if (value_looks_secret(value)) return {true, Reason::looks_like_a_credential};
  if (!json_credential_secrets(value).empty()) return {false, Reason::json_credential};
  return {false, Reason::public_by_nature};
}

std::string_view describe(Reason reason) {
  switch (reason) {
    case Reason::describes_the_run:
      return "describes the run (never masked)";
    case Reason::secret_name:
      return "secret by its name";
    case Reason::injected_credential:
      return "a credential GitLab injects";
    case Reason::looks_like_a_credential:
      return "its value looks like a credential";
    case Reason::json_credential:
      return "a JSON credential: its secret fields are masked";
    case Reason::public_by_nature:
      return "its value is public by nature (a host, URL, word, number or name)";
    case Reason::forced_masked:
      return "the flow's `flowrun: mask` says so";
    case Reason::forced_unmasked:
      return "the flow's `flowrun: unmask` says so";
    case Reason::not_listed:
      return "not listed by the flow";
  }
  return "";
}

}  // namespace flowrun::secret_policy
