// One push attempt with libgit2, on an anonymous remote created for the explicit URL: nothing the commands may
// have written into .git/config (remotes, insteadOf rewrites, credential helpers, proxies) is used.
#include <algorithm>
#include <cctype>

#include "flowrun/core/http_status.h"
#include "flowrun/git/push.h"

namespace flowrun::git::detail {
namespace {

struct CallbackState {
  const std::vector<Credential>* credentials = nullptr;
  std::string host;           // the push URL's host[:port]: credentials go there only
  bool foreign_host = false;  // a redirect led elsewhere and asked for credentials
  std::size_t next = 0;
  bool used = false;
  std::size_t in_use = 0;
  bool exhausted = false;         // the server refused every credential
  bool unsupported_auth = false;  // the server asked for something other than user and password
  std::string rejection;          // status text of a refused reference update
};

// "host:port" of an http(s) URL, lowercased; empty for anything else.
std::string url_host(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  std::string host(rest);
  for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

// libgit2 calls this after every 401 and would do so forever with a wrong token: each call moves to the next
// credential, and when none is left the push is stopped.
int on_credentials(git_credential** out, const char* url, const char* /*username_from_url*/, unsigned int allowed_types,
                   void* payload) {
  auto* state = static_cast<CallbackState*>(payload);
  if (url == nullptr || url_host(url) != state->host) {
    state->foreign_host = true;
    return GIT_EUSER;
  }
  if ((allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) == 0) {
    state->unsupported_auth = true;
    return GIT_EUSER;
  }
  if (state->next >= state->credentials->size()) {
    state->exhausted = true;
    return GIT_EUSER;
  }
  state->in_use = state->next++;
  state->used = true;
  const Credential& credential = (*state->credentials)[state->in_use];
  return git_credential_userpass_plaintext_new(out, credential.username.c_str(), credential.token.c_str());
}

// A refusal by the server (pre-receive hook, protected branch) does not make git_remote_push fail: it only shows
// here, as a non-null status.
int on_update_reference(const char* /*refname*/, const char* status, void* payload) {
  if (status != nullptr) static_cast<CallbackState*>(payload)->rejection = status;
  return 0;
}

bool mentions(std::string_view text, std::string_view what) { return text.find(what) != std::string_view::npos; }

// A reference naming the commit to push: libgit2 before 1.8 takes only a reference as a refspec's source, and
// HEAD may have been moved since the commit was made.
constexpr const char* kPushRef = "refs/flowrun/push";

PushAttempt classify(int rc, const CallbackState& state, const PushRequest& request) {
  PushAttempt attempt;
  attempt.credential_used = state.used;
  attempt.credential_in_use = state.in_use;
  const GitOptions& options = *request.options;
  if (rc == 0) {
    if (state.rejection.empty()) {
      attempt.status = PushStatus::pushed;
      return attempt;
    }
    const bool moved = mentions(state.rejection, "non-fast-forward") || mentions(state.rejection, "fetch first");
    attempt.status = moved ? PushStatus::non_fast_forward : PushStatus::rejected;
    attempt.message = mask_credentials("the server refused the update: " + state.rejection, options);
    return attempt;
  }

  const git_error* error = git_error_last();
  const int klass = error ? error->klass : GIT_ERROR_NONE;
  attempt.message = mask_credentials(last_error_message("push failed"), options);
  const int http_status = http_status_in(attempt.message);
  if (state.exhausted || http_status == 401 || rc == GIT_EAUTH) {
    attempt.status = PushStatus::auth_failed;
  } else if (state.unsupported_auth) {
    attempt.status = PushStatus::failed;
    attempt.message = "the server asked for an authentication method other than user and token";
  } else if (rc == GIT_ENONFASTFORWARD) {
    attempt.status = PushStatus::non_fast_forward;
  } else if (http_status == 403) {
    attempt.status = PushStatus::forbidden;
  } else if (http_status != 0) {
    attempt.status = core::is_retryable_http_status(http_status) ? PushStatus::transient : PushStatus::failed;
  } else if (git_repository_is_shallow(request.repo) == 1 &&
             (mentions(attempt.message, "shallow") || mentions(attempt.message, "object not found"))) {
    attempt.status = PushStatus::shallow_unsupported;
  } else if (rc == GIT_ECERTIFICATE || klass == GIT_ERROR_SSL) {
    attempt.status = PushStatus::failed;
    attempt.message += " (set CI_SERVER_TLS_CA_FILE to the server's CA bundle if it uses a private CA)";
  } else if (klass == GIT_ERROR_NET || klass == GIT_ERROR_OS || klass == GIT_ERROR_HTTP) {
    attempt.status = PushStatus::transient;
  } else {
    attempt.status = PushStatus::failed;
  }
  return attempt;
}

// A server that stops answering must not hang the job: libgit2 1.7 and later can bound the wait (1.5 cannot).
void bound_network_waits() {
#if FLOWRUN_LIBGIT2_AT_LEAST(1, 7)
  constexpr int kConnectTimeoutMs = 30'000;
  constexpr int kReadWriteTimeoutMs = 120'000;
  git_libgit2_opts(GIT_OPT_SET_SERVER_CONNECT_TIMEOUT, kConnectTimeoutMs);
  git_libgit2_opts(GIT_OPT_SET_SERVER_TIMEOUT, kReadWriteTimeoutMs);
#endif
}

}  // namespace

PushAttempt push_with_libgit2(const PushRequest& request, std::size_t first_credential) {
  const GitOptions& options = *request.options;
  bound_network_waits();
  if (!options.ca_file.empty()) {
    if (git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, options.ca_file.c_str(), nullptr) != 0) {
      return PushAttempt{PushStatus::failed, "cannot use the CA file " + options.ca_file + ": " + last_error_message(),
                         0, false};
    }
  }

