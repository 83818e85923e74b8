#pragma once
// How the git phase is set up from the settings, the flow and the job; shared by the run and the dry run.
#include <optional>
#include <string>

#include "flowrun/git/git.h"
#include "flowrun/run/run_context.h"

namespace flowrun::run {

// The branch to push to: --branch, FLOWRUN_BRANCH, flowrun.branch, or the one derived from CI_WORKLOAD_REF.
// nullopt with `error` saying why and what to do.
std::optional<std::string> target_branch(const RunContext& context, std::string& error);

// Everything git::commit_and_push needs: remote, credentials, identity, message, exclusions, and whether to push.
git::GitOptions git_options(RunContext& context, const std::string& branch);

}  // namespace flowrun::run
