#pragma once
// `literal-secret`, `secret-echo` and `secret-in-url`: secrets written into a flow, printed into the job log, or
// put where logs, process lists and .git/config keep them. Messages name the kind of secret or the variable,
// never a secret itself.
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/flow/diagnostic.h"
#include "flowrun/flow/flow.h"
#include "flowrun/flow/shell_syntax.h"

namespace flowrun::flow {

// `scans` holds scan_shell() of each of the flow's commands, in order.
std::vector<Diagnostic> check_secrets(const Flow& flow, const std::vector<ShellScan>& scans);

// Whether a variable of this name holds a secret, going by the name: it contains TOKEN, SECRET, PASSWORD, KEY or
// CREDENTIAL (but does not merely name or locate one, like AWS_SECRET_NAME or SSH_KEY_FILE), or it is one of
// the job's own tokens.
bool is_secret_name(std::string_view name);

// `text` with anything shaped like a known token replaced by [MASKED], for messages that quote a checker.
std::string without_literal_tokens(std::string text);

}  // namespace flowrun::flow