  git_remote_create_options create;
  git_remote_create_options_init(&create, GIT_REMOTE_CREATE_OPTIONS_VERSION);
  create.repository = request.repo;
  create.name = nullptr;  // anonymous: nothing is written to .git/config
  create.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
  git_remote* raw = nullptr;
  if (git_remote_create_with_opts(&raw, request.url.c_str(), &create) != 0) {
    return PushAttempt{PushStatus::failed, "invalid remote URL " + request.url + ": " + last_error_message(), 0, false};
  }
  RemotePtr remote(raw);

  CallbackState state;
  state.credentials = &options.credentials;
  state.host = url_host(request.url);
  state.next = first_credential;

  git_push_options push;
  git_push_options_init(&push, GIT_PUSH_OPTIONS_VERSION);
  push.callbacks.credentials = on_credentials;
  push.callbacks.push_update_reference = on_update_reference;
  push.callbacks.payload = &state;
  if (!options.proxy_url.empty()) {
    push.proxy_opts.type = GIT_PROXY_SPECIFIED;
    push.proxy_opts.url = options.proxy_url.c_str();
  } else {
    push.proxy_opts.type = GIT_PROXY_NONE;
  }
  // No redirect to another host is followed: the credentials go to the push URL's host only. libgit2 honours it
  // for pushes from 1.7 on (1.5 still sends the first request after a redirect, without credentials: the callback
  // refuses other hosts), which is why the system git pushes instead on older versions when there is one.
  push.follow_redirects = GIT_REMOTE_REDIRECT_NONE;

  git_oid commit;
  git_reference* ref = nullptr;
  if (git_oid_fromstr(&commit, request.commit.c_str()) != 0 ||
      git_reference_create(&ref, request.repo, kPushRef, &commit, 1, nullptr) != 0) {
    return PushAttempt{PushStatus::failed, "cannot name the commit to push: " + last_error_message(), 0, false};
  }
  ReferencePtr push_ref(ref);
  std::string refspec = std::string(kPushRef) + ":refs/heads/" + request.branch;
  char* refspecs[] = {refspec.data()};
  git_strarray specs{refspecs, 1};
  const int rc = git_remote_push(remote.get(), &specs, &push);
  PushAttempt attempt = classify(rc, state, request);
  git_reference_delete(push_ref.get());
  return attempt;
}

}  // namespace flowrun::git::detail
