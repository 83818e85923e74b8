#pragma once
// `masking`: for each variable the flow lists, whether `flowrun run` will mask its value in the output, the log, the
// report and the note, and why (core/secret_policy.h decides; this only says it where the variable is listed).
#include <vector>

#include "flowrun/flow/diagnostic.h"
#include "flowrun/flow/flow.h"

namespace flowrun::flow {

std::vector<Diagnostic> describe_masking(const Flow& flow);

}  // namespace flowrun::flow
