// The report phase: answer in the thread that asked (or wherever the run can), and open the merge request.
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <random>

#include "flowrun/agent/agent_result.h"
#include "flowrun/core/own_files.h"
#include "flowrun/gitlab/agent_answer.h"
#include "flowrun/gitlab/api_endpoint.h"
#include "flowrun/gitlab/client.h"
#include "flowrun/gitlab/merge_request.h"
#include "flowrun/gitlab/note.h"
#include "flowrun/gitlab/reporter.h"
#include "flowrun/gitlab/target.h"
#include "flowrun/log/logger.h"
#include "flowrun/run/api_client.h"
#include "flowrun/run/review_loop.h"
#include "flowrun/run/run_context.h"

namespace flowrun::run {

namespace {

// GitLab takes notes of up to 1,000,000 characters; a patch up to this size leaves room for the rest (the file list
// is cut at 200 entries, and render_note drops the patch if the note would still be too long). The job's files go
// away with the job, so the note is where an unpushed patch survives.
constexpr std::uintmax_t kPatchInNoteBytes = 512 * 1024;
// The note's code block cuts longer lines, which would break the patch: such a patch stays out of the note.
constexpr std::size_t kLongestPatchLine = 50'000;

bool has_longer_line(const std::string& text, std::size_t limit) {
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    if (end - start > limit) return true;
    start = end + 1;
  }
  return false;
}

gitlab::NoteModel::Outcome note_outcome(RunOutcome outcome) {
  using Outcome = gitlab::NoteModel::Outcome;
  switch (outcome) {
    case RunOutcome::succeeded:
    case RunOutcome::report_failed:  // known only after the note is written
    case RunOutcome::dry_run:
      return Outcome::succeeded;
    case RunOutcome::no_changes:
      return Outcome::no_changes;
    case RunOutcome::command_failed:
      return Outcome::command_failed;
    case RunOutcome::timed_out:
      return Outcome::timed_out;
    case RunOutcome::cancelled:
      return Outcome::cancelled;
    case RunOutcome::invalid_arguments:
    case RunOutcome::invalid_flow:
    case RunOutcome::invalid_settings:
      return Outcome::invalid_flow;
    case RunOutcome::missing_variables:
      return Outcome::missing_variables;
    case RunOutcome::git_failed:
      return Outcome::git_failed;
    case RunOutcome::push_refused:
      return Outcome::push_refused;
    case RunOutcome::stopped_early:
      return Outcome::stopped_early;
    case RunOutcome::internal_error:
      return Outcome::internal_error;
  }
  return Outcome::internal_error;
}

gitlab::NoteModel note_model(const RunContext& context) {
  const RunReport& report = context.report;
  gitlab::NoteModel model;
  model.outcome = note_outcome(report.outcome);
  model.flow_name = report.flow_name;
  model.duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - context.started);
  if (was_pushed(report.git.outcome)) model.branch = report.git.branch;
  model.commit_sha = report.git.commit;
  for (const auto& file : report.git.files) {
    model.files.push_back({file.path, file.status, file.additions, file.deletions});
  }
  model.merge_request_url = report.api.merge_request_url;
  model.merge_request_existing = report.api.merge_request_existing;
  for (const auto& command : report.commands) {
    if (!report.failed_command || command.index != *report.failed_command) continue;
    gitlab::FailingCommand failing;
    failing.index = static_cast<int>(command.index) + 1;
    failing.first_line = command.first_line;
    if (command.signal != 0) {
      failing.signal = command.signal;
    } else {
      failing.exit_code = command.exit_code;
    }
    model.failing_command = failing;
  }
  // On success too: for a question ("summarise this issue") the agent's last words are the answer.
  model.output_tail = report.output_tail;
  model.job_url = context.job_env.get("CI_JOB_URL").value_or("");
  model.pipeline_url = context.job_env.get("CI_PIPELINE_URL").value_or("");
  if (git_failed(report.git.outcome)) model.push_error = report.git.error;
  if (!report.git.patch_file.empty() && !was_pushed(report.git.outcome)) {
    model.patch_artifact = std::filesystem::path(report.git.patch_file).filename().string();
    // Small enough to read in a note: carry the work itself, since the job's files go away with the job.
    std::error_code ec;
    auto size = std::filesystem::file_size(report.git.patch_file, ec);
    if (!ec && size <= kPatchInNoteBytes) {
      std::ifstream in(report.git.patch_file, std::ios::binary);
      std::string patch((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!has_longer_line(patch, kLongestPatchLine)) model.patch_text = context.mask(patch);
    }
  }
  model.missing_variables = report.missing_variables;
  for (const auto& refusal : report.git.refusals) model.refusals.push_back(context.mask(refusal.description));
  for (const auto& error : report.internal_errors) model.notes.push_back("flowrun hit an internal error in " + error);
  if (report.agent) {
    model.agent_message = context.mask(report.agent->final_message);
    model.agent_usage = context.mask(agent::usage_summary(report.agent->usage));
    model.stopped_early = context.mask(report.agent->stopped_early);
  }
  review_loop_notes(report.git, model);
  if (report.git.outcome == git::Outcome::pushed_to_new_branch) {
    model.notes.push_back(
        "The workload branch moved on the server while the agent worked, so the changes went to "
        "a new branch next to it.");
  }
  return model;
}

// One marker per job, so a retried job edits its note instead of adding another.
std::string run_marker(const Environment& env) {
  if (auto job = env.non_empty("CI_JOB_ID")) return "job:" + *job;
  if (auto pipeline = env.non_empty("CI_PIPELINE_ID")) return "pipeline:" + *pipeline;
  std::random_device random;
  return "local:" + std::to_string(random()) + std::to_string(::getpid());
}

// The branch the merge request goes into: the branch the job ran on, unless that is the workload ref itself.
std::string merge_request_target(const RunContext& context, const gitlab::ContextView& view,
                                 const std::string& source) {
  // A follow-up that could not go onto the merge request that asked goes into its branch, unless the target is named.
  const bool into_merge_request =
      !context.report.git.follow_up_fallback.empty() && !view.source_branch.empty() && view.source_branch != source;
  if (const auto& target = context.plan.target_branch;
      target && *target != source && (!into_merge_request || context.plan.target_branch_named)) {
    return *target;
  }
  if (!view.source_branch.empty() && view.source_branch != source) return view.source_branch;
  return "";  // the project's default branch
}

bool wants_merge_request(const RunContext& context) {
  if (!was_pushed(context.report.git.outcome)) return false;
  if (context.report.git.followed_up) return false;  // the commit is on the merge request that asked
  const gitlab::MergeRequestMode mode = context.plan.merge_request;
  if (mode == gitlab::MergeRequestMode::never) return false;
  if (mode == gitlab::MergeRequestMode::automatic) return context.commands_outcome == CommandsOutcome::succeeded;
  return true;
}

void write_note_file(RunContext& context, const std::string& body) {
  if (!context.settings.note_file) return;
  std::filesystem::path path = std::filesystem::absolute(*context.settings.note_file);
  if (auto error = write_own_file(path, body); error.empty()) {
    context.report.api.note_file = path.string();
  } else {
    log::error("could not write the note: " + error);
  }
}

}  // namespace

