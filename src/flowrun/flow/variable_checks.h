#pragma once
// `undeclared-variable` and `unused-variable`. GitLab lets into a flow's job only the CI/CD variables listed under
// `variables` (besides its own CI_* and AI_FLOW_* ones), so a variable the commands use that is neither listed,
// provided, nor set by an earlier command is empty when the job runs; one listed but never used is a leftover,
// or read by a program from its environment.
#include <string>
#include <vector>

#include "flowrun/flow/diagnostic.h"
#include "flowrun/flow/flow.h"
#include "flowrun/flow/shell_syntax.h"

namespace flowrun::flow {

// `scans` holds scan_shell() of each of the flow's commands, in order.
std::vector<Diagnostic> check_variables(const Flow& flow, const std::vector<ShellScan>& scans);

// Names the commands of `scan` give a value to: `NAME=...`, `export`/`local`/`declare`/`readonly`/`typeset`,
// `read`, `for`/`select`, `mapfile`/`readarray`, `printf -v`, `getopts`, `${NAME:=...}`.
std::vector<std::string> assigned_names(const ShellScan& scan);

}  // namespace flowrun::flow
