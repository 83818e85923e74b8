#pragma once
// A Client for the instance and tokens the environment names — or, when something is missing, what to set.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/gitlab/client.h"

namespace flowrun {
class Environment;
}

namespace flowrun::gitlab {

struct Connection {
  std::unique_ptr<Client> client;  // null when `error` says why
  std::string error;
};

// The base URL from api_base_url(env, gitlab_url_override), the tokens from api_tokens_from_environment(env,
// flow_variables), `options` with ca_file from CI_SERVER_TLS_CA_FILE when it has none. Fails, with a message naming
// the variables to set, when there is no usable URL or no token at all.
Connection connect(const Environment& env, std::string_view gitlab_url_override,
                   const std::vector<std::string>& flow_variables, ClientOptions options = {});

}  // namespace flowrun::gitlab
