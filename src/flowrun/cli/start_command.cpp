// `flowrun start`: start a GitLab Duo Agent Platform flow through the flows API (POST /ai/duo_workflows/workflows).
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "flowrun/cli/commands.h"
#include "flowrun/core/environment.h"
#include "flowrun/core/exit_codes.h"
#include "flowrun/gitlab/connection.h"
#include "flowrun/gitlab/workflows.h"

namespace flowrun::cli {

namespace {

// CLI11 keeps pointers to these until parsing is over, so they live as long as the program.
struct StartOptions {
  std::string goal, project, definition, source_branch, environment, gitlab_url, format = "text";
  long long consumer_id = 0, issue = 0, merge_request = 0;
  bool no_start = false, verbose = false;
};

int run_start(const StartOptions& o) {
  const Environment env = Environment::from_process();
  gitlab::StartWorkflowRequest request;
  request.goal = o.goal;
  request.project = o.project;
  if (request.project.empty()) {
    if (auto found = env.first_non_empty({"CI_PROJECT_ID", "CI_PROJECT_PATH"})) request.project = found->second;
  }
  if (request.project.empty()) {
    std::cerr
        << "flowrun start: no project: pass --project ID|PATH (or run inside a CI job, where CI_PROJECT_ID is set)\n";
    return to_int(ExitCode::usage);
  }
  if (!o.definition.empty()) request.definition = o.definition;
  if (o.consumer_id > 0) request.consumer_id = o.consumer_id;
  if (!o.source_branch.empty()) request.source_branch = o.source_branch;
  if (o.issue > 0) request.issue_iid = o.issue;
  if (o.merge_request > 0) request.merge_request_iid = o.merge_request;
  if (!o.environment.empty()) request.environment = o.environment;
  request.start = !o.no_start;

  gitlab::ClientOptions options;
  if (o.verbose) options.log = [](std::string_view line) { std::cerr << line << "\n"; };
  auto connection = gitlab::connect(env, o.gitlab_url, gitlab::integration_token_names(env), std::move(options));
  if (!connection.client) {
    std::cerr << "flowrun start: " << connection.error << "\n";
    return to_int(ExitCode::usage);
  }

  const gitlab::StartedWorkflow started = gitlab::start_workflow(*connection.client, request);
  if (!started.error.empty()) {
    std::cerr << "flowrun start: " << started.error << "\n";
    return to_int(ExitCode::report_failed);
  }
  if (o.format == "json") {
    std::cout << gitlab::started_workflow_json(started) << "\n";
    return to_int(ExitCode::ok);
  }
  std::cout << (request.start ? "Started" : "Created") << " flow " << started.id;
  if (!started.workflow_definition.empty()) std::cout << " (" << started.workflow_definition << ")";
  std::cout << "\nStatus:   " << (started.status.empty() ? "unknown" : started.status) << "\n";
  if (!started.workload_id.empty() || !started.workload_message.empty()) {
    std::cout << "Workload: " << started.workload_id;
    if (!started.workload_message.empty())
      std::cout << (started.workload_id.empty() ? "" : " - ") << started.workload_message;
    std::cout << "\n";
  }
  if (!started.session_url.empty()) std::cout << "Session:  " << started.session_url << "\n";
  return to_int(ExitCode::ok);
}

}  // namespace

void add_start_command(CLI::App& app, int& exit_code) {
  static StartOptions o;
  auto* sub = app.add_subcommand("start",
                                 "Start a GitLab Duo Agent Platform flow through the flows API (POST "
                                 "/ai/duo_workflows/workflows) and print its id, "
                                 "status, workload message and a link to the session");
  sub->add_option("--goal", o.goal, "What the agent should do, e.g. \"Fix the failing pipeline\"")->required();
  sub->add_option("--project", o.project, "Project id or full path (default: $CI_PROJECT_ID, then $CI_PROJECT_PATH)");
  auto* definition = sub->add_option("--definition", o.definition, "Built-in flow type, e.g. developer/v1");
  auto* consumer = sub->add_option("--consumer-id", o.consumer_id,
                                   "AI Catalog item consumer id of a flow enabled for the project (instead of "
                                   "--definition)")
                       ->check(CLI::PositiveNumber);
  definition->excludes(consumer);
  sub->add_option("--source-branch", o.source_branch,
                  "Branch the flow's pipeline runs on (default: the default branch)");
  sub->add_flag("--no-start", o.no_start, "Create the flow without starting it (start_workflow: false)");
  auto* issue = sub->add_option("--issue", o.issue, "Attach the flow to this issue (IID)")->check(CLI::PositiveNumber);
  auto* merge_request =
      sub->add_option("--merge-request", o.merge_request, "Attach the flow to this merge request (IID)")
          ->check(CLI::PositiveNumber);
  issue->excludes(merge_request);
  sub->add_option("--environment", o.environment, "Where the flow runs: ide, web, chat_partial, chat or ambient")
      ->check(CLI::IsMember(gitlab::workflow_environments()));
  sub->add_option("--gitlab-url", o.gitlab_url,
                  "GitLab URL or host (default: $CI_API_V4_URL, $CI_SERVER_URL, $GITLAB_HOST, $GITLAB_BASE_URL, ...)");
  sub->add_option("--format", o.format, "Output: text (default) or json")->check(CLI::IsMember({"text", "json"}));
  sub->add_flag("-v,--verbose", o.verbose, "Print each API request, retry and token switch on stderr");
  sub->footer(
      "Token: $FLOWRUN_GITLAB_TOKEN, any $GITLAB_TOKEN_<INTEGRATION>, $GITLAB_TOKEN (personal access tokens with the "
      "api "
      "scope), then $AI_FLOW_GITLAB_TOKEN.\nExit codes: 0 started, 2 bad arguments or no URL/token, 8 GitLab refused "
      "or "
      "failed.");
  sub->callback([&exit_code] { exit_code = run_start(o); });
}

}  // namespace flowrun::cli
