#pragma once
// The bugs of the hand-written tail that GitLab's example flows carry, and that flows copied from them inherit:
//   git-checkout-branch   `git checkout --branch` is no git option (exit 129)
//   test-not-operator     `[ --not ... ]`, `[ --zero ... ]` are no test operators (exit 2: the test is never true)
//   manual-git-tail       `git add` / `git commit` / `git push` by hand, which flowrun does itself
//   hardcoded-git-remote  a push URL naming one project literally
#include <vector>

#include "flowrun/flow/diagnostic.h"
#include "flowrun/flow/flow.h"
#include "flowrun/flow/shell_syntax.h"

namespace flowrun::flow {

// `scans` holds scan_shell() of each of the flow's commands, in order.
std::vector<Diagnostic> check_known_bugs(const Flow& flow, const std::vector<ShellScan>& scans);

}  // namespace flowrun::flow
