#include "flowrun/gitlab/connection.h"

#include "flowrun/core/environment.h"
#include "flowrun/core/text.h"

namespace flowrun::gitlab {

Connection connect(const Environment& env, std::string_view gitlab_url_override,
                   const std::vector<std::string>& flow_variables, ClientOptions options) {
  Connection connection;
  auto base = api_base_url(env, gitlab_url_override);
  if (!base) {
    if (!text::trim(gitlab_url_override).empty()) {
      connection.error = "--gitlab-url is not an http(s) URL or a host name: pass e.g. https://gitlab.example.com";
    } else {
      connection.error =
          "no GitLab URL: pass --gitlab-url, or set CI_SERVER_URL (set in CI jobs), GITLAB_HOST or GITLAB_BASE_URL";
    }
    return connection;
  }
  std::vector<ApiToken> tokens = api_tokens_from_environment(env, flow_variables);
  if (tokens.empty()) {
    connection.error =
        "no GitLab token: set the flow's GITLAB_TOKEN_<INTEGRATION> CI/CD variable (the service account's personal "
        "access token with the api scope), or GITLAB_TOKEN or FLOWRUN_GITLAB_TOKEN";
    return connection;
  }
  if (options.ca_file.empty()) options.ca_file = client_options_from_environment(env).ca_file;
  connection.client = std::make_unique<Client>(std::move(*base), std::move(tokens), std::move(options));
  return connection;
}

}  // namespace flowrun::gitlab
