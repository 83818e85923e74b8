#pragma once
// Which values of the job's environment are secrets, in every form they can take in the output. Which variables
// are secret is decided by core/secret_policy.h; here their values become the strings the masker looks for.
// Besides, the password inside the userinfo of any URL-valued variable (CI_REPOSITORY_URL carries the job token) is
// secret, except in the text GitLab describes the run with.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/core/environment.h"
#include "flowrun/core/secret_policy.h"

namespace flowrun::log {

// GitLab masks nothing shorter; shorter values would also mask ordinary words.
inline constexpr std::size_t kMinSecretLength = secret_policy::kMinMaskedLength;

struct VariableDecision {
  std::string name;
  secret_policy::Decision decision;
};

struct SecretSet {
  // Every string to mask: each value, its lines, its URL-encoded and JSON-escaped forms. Deduplicated, longest first.
  std::vector<std::string> values;
  // Secret variables whose value is set but shorter than kMinSecretLength: not masked, for a warning by name. Sorted.
  std::vector<std::string> short_names;
  // Secret variables whose value is masked. Sorted.
  std::vector<std::string> masked_names;
  // For each variable the flow lists, and each other one masked: what was decided and why. In the environment's order.
  std::vector<VariableDecision> decisions;
};

// The secrets of a job environment; `flow_variable_names` are the names the flow lists under `variables:`,
// `forced_masked` / `forced_unmasked` the ones its `flowrun: mask` / `unmask` name.
SecretSet collect_secrets(const Environment& env, const std::vector<std::string>& flow_variable_names,
                          const std::vector<std::string>& forced_masked = {},
                          const std::vector<std::string>& forced_unmasked = {});

// The forms a secret value takes in output, before deduplication: the value; the value without surrounding
// whitespace; with `line_by_line`, each line of a multi-line value, as is (CR stripped) and trimmed; then, for each
// of those, its URL-encoded form and its JSON-escaped form when they differ. Forms shorter than kMinSecretLength are
// left out.
std::vector<std::string> secret_forms(std::string_view value, bool line_by_line = true);

// The string as a JSON string literal's content: `"` and `\` escaped, control characters as \b \f \n \r \t or \u00XX.
std::string json_escape(std::string_view text);

}  // namespace flowrun::log
