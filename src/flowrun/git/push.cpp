#include "flowrun/git/push.h"

#include <algorithm>
#include <cctype>
#include <thread>

#include "flowrun/git/trusted_git.h"

namespace flowrun::git::detail {
namespace {

void log_line(const GitOptions& options, const std::string& line) {
  if (options.log) options.log(line);
}

// libgit2 learned to push from shallow clones, to refuse redirects and to time out on a silent server in 1.7.
// Before it, the git command line (when a trusted one is installed) pushes instead.
bool libgit2_can_push_safely() { return libgit2_at_least(1, 7); }

bool time_left_for(const GitOptions& options, std::chrono::milliseconds wait) {
  return !options.deadline || std::chrono::steady_clock::now() + wait < *options.deadline;
}

std::string describe_duration(std::chrono::milliseconds delay) {
  if (delay.count() % 1000 == 0) return std::to_string(delay.count() / 1000) + " s";
  return std::to_string(delay.count()) + " ms";
}

}  // namespace

std::string mask_credentials(std::string text, const GitOptions& options) {
  for (const auto& credential : options.credentials) {
    if (credential.token.empty()) continue;
    for (auto at = text.find(credential.token); at != std::string::npos; at = text.find(credential.token, at)) {
      text.replace(at, credential.token.size(), "[MASKED]");
    }
  }
  return text;
}

int http_status_in(std::string_view message) {
  // libgit2: "unexpected http status code: 503"; git: "The requested URL returned error: 503".
  for (std::string_view marker : {"status code: ", "returned error: "}) {
    const auto at = message.find(marker);
    if (at == std::string_view::npos) continue;
    int status = 0;
    for (std::size_t i = at + marker.size(); i < message.size() && std::isdigit(static_cast<unsigned char>(message[i]));
         ++i) {
      status = status * 10 + (message[i] - '0');
    }
    if (status >= 100 && status < 600) return status;
  }
  return 0;
}

PushResult push_branch(const PushRequest& request) {
  const GitOptions& options = *request.options;
  bool use_cli = !libgit2_can_push_safely() && trusted_git().has_value();
  if (use_cli) log_line(options, "pushing with the git command line (" + trusted_git()->string() + ")");
  std::size_t first_credential = 0;
  auto backoff = options.first_backoff;
  int transient_failures = 0;
  PushResult result;
  while (true) {
    ++result.attempts;
    log_line(options, "pushing " + request.commit.substr(0, 12) + " to " + request.url + " as refs/heads/" +
                          request.branch + " (attempt " + std::to_string(result.attempts) + ")");
    PushAttempt attempt =
        use_cli ? push_with_git_cli(request, first_credential) : push_with_libgit2(request, first_credential);
    result.status = attempt.status;
    result.message = attempt.message;
    switch (attempt.status) {
      case PushStatus::shallow_unsupported:
        if (use_cli) return result;
        log_line(options, "libgit2 cannot push from this shallow clone: pushing with the git command line");
        use_cli = true;
        continue;
      case PushStatus::forbidden:
        if (attempt.credential_used && attempt.credential_in_use + 1 < options.credentials.size()) {
          log_line(options, options.credentials[attempt.credential_in_use].source +
                                " may not push here (HTTP 403): trying the next token");
          first_credential = attempt.credential_in_use + 1;
          continue;
        }
        result.status = PushStatus::auth_failed;
        return result;
      case PushStatus::transient:
        if (++transient_failures >= std::max(1, options.max_push_attempts)) return result;
        if (!time_left_for(options, backoff)) {
          log_line(options, "push failed (" + attempt.message + "): no time left for another attempt");
          return result;
        }
        log_line(options, "push failed (" + attempt.message + "): retrying in " + describe_duration(backoff));
        std::this_thread::sleep_for(backoff);
        backoff *= 2;
        continue;
      default:
        return result;
    }
  }
}

}  // namespace flowrun::git::detail
