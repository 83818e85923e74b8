#pragma once
// Where the GitLab instance and the project are, read from whichever generation of GitLab's job environment is
// present: 18.3 and later 18.x (CI_SERVER_URL, CI_PROJECT_PATH, GIT_AUTHOR_*), or 19.x, which filters CI_SERVER_URL,
// CI_API_V4_URL and CI_COMMIT_* out of flow jobs and gives GITLAB_BASE_URL / DUO_WORKFLOW_GIT_HTTP_BASE_URL,
// CI_PROJECT_URL and DUO_WORKFLOW_GIT_* instead. A URL that says its scheme and path (http://, a relative URL root
// such as https://host/gitlab) always wins over a bare host name, which says neither.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/core/environment.h"

namespace flowrun::gitlab_environment {

// The instance's base URL, without a trailing slash (e.g. "http://127.0.0.1:8080/gitlab"); a bare host name becomes
// https://<host>. Nothing when no variable says where GitLab is.
std::optional<std::string> server_url(const Environment& env);

// The project's full path ("group/sub/project").
std::optional<std::string> project_path(const Environment& env);

// Variables holding the commit's author (the service account) and committer (the person who asked), in the order
// they are read: the git ones first, then 19.x's DUO_WORKFLOW_GIT_* ones.
const std::vector<std::string_view>& author_name_variables();
const std::vector<std::string_view>& author_email_variables();
const std::vector<std::string_view>& committer_name_variables();
const std::vector<std::string_view>& committer_email_variables();

}  // namespace flowrun::gitlab_environment