void run_report_phase(RunContext& context) {
  ApiReport& api = context.report.api;
  const Environment& env = context.job_env;
  context.section_start("report", "Report: the answer in GitLab");

  std::string context_json = env.get("AI_FLOW_CONTEXT").value_or("");
  gitlab::ContextView view = gitlab::parse_context(context_json);
  gitlab::NoteableOverride override;
  override.issue_iid = context.settings.issue_iid;
  override.merge_request_iid = context.settings.merge_request_iid;
  auto noteable = gitlab::resolve_noteable(context_json, env.get("AI_FLOW_EVENT").value_or(""), env, override);
  const auto& api_base = context.plan.gitlab_url;
  if (noteable) {
    api.target = std::string(gitlab::kind_name(noteable->kind)) + " " +
                 (noteable->kind == gitlab::Noteable::Kind::epic ? noteable->group : noteable->project) +
                 gitlab::short_reference(noteable->kind, noteable->iid) +
                 (noteable->discussion_id ? " (thread " + noteable->discussion_id->substr(0, 8) + ")" : "");
  }

  std::string why_not_posted;
  if (context.settings.no_report) {
    why_not_posted = "--no-report";
  } else if (!api_base) {
    why_not_posted = "no GitLab URL (CI_API_V4_URL, CI_SERVER_URL, GITLAB_BASE_URL, CI_PROJECT_URL or --gitlab-url)";
  } else if (!noteable) {
    why_not_posted =
        "nothing to answer on (no issue, merge request or epic in AI_FLOW_CONTEXT; --issue/--mr for a local run)";
  }
  std::optional<gitlab::Client> client = make_api_client(context);

  // The merge request first, so the note can link it.
  if (wants_merge_request(context)) {
    std::string project = noteable && !noteable->project.empty()
                              ? noteable->project
                              : env.get("CI_PROJECT_ID").value_or(env.get("CI_PROJECT_PATH").value_or(""));
    if (!client) {
      log::info("no merge request opened: " +
                (why_not_posted.empty() ? std::string("no GitLab token") : why_not_posted));
    } else if (project.empty()) {
      log::warn("no merge request opened: the project is unknown (CI_PROJECT_ID / CI_PROJECT_PATH)");
    } else {
      const std::string& source = context.report.git.branch;
      auto text = gitlab::merge_request_text(view, env.get("AI_FLOW_INPUT").value_or(""), context.report.flow_name,
                                             env.get("CI_JOB_URL").value_or(""), /*close_issue=*/true);
      text = gitlab::merge_request_text_from_answer(
          text, context.report.agent ? context.mask(context.report.agent->final_message) : "",
          env.get("GITLAB_USER_LOGIN").value_or(""), gitlab::web_base_url(*api_base),
          env.get("CI_JOB_URL").value_or(""),
          context.report.agent ? context.mask(context.report.agent->stopped_early) : "");
      auto result = gitlab::ensure_merge_request(*client, project, source, merge_request_target(context, view, source),
                                                 context.mask(text.title), context.mask(text.description),
                                                 gitlab::MergeRequestMode::automatic, merge_request_details(context));
      if (result.ok()) {
        api.merge_request_url = result.url;
        api.merge_request_existing = result.existing;
        log::info(std::string(result.existing ? "merge request already open: " : "merge request opened: ") +
                  result.url);
      } else {
        api.error = context.mask(result.error);
        log::error("could not open the merge request: " + api.error);
      }
    }
  }

  std::string marker = run_marker(env);
  std::string body = context.mask(gitlab::render_note(note_model(context), marker));
  write_note_file(context, body);
  context.say(body);

  if (!why_not_posted.empty()) {
    log::info("the note was not posted (" + why_not_posted + "); it is in the log above" +
              (api.note_file.empty() ? "" : " and in " + api.note_file));
    context.section_end("report");
    return;
  }
  api.attempted = true;
  if (!client) {
    api.error =
        "no token to post the note with: add the service account's personal access token as a CI/CD "
        "variable GITLAB_TOKEN_<AGENT> and list it in the flow's variables (or set GITLAB_TOKEN)";
    log::error(api.error);
    context.section_end("report");
    return;
  }
  auto posted = gitlab::post_note(*client, *noteable, body, marker);
  api.posted = posted.posted;
  api.note_url = posted.url;
  if (posted.posted) {
    log::info(std::string(posted.updated ? "note updated" : "note posted") + " on " + api.target +
              (posted.url.empty() ? "" : ": " + posted.url));
  } else {
    api.error = context.mask(posted.error);
    log::error("could not post the note on " + api.target + ": " + api.error);
  }
  context.section_end("report");
}

}  // namespace flowrun::run
