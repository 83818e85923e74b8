// `flowrun run`: the flow's whole job — preflight, commands, git, report.
#include <CLI/CLI.hpp>

#include "flowrun/cli/commands.h"
#include "flowrun/core/environment.h"
#include "flowrun/core/exit_codes.h"
#include "flowrun/run/orchestrator.h"
#include "flowrun/run/settings.h"

namespace flowrun::cli {

namespace {

// CLI11 keeps pointers to these until parsing is over, so they live as long as the program.
struct RunOptions {
  run::RunSettings settings;
  std::string input, input_file, context_file, event, log_file, report_file, junit_file, note_file, artifacts_dir;
  std::string workdir, branch, remote, gitlab_url, merge_request_mode;
  std::vector<std::string> env_files;
  long long timeout = 0, kill_grace = 0, issue = 0, merge_request = 0;
  bool no_push = false, push_on_failure = false;
};

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  static RunOptions o;
  auto* sub = app.add_subcommand("run",
                                 "Run a flow as its GitLab CI job does: check its variables, run its commands in one "
                                 "bash session, commit and push "
                                 "what changed to the workload branch, and post the answer in the thread that asked");
  sub->add_option("flow", o.settings.flow,
                  "A flow file, or a flow name under .gitlab/duo/flows/ (default: the only flow there)");
  sub->add_flag("--dry-run", o.settings.dry_run,
                "Validate, check variables, and print the script, the git plan and the API requests; run, write and "
                "send nothing");
  sub->add_option("-C,--workdir", o.workdir,
                  "Run the commands here (default: $CI_PROJECT_DIR, else the current folder)");
  auto* group = sub->add_option_group("Local stand-ins", "Rehearse a flow on a laptop with the job's variables");
  group->add_option("--input", o.input, "Text of the task: sets AI_FLOW_INPUT");
  group->add_option("--input-file", o.input_file, "Read AI_FLOW_INPUT from this file")->check(CLI::ExistingFile);
  group->add_option("--context-file", o.context_file, "Read AI_FLOW_CONTEXT (JSON of the issue or MR) from this file")
      ->check(CLI::ExistingFile);
  group->add_option("--event", o.event, "Sets AI_FLOW_EVENT (mention, assign, ...)");
  group
      ->add_option("--env-file", o.env_files,
                   "Read variables from a dotenv file (NAME=value lines); repeatable, later files win, and they win "
                   "over the environment")
      ->check(CLI::ExistingFile);
  sub->add_option("--timeout", o.timeout,
                  "Seconds for the whole run (default: $FLOWRUN_TIMEOUT, flowrun.timeout, $CI_JOB_TIMEOUT, else 7200); "
                  "a reserve of 5% (30-300 s) is kept for git and the report")
      ->check(CLI::PositiveNumber);
  sub->add_option("--kill-grace", o.kill_grace,
                  "Seconds between SIGTERM and SIGKILL when a timeout or cancel stops the commands (default 10; what "
                  "the commands leave running after bash exits gets half a second)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--log-file", o.log_file, "Also write the (masked) output here (default: .flowrun/flowrun.log)");
  sub->add_option("--report", o.report_file, "Write the run's JSON report here (default: .flowrun/report.json)");
  sub->add_option("--junit", o.junit_file, "Write a JUnit XML report with one test case per command");
  sub->add_option("--note-file", o.note_file, "Also write the note (Markdown) here");
  sub->add_option("--artifacts-dir", o.artifacts_dir,
                  "Folder for the log, report and patch (default: .flowrun in the work tree; never committed)");
  sub->add_option("--branch", o.branch, "Push to this branch (default: derived from $CI_WORKLOAD_REF)");
  sub->add_option("--remote", o.remote,
                  "Push to this URL (default: $CI_SERVER_URL/$CI_PROJECT_PATH.git); credentials never go in it");
  sub->add_option("--exclude", o.settings.exclude, "Never commit paths matching this glob; repeatable");
  sub->add_flag("--no-push", o.no_push, "Commit locally and write the patch, but do not push");
  sub->add_flag("--push-on-failure", o.push_on_failure,
                "Also push when the commands failed, timed out or were cancelled");
  sub->add_option("--gitlab-url", o.gitlab_url,
                  "GitLab base URL for the API (default: $CI_API_V4_URL, $CI_SERVER_URL, ...)");
  sub->add_option("--issue", o.issue, "Answer on this issue (IID) of the project")->check(CLI::PositiveNumber);
  sub->add_option("--mr", o.merge_request, "Answer on this merge request (IID) of the project")
      ->check(CLI::PositiveNumber);
  sub->add_option("--merge-request", o.merge_request_mode,
                  "Open a merge request for pushed changes: auto (when changes were pushed and none is open), always "
                  "(also for a failed run's pushed work), never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  sub->add_flag("--no-report", o.settings.no_report, "Do not post to GitLab; the note is still logged");
  sub->footer(
      "Exit codes: 0 success, 1 a command failed, 2 bad arguments or a setting that cannot be used, 3 invalid flow, "
      "4 missing variables, 5 timed out, 6 cancelled, 7 git failed, 8 report failed, 9 the agent stopped early, "
      "10 the checks before pushing refused the changes, 70 internal error. Every setting and where it comes from: "
      "flowrun settings.");

  sub->callback([&exit_code] {
    run::RunSettings& s = o.settings;
    if (!o.input.empty()) s.input = o.input;
    if (!o.input_file.empty()) s.input_file = o.input_file;
    if (!o.context_file.empty()) s.context_file = o.context_file;
    if (!o.event.empty()) s.event = o.event;
    for (const auto& file : o.env_files) s.env_files.emplace_back(file);
    if (!o.workdir.empty()) s.workdir = o.workdir;
    if (!o.log_file.empty()) s.log_file = o.log_file;
    if (!o.report_file.empty()) s.report_file = o.report_file;
    if (!o.junit_file.empty()) s.junit_file = o.junit_file;
    if (!o.note_file.empty()) s.note_file = o.note_file;
    if (!o.artifacts_dir.empty()) s.artifacts_dir = o.artifacts_dir;
    if (o.timeout > 0) s.timeout = std::chrono::seconds(o.timeout);
    if (o.kill_grace > 0) s.kill_grace = std::chrono::seconds(o.kill_grace);
    if (!o.branch.empty()) s.branch = o.branch;
    if (!o.remote.empty()) s.remote_url = o.remote;
    if (o.no_push) s.push = false;
    if (o.push_on_failure) s.push_on_failure = true;
    if (!o.gitlab_url.empty()) s.gitlab_url = o.gitlab_url;
    if (o.issue > 0) s.issue_iid = o.issue;
    if (o.merge_request > 0) s.merge_request_iid = o.merge_request;
    if (!o.merge_request_mode.empty()) s.merge_request_mode = o.merge_request_mode;
    exit_code = run::run_flow(s, Environment::from_process());
  });
}

}  // namespace flowrun::cli
