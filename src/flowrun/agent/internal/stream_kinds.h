#pragma once
// Internal to flowrun_agent: one reader per agent CLI, each in its own file.
#include <memory>

#include "flowrun/agent/event_stream.h"

namespace flowrun::agent::internal {

std::unique_ptr<EventStream> make_claude_stream();
std::unique_ptr<EventStream> make_codex_stream();
std::unique_ptr<EventStream> make_gemini_stream();
std::unique_ptr<EventStream> make_opencode_stream();

}  // namespace flowrun::agent::internal
