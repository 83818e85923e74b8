#pragma once
// The run plan: every setting of `flowrun run` resolved once, before anything runs, from the command line, the
// FLOWRUN_* variables, the flow's `flowrun:` settings and GitLab's job environment (setting_table.h says which wins).
// The phases take their values from here and do not look at the environment for settings.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "flowrun/core/environment.h"
#include "flowrun/flow/flow.h"
#include "flowrun/gitlab/merge_request.h"
#include "flowrun/run/review_settings.h"
#include "flowrun/run/setting_table.h"

namespace flowrun::run {

// One resolved setting as `--dry-run` shows it.
struct ExplainedSetting {
  std::string name;
  std::string value;   // "" when unset
  std::string source;  // "--branch", "FLOWRUN_BRANCH", "flow.yaml:7:12 (flowrun.branch)", "CI_WORKLOAD_REF", "default"
};

struct RunPlan {
  // Time.
  std::chrono::seconds timeout{7200};
  std::string timeout_source;
  bool timeout_from_job = false;  // CI_JOB_TIMEOUT or the default: the job's clock started before flowrun did
  std::chrono::seconds kill_grace{10};

  // Outputs.
  std::filesystem::path artifacts_dir;
  std::filesystem::path log_file;
  std::filesystem::path report_file;
  std::optional<std::filesystem::path> junit_file;

  // Git.
  std::optional<std::string> branch;  // nullopt: `branch_error` says why nothing can be pushed
  std::string branch_error;
  bool branch_named = false;  // given by a flag, a FLOWRUN_* variable or the flow, not GitLab's workload ref
  std::string remote_url;     // "" when unknown; never with credentials
  bool push = true;
  bool push_on_failure = false;
  int push_attempts = 4;
  bool push_any_branch = false;
  std::vector<std::string> exclude;
  std::optional<std::string> commit_message_template;
  std::string reference;
  std::optional<std::string> author_name;
  std::optional<std::string> author_email;
  std::optional<std::string> committer_name;
  std::optional<std::string> committer_email;
  std::string co_author;    // "Name <email>" of the person who asked, from GitLab's variables; "" when unknown
  std::string base_commit;  // "" : HEAD when the commands start
  std::optional<std::string> default_branch;

  // GitLab.
  std::optional<std::string> gitlab_url;  // as given; turned into the API base by the report phase
  std::string ca_file;
  std::chrono::seconds gitlab_budget{120};
  gitlab::MergeRequestMode merge_request = gitlab::MergeRequestMode::automatic;
  std::optional<std::string> target_branch;
  bool target_branch_named = false;  // FLOWRUN_TARGET_BRANCH, not the branch the job ran on

  // The review loop and the checks before pushing.
  ReviewSettings review;

  std::vector<ExplainedSetting> explained;  // every row of the table, in its order
};

// A value that cannot be used, named with the source it came from.
struct PlanError {
  std::string message;
};

struct PlanResult {
  RunPlan plan;
  std::vector<PlanError> errors;  // not empty: the run must not start
};

// Resolves every row of the setting table. `workdir` anchors the default artifacts folder.
PlanResult resolve_run_plan(const RunSettings& flags, const flow::FlowrunSettings& flow_settings,
                            const Environment& job_env, const std::filesystem::path& workdir);

}  // namespace flowrun::run
