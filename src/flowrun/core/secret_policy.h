#pragma once
// What flowrun treats as secret, decided here and only here: the masker, the validator, the API client's logging and
// the report all ask these functions.
//
// Masked: the values of variables that are secret by name (TOKEN, SECRET, PASSWORD, PASSWD, KEY, PRIVATE,
// CREDENTIAL, or AUTH as a word; not when PUBLIC is in the name), the credentials GitLab injects (CI_JOB_TOKEN,
// CI_JOB_JWT*, AI_FLOW_AI_GATEWAY_HEADERS, ...), and values that look like a credential by shape: a known token prefix
// (glpat-, sk-ant-, ...) or a long run of random-looking characters. Of a JSON credential (a service-account key),
// its secret fields too: private_key (line by line), private_key_id, client_secret, refresh_token, and any field
// named like a secret.
// Never masked: values public by nature — what GitLab describes the run with (AI_FLOW_CONTEXT, AI_FLOW_INPUT, ...),
// the CI_* job variables that are not credentials, and a flow's listed variable whose value is a host name, a URL
// without a password, a word, a number, a region or a model name; and values under 8 characters, which GitLab
// cannot mask either. A flow can force a variable either way (`flowrun: {mask: [...], unmask: [...]}`).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flowrun::secret_policy {

inline constexpr std::size_t kMinMaskedLength = 8;

bool is_secret_name(std::string_view name);
// Credentials GitLab injects into every job under names the word rule does not catch.
bool is_injected_credential(std::string_view name);
// What GitLab tells the job about the run (AI_FLOW_CONTEXT, ...) and CI_* variables that are not credentials.
bool describes_the_run(std::string_view name);
// A name whose last part (NAME, ID, FILE, PATH, URL, HOST, REGION, ...) says it names, locates or describes a
// secret rather than holds it: ANTHROPIC_API_KEY_FILE. For the validator's advice, not for masking.
bool names_a_secret_elsewhere(std::string_view name);
// A URL query parameter whose value grants access (private_token, access_token, X-Amz-Signature, or a name with
// token, secret, password, key, signature or auth in it).
bool is_secret_parameter(std::string_view parameter);
// The exact query parameter names the masker hides the value of in any URL it sees in the output.
const std::vector<std::string_view>& masked_query_parameters();

// A value that is a credential by its shape alone.
bool value_looks_secret(std::string_view value);
// The string fields of a JSON object value that hold secrets (empty when the value is not a JSON object).
std::vector<std::string> json_credential_secrets(std::string_view value);

enum class Reason {
  describes_the_run,  // never masked
  secret_name,
  injected_credential,
  looks_like_a_credential,
  json_credential,   // only its secret fields
  public_by_nature,  // a listed value that is not a credential
  forced_masked,     // the flow's `flowrun: mask`
  forced_unmasked,   // the flow's `flowrun: unmask`
  not_listed,        // neither listed by the flow nor secret: not masked
};

struct Decision {
  bool masked = false;  // the whole value (and its lines and encoded forms)
  Reason reason = Reason::not_listed;
};

struct FlowChoice {
  bool listed = false;           // under the flow's `variables:`
  bool forced_masked = false;    // `flowrun: mask`
  bool forced_unmasked = false;  // `flowrun: unmask`
};

Decision decide(std::string_view name, std::string_view value, const FlowChoice& choice);
// The decision when the name and the flow's choice settle it; nullopt when it depends on the value (for `validate`,
// which sees no values).
std::optional<Decision> decide_by_name(std::string_view name, const FlowChoice& choice);

// "secret by name", "looks like a credential", ... for `validate` and the log.
std::string_view describe(Reason reason);

}  // namespace flowrun::secret_policy
