#pragma once
// The keys a flow file may hold, level by level. The JSON Schema (flow.schema.json) lists the same keys;
// a test keeps the two in step.
#include <array>
#include <string_view>

namespace flowrun::flow {

// Read by GitLab, plus `flowrun:`, which GitLab ignores and flowrun reads.
inline constexpr std::array<std::string_view, 7> top_level_keys = {
    "image", "commands", "variables", "injectGatewayToken", "id_tokens", "report_artifacts", "flowrun"};

inline constexpr std::array<std::string_view, 15> flowrun_keys = {
    "author",          "commit_message",        "branch",       "exclude", "mask",  "unmask",
    "merge_request",   "push_on_failure",       "timeout",      "push_to", "draft", "labels",
    "protected_paths", "allow_protected_paths", "max_file_size"};

inline constexpr std::array<std::string_view, 2> author_keys = {"name", "email"};

inline constexpr std::array<std::string_view, 1> id_token_keys = {"aud"};

inline constexpr std::array<std::string_view, 3> merge_request_values = {"auto", "always", "never"};

inline constexpr std::array<std::string_view, 2> push_to_values = {"merge-request", "workload-branch"};

inline constexpr std::size_t max_image_length = 512;
inline constexpr std::size_t max_id_tokens = 20;
// GitLab gives the job of a flow two hours.
inline constexpr long long gitlab_job_timeout_seconds = 7200;

}  // namespace flowrun::flow
