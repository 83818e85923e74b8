#pragma once
// Where the agent's answer travels from the commands to flowrun. `flowrun run` gives the commands two variables:
//  - FLOWRUN_ANSWER_FILE: any command may write the agent's final message there (Markdown), e.g. `codex exec -o`;
//  - FLOWRUN_ARTIFACTS_DIR: `flowrun agent-log AGENT` saves the CLI's event stream there, as agent-<AGENT>.jsonl;
//  - FLOWRUN_MASKED_VARIABLES: the variables flowrun masks, which agent-log masks too.
// After the commands, flowrun reads both back (the answer file wins for the final message).
#include <filesystem>
#include <optional>
#include <string>

#include "flowrun/agent/agent_result.h"

namespace flowrun::agent {

inline constexpr const char* kAnswerFileVariable = "FLOWRUN_ANSWER_FILE";
inline constexpr const char* kArtifactsDirVariable = "FLOWRUN_ARTIFACTS_DIR";
// The names (never the values) of the flow's variables, comma-separated, so that `flowrun agent-log` masks what
// flowrun masks before it cuts a line short: a secret cut in two would otherwise escape the masking.
inline constexpr const char* kMaskedVariablesVariable = "FLOWRUN_MASKED_VARIABLES";

std::filesystem::path answer_file(const std::filesystem::path& artifacts_dir);
std::filesystem::path events_file(const std::filesystem::path& artifacts_dir, const std::string& agent);

// Removes what an earlier run left (a retried job must not report the last attempt's answer).
void remove_stale_answer(const std::filesystem::path& artifacts_dir);

// What the commands left: the last-written event stream, read by its agent's reader, and the answer file. nullopt when
// neither exists.
std::optional<AgentResult> read_agent_answer(const std::filesystem::path& artifacts_dir);

}  // namespace flowrun::agent
