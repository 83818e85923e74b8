#pragma once
// Where the commit goes: the branch name derived from CI_WORKLOAD_REF, the remote URL (never with credentials in
// it) and the proxy to reach it.
#include <optional>
#include <string>
#include <string_view>

#include "flowrun/core/environment.h"

namespace flowrun::git {

// The branch to push to for a CI_WORKLOAD_REF value:
//   "workloads/<hex>"       (GitLab 18.3: a real branch)                -> "workloads/<hex>"
//   "refs/workloads/<hex>"  (later GitLab: an internal ref, no branch)  -> "workloads/<hex>"
//   "refs/heads/<name>"                                                 -> "<name>"
// Anything that would not make a valid branch name, has a character other than letters, digits and "-_./@+", or is
// in another refs/ namespace -> nullopt.
std::optional<std::string> branch_for_workload_ref(std::string_view ci_workload_ref);

// True when "refs/heads/<name>" passes `git check-ref-format` and the name is usable as a branch: it does not start
// with '-' (it would read as an option) and is not "HEAD".
bool is_valid_branch_name(std::string_view name);

// The HTTPS URL of the project's repository, without credentials:
//   override_url when not empty; else CI_SERVER_URL (may carry a port and a sub-path), else the first of
//   CI_SERVER_HOST, AI_FLOW_GITLAB_HOSTNAME, GITLAB_HOST (host[:port], https assumed unless a scheme is given);
//   then "/" + CI_PROJECT_PATH (else AI_FLOW_PROJECT_PATH) + ".git".
// Any user:password@ in a given URL is removed. nullopt when there is no host, or no project path or one that is not
// a GitLab project path (segments of letters, digits, '_', '-', '.'; no "." or ".." segment).
std::optional<std::string> remote_url(const Environment& env, std::string_view override_url);

// `url` with any userinfo ("user:token@") removed from its authority.
std::string without_userinfo(std::string_view url);

// The proxy to use for `url`: HTTPS_PROXY/https_proxy for https, HTTP_PROXY/http_proxy for http, unless NO_PROXY/
// no_proxy lists the host (exact host, domain suffix, or "*"). nullopt: connect directly.
std::optional<std::string> proxy_for_url(const Environment& env, std::string_view url);

}  // namespace flowrun::git
