#include "support/job_environment.h"

#include "support/process.h"

namespace flowrun::testing {

std::map<std::string, std::string> gitlab_job_environment(const FakeGitLab& gitlab,
                                                          const std::filesystem::path& workdir, const JobIds& ids) {
  auto env = base_environment();
  env["NO_COLOR"] = "1";
  env["PATH"] = std::filesystem::path(FLOWRUN_BINARY).parent_path().string() + ":" + env["PATH"];
  env["CI"] = "true";
  env["GITLAB_CI"] = "true";
  env["CI_SERVER_URL"] = gitlab.url();
  env["CI_API_V4_URL"] = gitlab.api_url();
  env["CI_PROJECT_ID"] = "42";
  env["CI_PROJECT_PATH"] = "group/project";
  env["CI_PROJECT_DIR"] = workdir.string();
  env["CI_COMMIT_REF_NAME"] = "main";
  env["CI_WORKLOAD_REF"] = "refs/workloads/" + ids.workload;
  env["CI_JOB_ID"] = ids.job_id;
  env["CI_JOB_URL"] = gitlab.url() + "/group/project/-/jobs/" + ids.job_id;
  env["GIT_AUTHOR_NAME"] = "agent-bot";
  env["GIT_AUTHOR_EMAIL"] = "agent-bot@example.com";
  env["GIT_COMMITTER_NAME"] = "Requester";
  env["GIT_COMMITTER_EMAIL"] = "requester@example.com";
  return env;
}

}  // namespace flowrun::testing
