#pragma once
// The handoff: the flow's first command, `exec flowrun run [FLOW]` (or `exec npx --yes flowrun@VERSION run [FLOW]`,
// flowrun from its npm package), hands the CI job over from GitLab Runner's shell to
// flowrun, which then runs the commands after it (and commits, pushes, reports). `exec` replaces the Runner's shell, so
// the commands after the handoff run once, under flowrun, and never again in the Runner's shell.
#include <cstddef>
#include <optional>
#include <vector>

#include "flowrun/flow/diagnostic.h"
#include "flowrun/flow/flow.h"

namespace flowrun::flow {

struct Handoff {
  std::size_t index = 0;  // position in `commands`
  bool uses_exec = false;
};

// The first command that invokes `flowrun run`, if any.
std::optional<Handoff> find_handoff(const Flow& flow);

// Errors for a handoff without `exec` (the Runner would run the remaining commands a second time), one that is not the
// first command (the commands before it would run outside flowrun's control), or more than one.
std::vector<Diagnostic> check_handoff(const Flow& flow);

}  // namespace flowrun::flow
