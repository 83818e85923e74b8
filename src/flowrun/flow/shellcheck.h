#pragma once
// shellcheck's findings (`shellcheck-SCxxxx`) on a flow's commands: one run per flow, over the commands joined as
// GitLab Runner runs them, each finding mapped back to its place in the flow file.
//
// Severity: shellcheck's "error" and "warning" become warnings (bash decides what is a real error: see
// `shell-syntax`), "info" and "style" become info.
// Left out, as noise for flow commands:
//   SC2154 (variable referenced but not assigned): a flow's variables come from `variables`, GitLab and the
//          runner, which shellcheck cannot know; flowrun's `undeclared-variable` checks this with that knowledge.
//   SC1090, SC1091 (cannot follow `source`): the sourced files are in the job's image, not here.
//   SC2093 (commands after `exec` never run): the handoff `exec flowrun run` is meant to end the Runner's shell;
//          flowrun runs the commands after it (see handoff.h, which checks the handoff itself).
// shellcheck runs with --norc, so the same flow gives the same findings on every machine.
#include <vector>

#include "flowrun/flow/diagnostic.h"
#include "flowrun/flow/flow.h"

namespace flowrun::flow {

// `bash_found_errors`: the flow already has `shell-syntax` errors, so shellcheck's parse errors would repeat them.
// Call only when shellcheck_available().
std::vector<Diagnostic> run_shellcheck(const Flow& flow, bool bash_found_errors);

}  // namespace flowrun::flow
