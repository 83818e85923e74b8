#pragma once
// The request and its context as a person sees them, for prompts: FLOWRUN_INPUT_CLEAN and FLOWRUN_CONTEXT_CLEAN are
// AI_FLOW_INPUT and AI_FLOW_CONTEXT without hidden characters and HTML comments (core/hidden_text.h). The originals
// are left untouched. Like them, the copies reach bash only as environment variables, never as script text.
#include "flowrun/core/environment.h"

namespace flowrun::run {

// Sets both copies (empty when the original is unset) and logs what was removed, if anything.
void provide_clean_inputs(Environment& env);

}  // namespace flowrun::run
