#pragma once
// Checks of what the commands say: shell syntax (bash -n), shellcheck, variables, secrets, and the known
// bugs of the official example flows. Positions point into the YAML file, inside multi-line commands too.
#include <string>
#include <vector>

#include "flowrun/flow/diagnostic.h"
#include "flowrun/flow/flow.h"

namespace flowrun::flow {

struct CommandCheckOptions {
  bool use_shellcheck = true;  // when shellcheck is on PATH
};

// Findings for each flow, in the order given. Checks many flows in few processes, since `validate` may be
// given a thousand files at once.
std::vector<std::vector<Diagnostic>> check_commands(const std::vector<const Flow*>& flows,
                                                    const CommandCheckOptions& options);

// Whether shellcheck can be run here (looked up once).
bool shellcheck_available();

}  // namespace flowrun::flow
