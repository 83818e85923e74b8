#pragma once
// Which values of the job's environment are secrets, in every form they can take in the output.
//
// A variable is secret when:
//   - the flow lists it under `variables:` (project CI/CD variables let into the job for the agent), or
//   - GitLab injects it as a credential: CI_JOB_TOKEN, CI_JOB_JWT*, CI_REGISTRY_PASSWORD, CI_DEPENDENCY_PROXY_PASSWORD,
//     AI_FLOW_AI_GATEWAY_HEADERS (its whole value, each line and each header value), or
//   - its name looks secret (looks_secret_name).
// Never secret, even when listed: the resource and event GitLab describes the run with (AI_FLOW_CONTEXT, AI_FLOW_INPUT,
// AI_FLOW_EVENT, ...): they are large, public to the project, and masking them would hide the whole log.
// Besides, the password inside the userinfo of any URL-valued variable (CI_REPOSITORY_URL carries the job token) is
// secret.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/core/environment.h"

namespace flowrun::log {

// GitLab masks nothing shorter; shorter values would also mask ordinary words.
inline constexpr std::size_t kMinSecretLength = 8;

struct SecretSet {
  // Every string to mask: each value, its lines, its URL-encoded and JSON-escaped forms. Deduplicated, longest first.
  std::vector<std::string> values;
  // Secret variables whose value is set but shorter than kMinSecretLength: not masked, for a warning by name. Sorted.
  std::vector<std::string> short_names;
  // Secret variables whose value is masked. Sorted.
  std::vector<std::string> masked_names;
};

// True when the name (case-insensitive) contains TOKEN, SECRET, PASSWORD, PASSWD, KEY, CREDENTIAL or PRIVATE and not
// PUBLIC (SSH_PUBLIC_KEY, NEXT_PUBLIC_API_KEY are published on purpose). Deliberately broad: AWS_ACCESS_KEY_ID and
// MONKEY_PATCH count too; masking a harmless value costs less than printing a secret one.
bool looks_secret_name(std::string_view name);

// The secrets of a job environment; `flow_variable_names` are the names the flow lists under `variables:`.
SecretSet collect_secrets(const Environment& env, const std::vector<std::string>& flow_variable_names);

// The forms a secret value takes in output, before deduplication: the value; the value without surrounding
// whitespace; each line of a multi-line value, as is (CR stripped) and trimmed; then, for each of those, its
// URL-encoded form and its JSON-escaped form when they differ. Forms shorter than kMinSecretLength are left out.
std::vector<std::string> secret_forms(std::string_view value);

// The string as a JSON string literal's content: `"` and `\` escaped, control characters as \b \f \n \r \t or \u00XX.
std::string json_escape(std::string_view text);

}  // namespace flowrun::log
