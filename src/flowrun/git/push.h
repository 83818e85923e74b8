#pragma once
// Pushing the commit: one attempt with libgit2 or with the git command line, and the policy around attempts
// (credentials in order, retries with backoff for transient failures, the shallow-clone fallback). Internal.
#include <cstddef>
#include <string>

#include "flowrun/git/git.h"
#include "flowrun/git/libgit2_handles.h"

namespace flowrun::git::detail {

enum class PushStatus {
  pushed,
  rejected,             // the server refused the update (hook, protected branch)
  non_fast_forward,     // the branch moved on the server
  auth_failed,          // every credential was refused
  forbidden,            // a credential was accepted but may not push (HTTP 403): try the next one
  transient,            // worth another attempt: connection refused/reset, timeouts, 5xx
  shallow_unsupported,  // this libgit2 cannot push from a shallow clone
  failed,               // anything else: not retried
};

struct PushAttempt {
  PushStatus status = PushStatus::failed;
  std::string message;                // masked; empty when pushed
  std::size_t credential_in_use = 0;  // index of the credential the server saw last
  bool credential_used = false;
};

struct PushRequest {
  git_repository* repo = nullptr;
  const GitOptions* options = nullptr;
  std::string url;     // without credentials
  std::string commit;  // 40 hex, HEAD of the repository
  std::string branch;  // without refs/heads/
};

// One attempt with libgit2 on an anonymous remote, credentials tried from `first_credential` on.
PushAttempt push_with_libgit2(const PushRequest& request, std::size_t first_credential);

// One attempt with the `git` command line (for shallow clones on libgit2 < 1.7).
PushAttempt push_with_git_cli(const PushRequest& request, std::size_t first_credential);

struct PushResult {
  PushStatus status = PushStatus::failed;
  std::string message;
  int attempts = 0;
};

// Attempts until pushed or a failure that another attempt would not fix; transient failures are retried up to
// options.max_push_attempts times, waiting first_backoff, then twice as long each time.
PushResult push_branch(const PushRequest& request);

// `text` with every credential's token replaced by [MASKED]: messages from libgit2 and git may quote what they got.
std::string mask_credentials(std::string text, const GitOptions& options);

// The HTTP status quoted in a libgit2 or git error message, or 0.
int http_status_in(std::string_view message);

}  // namespace flowrun::git::detail
