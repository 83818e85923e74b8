#include "flowrun/run/api_client.h"

#include <algorithm>

#include "flowrun/gitlab/api_endpoint.h"
#include "flowrun/gitlab/api_token.h"
#include "flowrun/log/logger.h"

namespace flowrun::run {

std::optional<gitlab::Client> make_api_client(const RunContext& context) {
  const Environment& env = context.job_env;
  if (context.settings.no_report) return std::nullopt;
  const std::string url_override = context.settings.gitlab_url.value_or(env.get("FLOWRUN_GITLAB_URL").value_or(""));
  auto api_base = gitlab::api_base_url(env, url_override);
  std::vector<std::string> variable_names;
  for (const auto& variable : context.flow->variables) variable_names.push_back(variable.value);
  auto tokens = gitlab::api_tokens_from_environment(env, variable_names);
  if (!api_base || tokens.empty()) return std::nullopt;
  gitlab::ClientOptions options = gitlab::client_options_from_environment(env);
  // FLOWRUN_GITLAB_BUDGET: seconds each API call may take with its retries (default 120).
  if (auto budget = env.non_empty("FLOWRUN_GITLAB_BUDGET")) {
    try {
      options.budget = std::chrono::seconds(std::max(1L, std::stol(*budget)));
    } catch (const std::exception&) {
      log::warn("FLOWRUN_GITLAB_BUDGET must be a number of seconds; using the default");
    }
  }
  options.log = [&context](std::string_view line) { log::info(context.mask(std::string(line))); };
  options.deadline = context.phases_deadline;
  return gitlab::Client(*api_base, tokens, options);
}

}  // namespace flowrun::run
