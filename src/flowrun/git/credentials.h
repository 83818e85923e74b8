#pragma once
// Which tokens may push the commit, in the order they are tried.
//
// Precedence (first listed is tried first; empty values are skipped, a token already in the list is not repeated):
//   1. FLOWRUN_GIT_TOKEN                       user "gitlab-ci-token" (an explicit choice for flowrun's pushes)
//   2. GITLAB_TOKEN_<INTEGRATION>              user "gitlab-ci-token", each such name listed in the flow's
//                                              `variables`, in the flow's order (the documented service-account PAT)
//   3. DUO_WORKFLOW_GIT_HTTP_PASSWORD          user DUO_WORKFLOW_GIT_HTTP_USER, else "oauth2" (GitLab 19's pair)
//   4. GITLAB_TOKEN                            user "gitlab-ci-token"
//   5. AI_FLOW_GITLAB_TOKEN                    user "oauth2" (GitLab's short-lived OAuth token)
//   6. CI_JOB_TOKEN                            user "gitlab-ci-token" (often lacks write access; last resort)
// A personal access token works with any user name; an OAuth token needs "oauth2"; a job token "gitlab-ci-token".
#include <string>
#include <vector>

#include "flowrun/core/environment.h"

namespace flowrun::git {

struct Credential {
  std::string username;
  std::string token;   // secret: never printed, logged or written to disk
  std::string source;  // name of the variable it came from, for messages
};

std::vector<Credential> credentials_from_environment(const Environment& env,
                                                     const std::vector<std::string>& flow_variables);

// "GITLAB_TOKEN, CI_JOB_TOKEN": the sources of the credentials, for messages.
std::string describe_sources(const std::vector<Credential>& credentials);

}  // namespace flowrun::git
