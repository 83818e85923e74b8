// `flowrun privileges`: the privileges a GitLab Duo Agent Platform flow can be given
// (GET /ai/duo_workflows/workflows/agent_privileges), for `flowrun start` and the AI Catalog.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <string>

#include "flowrun/cli/commands.h"
#include "flowrun/core/environment.h"
#include "flowrun/core/exit_codes.h"
#include "flowrun/gitlab/connection.h"
#include "flowrun/gitlab/workflows.h"

namespace flowrun::cli {

namespace {

struct PrivilegesOptions {
  std::string gitlab_url, format = "text";
  bool verbose = false;
};

void print_table(const gitlab::AgentPrivileges& list) {
  std::size_t id_width = 2;
  std::size_t name_width = 4;
  for (const auto& privilege : list.privileges) {
    id_width = std::max(id_width, std::to_string(privilege.id).size());
    name_width = std::max(name_width, privilege.name.size());
  }
  std::cout << std::left << std::setw(static_cast<int>(id_width)) << "ID"
            << "  " << std::setw(static_cast<int>(name_width)) << "NAME"
            << "  DEFAULT  DESCRIPTION\n";
  for (const auto& privilege : list.privileges) {
    std::cout << std::left << std::setw(static_cast<int>(id_width)) << privilege.id << "  "
              << std::setw(static_cast<int>(name_width)) << privilege.name << "  " << std::setw(7)
              << (privilege.default_enabled ? "yes" : "no") << "  " << privilege.description << "\n";
  }
}

int run_privileges(const PrivilegesOptions& o) {
  const Environment env = Environment::from_process();
  gitlab::ClientOptions options;
  if (o.verbose) options.log = [](std::string_view line) { std::cerr << line << "\n"; };
  auto connection = gitlab::connect(env, o.gitlab_url, gitlab::integration_token_names(env), std::move(options));
  if (!connection.client) {
    std::cerr << "flowrun privileges: " << connection.error << "\n";
    return to_int(ExitCode::usage);
  }
  const gitlab::AgentPrivileges list = gitlab::list_agent_privileges(*connection.client);
  if (!list.error.empty()) {
    std::cerr << "flowrun privileges: " << list.error << "\n";
    return to_int(ExitCode::report_failed);
  }
  if (o.format == "json")
    std::cout << gitlab::agent_privileges_json(list) << "\n";
  else
    print_table(list);
  return to_int(ExitCode::ok);
}

}  // namespace

void add_privileges_command(CLI::App& app, int& exit_code) {
  static PrivilegesOptions o;
  auto* sub = app.add_subcommand(
      "privileges",
      "List the privileges a GitLab Duo Agent Platform flow can be given (GET /ai/duo_workflows/workflows/"
      "agent_privileges): id, name, whether it is on by default, and what it allows");
  sub->add_option("--gitlab-url", o.gitlab_url,
                  "GitLab URL or host (default: $CI_API_V4_URL, $CI_SERVER_URL, $GITLAB_HOST, $GITLAB_BASE_URL, ...)");
  sub->add_option("--format", o.format, "Output: text (a table, default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  sub->add_flag("-v,--verbose", o.verbose, "Print each API request, retry and token switch on stderr");
  sub->footer(
      "Token: $FLOWRUN_GITLAB_TOKEN, any $GITLAB_TOKEN_<INTEGRATION>, $GITLAB_TOKEN (personal access tokens with the "
      "api "
      "scope), then $AI_FLOW_GITLAB_TOKEN.\nExit codes: 0 listed, 2 bad arguments or no URL/token, 8 GitLab refused or "
      "failed.");
  sub->callback([&exit_code] { exit_code = run_privileges(o); });
}

}  // namespace flowrun::cli
