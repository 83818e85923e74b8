#include "flowrun/git/credentials.h"

#include <algorithm>

namespace flowrun::git {
namespace {

constexpr std::string_view kIntegrationTokenPrefix = "GITLAB_TOKEN_";

void add_from(const Environment& env, std::string_view variable, std::string username,
              std::vector<Credential>& credentials) {
  auto token = env.non_empty(variable);
  if (!token) return;
  const bool already_listed =
      std::any_of(credentials.begin(), credentials.end(), [&](const Credential& c) { return c.token == *token; });
  if (already_listed) return;
  credentials.push_back(Credential{std::move(username), std::move(*token), std::string(variable)});
}

}  // namespace

std::vector<Credential> credentials_from_environment(const Environment& env,
                                                     const std::vector<std::string>& flow_variables) {
  std::vector<Credential> credentials;
  add_from(env, "FLOWRUN_GIT_TOKEN", "gitlab-ci-token", credentials);
  for (const auto& name : flow_variables) {
    if (name.size() > kIntegrationTokenPrefix.size() && name.starts_with(kIntegrationTokenPrefix)) {
      add_from(env, name, "gitlab-ci-token", credentials);
    }
  }
  // GitLab 19 gives a flow's job the pair to push with, user and password.
  add_from(env, "DUO_WORKFLOW_GIT_HTTP_PASSWORD", env.non_empty("DUO_WORKFLOW_GIT_HTTP_USER").value_or("oauth2"),
           credentials);
  add_from(env, "GITLAB_TOKEN", "gitlab-ci-token", credentials);
  add_from(env, "AI_FLOW_GITLAB_TOKEN", "oauth2", credentials);
  add_from(env, "CI_JOB_TOKEN", "gitlab-ci-token", credentials);
  return credentials;
}

std::string describe_sources(const std::vector<Credential>& credentials) {
  std::string text;
  for (const auto& credential : credentials) {
    if (!text.empty()) text += ", ";
    text += credential.source;
  }
  return text;
}

}  // namespace flowrun::git
