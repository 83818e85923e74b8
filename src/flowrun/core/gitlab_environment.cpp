#include "flowrun/core/gitlab_environment.h"

#include "flowrun/core/text.h"

namespace flowrun::gitlab_environment {
namespace {

std::string_view without_trailing_slashes(std::string_view text) {
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  return text;
}

bool has_scheme(std::string_view value) { return value.find("://") != std::string_view::npos; }

// CI_PROJECT_URL less its project path: the instance's URL with its scheme and relative URL root.
std::optional<std::string> server_from_project_url(const Environment& env) {
  const auto url = env.non_empty("CI_PROJECT_URL");
  const auto project = project_path(env);
  if (!url || !project || !has_scheme(*url)) return std::nullopt;
  const std::string_view trimmed = without_trailing_slashes(text::trim(*url));
  const std::string suffix = "/" + *project;
  if (!trimmed.ends_with(suffix)) return std::nullopt;
  return std::string(trimmed.substr(0, trimmed.size() - suffix.size()));
}

}  // namespace

std::optional<std::string> server_url(const Environment& env) {
  for (const char* name :
       {"CI_SERVER_URL", "GITLAB_BASE_URL", "DUO_WORKFLOW_GIT_HTTP_BASE_URL", "GITLAB_INSTANCE_URL"}) {
    if (auto value = env.non_empty(name); value && has_scheme(*value)) {
      return std::string(without_trailing_slashes(text::trim(*value)));
    }
  }
  if (auto from_project = server_from_project_url(env)) return from_project;
  for (const char* name : {"CI_SERVER_HOST", "AI_FLOW_GITLAB_HOSTNAME", "GITLAB_HOST", "GITLAB_BASE_URL"}) {
    auto value = env.non_empty(name);
    if (!value) continue;
    const std::string_view host = without_trailing_slashes(text::trim(*value));
    if (host.empty()) continue;
    return has_scheme(host) ? std::string(host) : "https://" + std::string(host);
  }
  return std::nullopt;
}

std::optional<std::string> project_path(const Environment& env) {
  if (auto path = env.first_non_empty({"CI_PROJECT_PATH", "GITLAB_PROJECT_PATH", "AI_FLOW_PROJECT_PATH"})) {
    std::string_view value = text::trim(path->second);
    while (!value.empty() && value.front() == '/') value.remove_prefix(1);
    value = without_trailing_slashes(value);
    if (!value.empty()) return std::string(value);
  }
  return std::nullopt;
}

const std::vector<std::string_view>& author_name_variables() {
  static const std::vector<std::string_view> names{"GIT_AUTHOR_NAME", "DUO_WORKFLOW_GIT_AUTHOR_USER_NAME"};
  return names;
}
const std::vector<std::string_view>& author_email_variables() {
  static const std::vector<std::string_view> names{"GIT_AUTHOR_EMAIL", "DUO_WORKFLOW_GIT_AUTHOR_EMAIL"};
  return names;
}
const std::vector<std::string_view>& committer_name_variables() {
  static const std::vector<std::string_view> names{"GIT_COMMITTER_NAME", "DUO_WORKFLOW_GIT_USER_NAME"};
  return names;
}
const std::vector<std::string_view>& committer_email_variables() {
  static const std::vector<std::string_view> names{"GIT_COMMITTER_EMAIL", "DUO_WORKFLOW_GIT_USER_EMAIL"};
  return names;
}

}  // namespace flowrun::gitlab_environment
