#pragma once
// A small GitLab REST v4 client: JSON in, JSON text out, with the retries, token fallback and time limits a CI job
// needs. libcurl stays inside client.cpp. Start here; api_endpoint.h and api_token.h say where URL and tokens come
// from.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/gitlab/api_endpoint.h"
#include "flowrun/gitlab/api_token.h"

namespace flowrun {
class Environment;
}

namespace flowrun::gitlab {

struct Response {
  long status = 0;    // the HTTP status of the last answer; 0 when no answer came at all
  std::string body;   // the last answer's body (GitLab's JSON)
  std::string error;  // empty on success; otherwise what went wrong and what to do, never a token
  bool ok() const { return error.empty() && status >= 200 && status < 300; }
};

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};  // per attempt
  std::chrono::milliseconds request_timeout{30'000};  // per attempt, whole exchange
  std::chrono::milliseconds budget{120'000};          // per call: every attempt and every wait between them
  // No call goes on past this point, whatever its budget (the end of the time the run keeps for its report).
  std::optional<std::chrono::steady_clock::time_point> deadline;
  int max_attempts = 5;  // per call; switching to the next token is not an attempt
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{8'000};
  std::chrono::milliseconds max_retry_after{60'000};  // a longer Retry-After is cut to this
  std::string ca_file;                                // extra CA bundle; system CAs otherwise
  std::function<void(std::string_view)> log;          // one line per request, retry and token switch; no secrets
};

// Defaults, with ca_file from CI_SERVER_TLS_CA_FILE (GitLab's file variable holding a self-managed instance's CA).
ClientOptions client_options_from_environment(const Environment& env);

// Asked before a POST is sent again after an attempt that may have reached GitLab (a timeout after sending, a dropped
// connection, a 5xx): return what that attempt created, found another way (e.g. the note carrying the run's marker),
// and the POST is not repeated; return nullopt to send it again.
using AlreadyDone = std::function<std::optional<Response>()>;

class Client {
 public:
  // `api_base_url` as from api_base_url(); `tokens` tried in order (an empty list sends requests without a token).
  Client(std::string api_base_url, std::vector<ApiToken> tokens, ClientOptions options = {});
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // `path` is relative to the API base and starts with '/', query string included: "/projects/42/issues/7/notes".
  // Connection errors, timeouts, 408, 429 and 5xx are retried with backoff (Retry-After honoured) within the budget.
  // A 401 or 403 moves on to the next token for this call; a token refused with 401 is not used again in this run,
  // and the token that succeeds after a refusal is tried first from then on.
  // A POST is sent again after an attempt that may have reached GitLab (sent, then no answer or an error status other
  // than 429/503) only when `already_done` says it did not go through; without `already_done` it is not repeated.
  Response get(std::string_view path);
  Response post_json(std::string_view path, std::string_view body_json, const AlreadyDone& already_done = {});
  Response put_json(std::string_view path, std::string_view body_json);

  const std::string& api_base_url() const;
  // Writes a line to the log callback of the options (nothing without one). For callers reporting their own steps.
  void log(std::string_view line) const;
  // Names of the variables whose tokens GitLab refused with 401 in this run.
  std::vector<std::string> refused_tokens() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A URL or path as it may appear in a log line: the values of query parameters whose names suggest a secret
// (token, secret, password, key, signature) and anything shaped like a known token become "[MASKED]".
std::string redact_for_log(std::string_view url_or_path);

}  // namespace flowrun::gitlab
