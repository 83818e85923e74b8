#pragma once
// The GitLab API client of a run: its URL (--gitlab-url, FLOWRUN_GITLAB_URL, the job's variables), its tokens, the
// time each call may take (FLOWRUN_GITLAB_BUDGET) and the deadline of the phases after the commands.
#include <optional>

#include "flowrun/gitlab/client.h"
#include "flowrun/run/run_context.h"

namespace flowrun::run {

// nullopt with --no-report, or without a URL or a token.
std::optional<gitlab::Client> make_api_client(const RunContext& context);

}  // namespace flowrun::run
