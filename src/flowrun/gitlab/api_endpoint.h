#pragma once
// Which GitLab instance flowrun talks to: the REST API base URL, from the command line or the job's environment.
#include <optional>
#include <string>
#include <string_view>

namespace flowrun {
class Environment;
}

namespace flowrun::gitlab {

// The REST API base URL, e.g. "https://gitlab.example.com/api/v4", without a trailing slash. First of:
//   1. `override_url` (--gitlab-url), when not empty;
//   2. CI_API_V4_URL;
//   3. CI_SERVER_URL + "/api/v4";
//   4. GITLAB_HOST, AI_FLOW_GITLAB_HOSTNAME, GITLAB_INSTANCE_URL, GITLAB_BASE_URL.
// Hosts (`gitlab.example.com`, `host:8443`) and full URLs are both accepted: https is assumed when there is no scheme,
// a trailing "/api/v4" is not doubled and a self-managed sub-path (`https://example.com/gitlab`) is kept.
// nullopt when nothing is configured, or when the first value found is not an http(s) URL or host.
std::optional<std::string> api_base_url(const Environment& env, std::string_view override_url);

// One value as above turned into an API base URL; nullopt when it is empty, has spaces or control characters,
// names a scheme other than http/https, has a port that is not a number, or carries credentials (user@host).
std::optional<std::string> normalize_api_url(std::string_view host_or_url);

// The instance's web address for an API base URL: "https://example.com/gitlab/api/v4" -> "https://example.com/gitlab".
std::string web_base_url(std::string_view api_base);

}  // namespace flowrun::gitlab
