// The git phase: commit what the agent changed and push it to the workload branch (see git/).
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "flowrun/core/own_files.h"
#include "flowrun/core/text.h"
#include "flowrun/exec/descendants.h"
#include "flowrun/exec/reaper.h"
#include "flowrun/git/credentials.h"
#include "flowrun/git/git.h"
#include "flowrun/git/identity.h"
#include "flowrun/git/target.h"
#include "flowrun/log/logger.h"
#include "flowrun/run/commit_message.h"
#include "flowrun/run/git_plan.h"
#include "flowrun/run/review_loop.h"
#include "flowrun/run/run_context.h"

namespace flowrun::run {

namespace {

const char* status_name(char status) {
  switch (status) {
    case 'A':
      return "added";
    case 'D':
      return "deleted";
    case 'R':
      return "renamed";
    case 'T':
      return "typechange";
    default:
      return "modified";
  }
}

}  // namespace

std::optional<std::string> target_branch(const RunContext& context, std::string& error) {
  if (!context.plan.branch) error = context.plan.branch_error;
  return context.plan.branch;
}

git::GitOptions git_options(RunContext& context, const std::string& branch) {
  const flow::Flow& flow = *context.flow;
  const Environment& env = context.job_env;
  git::GitOptions options;
  options.workdir = context.workdir;
  options.base_commit = context.base_commit;
  options.branch = branch;
  options.remote_url = context.plan.remote_url;
  std::vector<std::string> variable_names;
  for (const auto& variable : flow.variables) variable_names.push_back(variable.value);
  options.credentials = git::credentials_from_environment(env, variable_names);
  const git::Identity author{context.plan.author_name.value_or(""), context.plan.author_email.value_or("")};
  const git::Identity committer{context.plan.committer_name.value_or(""), context.plan.committer_email.value_or("")};
  // Read inside the git phase's isolated step: the repository's config is the agent's and may block.
  options.resolve_identities = [author, committer, env, workdir = context.workdir] {
    return std::pair{git::resolve_author(author, env, workdir), git::resolve_committer(committer, env, workdir)};
  };

  std::map<std::string, std::string> values{
      {"flow", flow.name},
      {"event", env.get("AI_FLOW_EVENT").value_or("")},
      {"task", task_summary(env.get("AI_FLOW_INPUT").value_or(""))},
      {"reference", context.plan.reference},
      {"pipeline_url", env.get("CI_PIPELINE_URL").value_or("")},
      {"job_url", env.get("CI_JOB_URL").value_or("")},
      {"branch", branch},
  };
  if (values["task"].empty()) values["task"] = "changes by the agent";
  if (values["event"].empty()) values["event"] = "local run";
  std::string message_template = context.plan.commit_message_template.value_or(default_commit_message_template);
  options.message =
      context.mask(with_co_author(render_commit_message(message_template, values), context.plan.co_author));

  options.exclude_globs = context.plan.exclude;
  options.never_commit = {context.artifacts_dir, context.log_file, context.report_file};
  if (context.junit_file) options.never_commit.push_back(*context.junit_file);
  if (context.settings.note_file)
    options.never_commit.push_back(std::filesystem::absolute(*context.settings.note_file));
  options.artifacts_dir = context.artifacts_dir;
  options.ca_file = context.plan.ca_file;
  options.proxy_url = git::proxy_for_url(env, options.remote_url).value_or("");
  options.log = [](std::string_view line) { log::info(std::string(line)); };
  options.max_push_attempts = context.plan.push_attempts;

  bool push = context.plan.push;
  const bool push_on_failure = context.plan.push_on_failure;
  if (context.commands_outcome != CommandsOutcome::succeeded && !push_on_failure) {
    if (push)
      log::info("the commands did not succeed: committing locally without pushing (use --push-on-failure to push)");
    push = false;
  }
  if (push && options.remote_url.empty() && !context.is_ci()) {
    log::warn(
        "no remote to push to: set CI_SERVER_URL and CI_PROJECT_PATH (GitLab sets them) or pass --remote; "
        "committing locally only");
    push = false;
  }
  // In a CI job a missing or refused remote is a failure (commit kept, never "Succeeded"): see commit_and_push.
  options.push = push;
  if (context.phases_deadline) {
    options.deadline = *context.phases_deadline - context.report_share;
  }
  options.cancelled = context.cancelled;
  options.checks = push_check_rules(context);
  return options;
}

namespace {

// Why flowrun must not push to `branch`, or nullopt. The agent's work goes to its workload branch (or to the one
// named in the settings), never to the default branch, unless FLOWRUN_PUSH_ANY_BRANCH says so.
std::optional<std::string> refused_branch(const RunContext& context, const std::string& branch) {
  if (context.plan.push_any_branch) return std::nullopt;
  const auto& default_branch = context.plan.default_branch;
  const bool is_default = default_branch ? branch == *default_branch : (branch == "main" || branch == "master");
  if (is_default) {
    return branch +
           " is the project's default branch: flowrun does not push there (set FLOWRUN_PUSH_ANY_BRANCH=true "
           "to allow it)";
  }
  if (!context.plan.branch_named && !branch.starts_with("workloads/")) {
    return "CI_WORKLOAD_REF names " + branch +
           ", which is not a workload branch (workloads/...): flowrun does not push "
           "there (set FLOWRUN_PUSH_ANY_BRANCH=true, or name the branch with --branch or flowrun.branch)";
  }
  return std::nullopt;
}

}  // namespace

namespace {

void record_result(RunContext& context, const git::GitResult& result, const std::string& branch) {
  GitReport& report = context.report.git;
  report.outcome = result.outcome;
  report.base_commit = result.base_commit;
  report.commit = result.commit;
  report.branch = result.branch;
  report.remote = result.remote_display;
  report.patch_file = result.patch_file ? result.patch_file->string() : "";
  report.error = context.mask(result.error);
  report.push_attempts = result.push_attempts;
  report.followed_up = result.followed_up;
  report.follow_up_fallback = context.mask(result.follow_up_fallback);
  report.excluded = result.changes.excluded;
  report.submodules_changed = result.changes.submodules_changed;
  for (const auto& refusal : result.changes.refusals) {
    report.refusals.push_back(RefusalReport{std::string(git::to_string(refusal.kind)), refusal.path, refusal.line,
                                            context.mask(git::describe(refusal))});
  }
  for (const auto& file : result.changes.files) {
    report.files.push_back(ChangedFileReport{file.path, file.old_path, status_name(file.status), file.binary,
                                             file.additions, file.deletions});
  }
  // The git module logs each step; what is said here is what a person must know.
  switch (result.outcome) {
    case git::Outcome::pushed_to_new_branch:
      log::warn("the branch " + branch + " moved on the server: the commit went to the new branch " + result.branch);
      break;
    case git::Outcome::refused:
    case git::Outcome::push_failed:
    case git::Outcome::failed:
      log::error(report.error + (report.patch_file.empty()
                                     ? ""
                                     : " The work is kept in the local commit and in " + report.patch_file));
      break;
    default:
      break;
  }
}

// The git phase reads a snapshot of the work tree: nothing the commands started may still be writing it. A process
// that outlived the commands (one that keeps forking can slip past the end of the session) is killed here; its
// children are found again on each pass.
void stop_leftover_processes() {
  const auto give_up_at = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  bool said = false;
  for (auto left = exec::live_descendants(); !left.empty(); left = exec::live_descendants()) {
    if (!said) {
      log::warn(std::to_string(left.size()) +
                " process(es) started by the commands still ran after them: stopped "
                "before reading the work tree");
      said = true;
    }
    for (const pid_t pid : left) ::kill(pid, SIGKILL);
    exec::reap_orphans();
    if (std::chrono::steady_clock::now() > give_up_at) {
      log::warn("processes started by the commands keep appearing; going on with the git phase");
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the kernel deliver the kills
  }
}

}  // namespace

void run_git_phase(RunContext& context) {
  GitReport& report = context.report.git;
  context.section_start("git", "Git: commit and push the agent's changes");
  report.attempted = true;
  stop_leftover_processes();
  // The agent may have put a link or a file where flowrun's folder was: the patch goes into a real folder.
  if (auto problem = ensure_own_folder(context.artifacts_dir); !problem.empty()) log::warn(problem);
  std::string error;
  auto branch = target_branch(context, error);
  if (branch) {
    if (auto refusal = refused_branch(context, *branch)) {
      error = *refusal;
      branch.reset();
    }
  }
  git::GitOptions options = git_options(context, branch.value_or(""));
  if (!branch && options.push) {
    // Nowhere to push: the work is still committed and kept as a patch. In a CI job that is a failure the run
    // reports; on a laptop, where no branch is the usual case, the local commit is the result.
    options.push = false;
    git::GitResult result = git::commit_and_push(options);
    if (!context.is_ci()) log::warn("not pushed: " + error + ". The changes are committed locally.");
    if (result.outcome == git::Outcome::committed && context.is_ci()) {
      result.outcome = git::Outcome::push_failed;
      result.error = "not pushed: " + error + "; the commit " + result.commit.substr(0, 12) +
                     (result.patch_file ? " and " + result.patch_file->string() : "") + " keep the changes";
    }
    record_result(context, result, "");
    context.section_end("git");
    return;
  }
  std::string why_not_follow_up;
  if (options.push) options.follow_up = follow_up_target(context, why_not_follow_up);
  git::GitResult result = git::commit_and_push(options);
  if (result.follow_up_fallback.empty()) result.follow_up_fallback = why_not_follow_up;
  record_result(context, result, branch.value_or(""));
  context.section_end("git");
}

}  // namespace flowrun::run
