#include "flowrun/flow/masking_checks.h"

#include <algorithm>

#include "flowrun/core/secret_policy.h"

namespace flowrun::flow {

namespace {

bool names(const std::vector<Located<std::string>>& list, const std::string& name) {
  return std::any_of(list.begin(), list.end(), [&name](const auto& entry) { return entry.value == name; });
}

}  // namespace

std::vector<Diagnostic> describe_masking(const Flow& flow) {
  std::vector<Diagnostic> findings;
  for (const auto& variable : flow.variables) {
    secret_policy::FlowChoice choice;
    choice.listed = true;
    choice.forced_masked = names(flow.settings.mask, variable.value);
    choice.forced_unmasked = names(flow.settings.unmask, variable.value);
    Diagnostic finding;
    finding.position = variable.position;
    finding.severity = Severity::info;
    finding.rule = "masking";
    if (auto decision = secret_policy::decide_by_name(variable.value, choice)) {
      finding.message = variable.value + (decision->masked ? " will be masked: " : " will not be masked: ") +
                        std::string(secret_policy::describe(decision->reason));
    } else {
      finding.message = variable.value +
                        " is not secret by its name: its value is masked only if it looks like a credential (a "
                        "token prefix or a long random string), and of a JSON credential only its secret fields; "
                        "list it under `flowrun: mask` to mask it whatever it holds";
    }
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace flowrun::flow
