#pragma once
// The tokens flowrun may present to the GitLab REST API, in the order it tries them.
#include <string>
#include <vector>

namespace flowrun {
class Environment;
}

namespace flowrun::gitlab {

struct ApiToken {
  enum class Kind {
    private_token,  // sent as `PRIVATE-TOKEN: <value>` (personal, project or group access token)
    bearer,         // sent as `Authorization: Bearer <value>` (OAuth token)
  };
  Kind kind = Kind::private_token;
  std::string value;
  std::string source;  // the variable it came from, the only thing messages may name
};

// The tokens found in the environment, most trusted first, each variable at most once and each value at most once:
//   1. FLOWRUN_GITLAB_TOKEN                 (PAT)   set explicitly for flowrun;
//   2. the flow's GITLAB_TOKEN_<INTEGRATION> (PAT)  every name in `flow_variables` starting with "GITLAB_TOKEN_",
//                                                   in the flow's order: the service account's token GitLab documents;
//   3. GITLAB_TOKEN                         (PAT);
//   4. AI_FLOW_GITLAB_TOKEN                 (Bearer) injected by GitLab; expires one hour after the job starts and
//                                                   may be refused by the Discussions API, hence last.
// CI_JOB_TOKEN is never used: GitLab refuses it for notes and merge requests.
// Values are trimmed; a value that still holds whitespace or control characters (a pasted line break) is skipped,
// because it cannot be sent in a header.
std::vector<ApiToken> api_tokens_from_environment(const Environment& env,
                                                  const std::vector<std::string>& flow_variables);

// The names of every GITLAB_TOKEN_<INTEGRATION> variable set, sorted: the stand-in for a flow's `variables` when a
// command runs without a flow (`flowrun start`, `flowrun privileges`).
std::vector<std::string> integration_token_names(const Environment& env);

}  // namespace flowrun::gitlab
