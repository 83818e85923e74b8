#include "flowrun/run/api_client.h"

#include "flowrun/gitlab/api_token.h"
#include "flowrun/log/logger.h"

namespace flowrun::run {

std::optional<gitlab::Client> make_api_client(const RunContext& context) {
  if (context.settings.no_report || !context.plan.gitlab_url) return std::nullopt;
  std::vector<std::string> variable_names;
  for (const auto& variable : context.flow->variables) variable_names.push_back(variable.value);
  auto tokens = gitlab::api_tokens_from_environment(context.job_env, variable_names);
  if (tokens.empty()) return std::nullopt;
  gitlab::ClientOptions options;
  options.ca_file = context.plan.ca_file;
  options.budget = context.plan.gitlab_budget;
  options.log = [&context](std::string_view line) { log::info(context.mask(std::string(line))); };
  options.deadline = context.phases_deadline;
  return gitlab::Client(*context.plan.gitlab_url, tokens, options);
}

}  // namespace flowrun::run
