#pragma once
// The environment GitLab 18.x gives a flow's job, for project 42 "group/project" on the fake GitLab: what the
// end-to-end tests of `flowrun run` start from, each adding the token, the AI_FLOW_* values and what it tests.
#include <filesystem>
#include <map>
#include <string>

#include "support/fake_gitlab.h"

namespace flowrun::testing {

struct JobIds {
  std::string workload;  // the <hex> of refs/workloads/<hex>
  std::string job_id;
};

// base_environment() plus the built flowrun on PATH, NO_COLOR, CI/GITLAB_CI, the server, API and project variables,
// CI_PROJECT_DIR = `workdir`, the workload ref, the job id and URL, and the service account as author with the
// person who asked as committer.
std::map<std::string, std::string> gitlab_job_environment(const FakeGitLab& gitlab,
                                                          const std::filesystem::path& workdir, const JobIds& ids);

}  // namespace flowrun::testing
