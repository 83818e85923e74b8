#pragma once
// What flowrun knows about the agent CLIs the catalog runs (claude, codex, gemini, opencode), checked in a flow:
//   agent-removed-flag      a flag the CLI no longer has (`codex --full-auto`): it stops at once with exit 2
//   agent-untrusted-folder  `gemini` headless without `--skip-trust` or GEMINI_CLI_TRUST_WORKSPACE=true (exit 55)
//   agent-unpinned-install  `npm install` of an agent CLI without an exact version: the next run may get another
//   agent-output-format     a CLI piped into `flowrun agent-log` but not in the machine-readable mode it reads
//   agent-answer-lost       under `flowrun run`, a CLI whose answer never reaches flowrun (not piped into
//                           `flowrun agent-log`, no FLOWRUN_ANSWER_FILE): the note cannot carry what the agent said
#include <vector>

#include "flowrun/flow/diagnostic.h"
#include "flowrun/flow/flow.h"
#include "flowrun/flow/shell_syntax.h"

namespace flowrun::flow {

// `scans` holds scan_shell() of each of the flow's commands, in order.
std::vector<Diagnostic> check_agents(const Flow& flow, const std::vector<ShellScan>& scans);

}  // namespace flowrun::flow
