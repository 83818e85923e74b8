#include "flowrun/gitlab/client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

#include "flowrun/core/build_info.h"
#include "flowrun/core/ca_bundle.h"
#include "flowrun/core/environment.h"
#include "flowrun/core/http_status.h"
#include "flowrun/core/secret_policy.h"
#include "flowrun/core/text.h"
#include "flowrun/core/token_shapes.h"
#include "flowrun/gitlab/internal/json.h"
#include "flowrun/gitlab/retry_policy.h"

namespace flowrun::gitlab {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kMaxResponseBytes = 64u << 20;

enum class Method { get, post, put };

const char* method_name(Method method) {
  switch (method) {
    case Method::get:
      return "GET";
    case Method::post:
      return "POST";
    case Method::put:
      return "PUT";
  }
  return "GET";
}

void initialize_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct CurlListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlList = std::unique_ptr<curl_slist, CurlListDeleter>;

std::string seconds_text(milliseconds duration) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f s", static_cast<double>(duration.count()) / 1000.0);
  return buffer;
}

std::string_view reason_phrase(long status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

// A token's shape found in text GitLab sent back is hidden before the text reaches any message.
std::string mask_token_shapes(std::string text) {
  std::size_t from = 0;
  while (auto match = find_token(text, from)) {
    text.replace(match->offset, match->length, "[MASKED]");
    from = match->offset + 8;
  }
  return text;
}

// GitLab's error bodies: {"message": "..."}, {"message": {"field": ["problem"]}}, {"error": "...", "error_description":
// "..."}.
std::string gitlab_error_message(std::string_view body) {
  std::string message;
  if (auto json = internal::parse_json(body); json && json->is_object()) {
    auto flatten = [](const nlohmann::json& value) -> std::string {
      if (value.is_string()) return value.get<std::string>();
      if (value.is_array()) {
        std::string out;
        for (const auto& item : value) out += (out.empty() ? "" : "; ") + internal::to_text(item);
        return out;
      }
      if (value.is_object()) {
        std::string out;
        for (const auto& [field, problems] : value.items()) {
          if (!out.empty()) out += "; ";
          out += field + " ";
          if (problems.is_array()) {
            for (std::size_t i = 0; i < problems.size(); ++i) out += (i ? ", " : "") + internal::to_text(problems[i]);
          } else {
            out += internal::to_text(problems);
          }
        }
        return out;
      }
      return internal::to_text(value);
    };
    if (json->contains("message"))
      message = flatten((*json)["message"]);
    else if (json->contains("error"))
      message = flatten((*json)["error"]);
    if (json->contains("error_description"))
      message += (message.empty() ? "" : ": ") + flatten((*json)["error_description"]);
  }
  if (message.empty()) message = std::string(text::first_line(text::trim(body)));
  if (!text::is_valid_utf8(message)) message = "(a body that is not UTF-8 text)";
  if (message.size() > 300) message = message.substr(0, 300) + "...";
  return mask_token_shapes(std::move(message));
}

bool is_retryable_transport_error(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_AGAIN:
      return true;
    default:
      return false;
  }
}

// What one exchange with GitLab produced.
struct Attempt {
  CURLcode code = CURLE_OK;
  std::string transport_error;  // curl's own words when code != CURLE_OK
  long status = 0;
  std::string body;
  std::optional<std::chrono::seconds> retry_after;  // the answer's Retry-After, as libcurl read it
  bool reached_server = false;                      // some of the request was sent: GitLab may have acted on it
  bool body_too_large = false;
};

struct TokenState {
  ApiToken token;
  bool refused = false;  // 401: not tried again in this run
};

struct Refusal {
  std::string source;
  long status;
};

std::string describe_refusals(const std::vector<Refusal>& refusals) {
  bool same_status = std::all_of(refusals.begin(), refusals.end(),
                                 [&](const Refusal& r) { return r.status == refusals.front().status; });
  std::string names;
  for (const auto& refusal : refusals) {
    if (!names.empty()) names += ", ";
    names += refusal.source;
    if (!same_status) names += " (" + std::to_string(refusal.status) + ")";
  }
  std::string text = "GitLab refused the token(s) " + names;
  if (same_status) text += " (" + std::to_string(refusals.front().status) + ")";
  return text;
}

}  // namespace

std::string redact_for_log(std::string_view url_or_path) {
  std::string text(url_or_path);
  auto query = text.find('?');
  if (query != std::string::npos) {
    std::string redacted = text.substr(0, query + 1);
    std::string_view rest = std::string_view(text).substr(query + 1);
    auto fragment = rest.find('#');
    std::string_view tail = fragment == std::string_view::npos ? std::string_view() : rest.substr(fragment);
    rest = rest.substr(0, fragment);
    bool first = true;
    while (true) {
      auto amp = rest.find('&');
      std::string_view pair = rest.substr(0, amp);
      auto eq = pair.find('=');
      std::string name = text::to_lower(pair.substr(0, eq));
      const bool secret = secret_policy::is_secret_parameter(name);
      if (!first) redacted += '&';
      first = false;
      if (secret && eq != std::string_view::npos) {
        redacted += std::string(pair.substr(0, eq + 1)) + "[MASKED]";
      } else {
        redacted += pair;
      }
      if (amp == std::string_view::npos) break;
      rest = rest.substr(amp + 1);
    }
    text = redacted + std::string(tail);
  }
  return mask_token_shapes(std::move(text));
}

ClientOptions client_options_from_environment(const Environment& env) {
  ClientOptions options;
  options.ca_file = ca_file_from_environment(env);
  return options;
}

struct Client::Impl {
  std::string base;
  std::vector<TokenState> tokens;
  std::size_t preferred = 0;
  ClientOptions options;
  CurlEasy handle;
  std::mt19937 random{std::random_device{}()};
  std::string user_agent = std::string("flowrun/") + build_info::version;

  void log(const std::string& line) const {
    if (options.log) options.log(line);
  }

  // The tokens to try for one call: the preferred one first, then the others in precedence order, none refused.
  std::vector<std::size_t> token_order() const {
    std::vector<std::size_t> order;
    if (preferred < tokens.size() && !tokens[preferred].refused) order.push_back(preferred);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (i != preferred && !tokens[i].refused) order.push_back(i);
    }
    return order;
  }

  Attempt send_once(Method method, const std::string& url, std::string_view body, const ApiToken* token,
                    milliseconds connect_timeout, milliseconds timeout);
  Response call(Method method, std::string_view path, std::string_view body, const AlreadyDone& already_done);
};

namespace {

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  const size_t bytes = size * count;
  if (attempt->body.size() + bytes > kMaxResponseBytes) {
    attempt->body_too_large = true;
    return 0;
  }
  attempt->body.append(data, bytes);
  return bytes;
}

}  // namespace

Attempt Client::Impl::send_once(Method method, const std::string& url, std::string_view body, const ApiToken* token,
                                milliseconds connect_timeout, milliseconds timeout) {
  Attempt attempt;
  CURL* h = handle.get();
  if (h == nullptr) {
    attempt.code = CURLE_FAILED_INIT;
    attempt.transport_error = "libcurl could not create a handle (out of memory?)";
    return attempt;
  }
  curl_easy_reset(h);  // keeps the connection cache, so one TLS session serves the whole run
  char error_buffer[CURL_ERROR_SIZE] = {0};

  CurlList headers;
  auto add_header = [&headers](const std::string& header) {
    curl_slist* appended = curl_slist_append(headers.get(), header.c_str());
    if (appended != nullptr) {
      (void)headers.release();
      headers.reset(appended);
    }
  };
  add_header("Accept: application/json");
  add_header("Expect:");
  if (method != Method::get) add_header("Content-Type: application/json");
  if (token != nullptr) {
    add_header(token->kind == ApiToken::Kind::bearer ? "Authorization: Bearer " + token->value
                                                     : "PRIVATE-TOKEN: " + token->value);
  }

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  // A redirect could carry PRIVATE-TOKEN to another host: GitLab's API does not redirect, so neither do we.
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::max<long long>(connect_timeout.count(), 1)));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<long long>(timeout.count(), 1)));
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &attempt);
  if (method == Method::post) curl_easy_setopt(h, CURLOPT_POST, 1L);
  if (method == Method::put) curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
  if (method != Method::get) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  }

  attempt.code = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &attempt.status);
  // Seconds, from delay-seconds or an HTTP-date; 0 when the answer had none (or a date in the past).
  curl_off_t retry_after = 0;
  if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0) {
    attempt.retry_after = std::chrono::seconds(std::min<curl_off_t>(retry_after, 24 * 3600));
  }
  long request_size = 0;
  curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_size);
  attempt.reached_server = request_size > 0 || attempt.status != 0;
  if (attempt.code != CURLE_OK) {
    attempt.transport_error = error_buffer[0] != '\0' ? std::string(error_buffer) : curl_easy_strerror(attempt.code);
    attempt.transport_error = redact_for_log(attempt.transport_error);
    attempt.status = 0;
  }
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  return attempt;
}

Response Client::Impl::call(Method method, std::string_view path, std::string_view body,
                            const AlreadyDone& already_done) {
  const std::string url = base + std::string(path);
  const std::string what = std::string(method_name(method)) + " " + redact_for_log(path);
  const auto started = Clock::now();
  // Each call has its budget; none goes past the run's deadline (the time kept for the report).
  const auto deadline =
      options.deadline ? std::min(started + options.budget, *options.deadline) : started + options.budget;

  std::vector<std::size_t> order = token_order();
  if (!tokens.empty() && order.empty()) {
    std::string list;
    for (const auto& state : tokens) list += (list.empty() ? "" : ", ") + state.token.source;
    return Response{401, "",
                    "GitLab refused the token(s) " + list + " (401) earlier in this run, so " + what +
                        " was not sent: check the service account's PAT has the api scope and has not expired"};
  }

  std::vector<Refusal> refusals;
  std::size_t token_index = 0;
  int attempts = 0;
  bool may_have_been_applied = false;
  Attempt last;

  auto failure = [&](std::string message) { return Response{last.status, last.body, std::move(message)}; };

  while (true) {
    if (method == Method::post && may_have_been_applied && already_done) {
      if (auto done = already_done()) {
        log("GitLab " + what + ": the earlier attempt had gone through; not sending it again");
        return *done;
      }
    }
    const auto now = Clock::now();
    if (now >= deadline) {
      return failure("GitLab did not answer " + what + " within the time budget of " + seconds_text(options.budget) +
                     " (" + std::to_string(attempts) + " attempt(s)" +
                     (last.transport_error.empty() ? "" : "; last: " + last.transport_error) + "): check that " + base +
                     " is reachable from the job");
    }
    const auto remaining = std::chrono::duration_cast<milliseconds>(deadline - now);
    const ApiToken* token = token_index < order.size() ? &tokens[order[token_index]].token : nullptr;

    ++attempts;
    const auto sent_at = Clock::now();
    last = send_once(method, url, body, token, std::min(options.connect_timeout, remaining),
                     std::min(options.request_timeout, remaining));
    const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - sent_at);

    std::optional<milliseconds> wait;
    std::string reason;
    bool attempt_may_have_been_applied = false;
    if (last.code != CURLE_OK) {
      log("GitLab " + what + ": " + last.transport_error + " after " + std::to_string(took.count()) + " ms");
      if (last.body_too_large) {
        return failure("GitLab's answer to " + what + " was larger than 64 MiB; flowrun stopped reading it");
      }
      if (last.code == CURLE_PEER_FAILED_VERIFICATION || last.code == CURLE_SSL_CACERT_BADFILE) {
        return failure("could not verify the TLS certificate of " + base + " (" + last.transport_error +
                       "): for an instance with its own CA set CI_SERVER_TLS_CA_FILE to the CA bundle file");
      }
      if (!is_retryable_transport_error(last.code)) {
        return failure("could not send " + what + " to " + base + " (" + last.transport_error +
                       "): check the GitLab URL (CI_API_V4_URL or --gitlab-url)");
      }
      attempt_may_have_been_applied = last.reached_server;
      reason = last.transport_error;
    } else {
      log("GitLab " + what + " -> " + std::to_string(last.status) + " in " + std::to_string(took.count()) + " ms");
      if (last.status >= 200 && last.status < 300) {
        if (token_index < order.size()) preferred = order[token_index];
        return Response{last.status, std::move(last.body), ""};
      }
      if (last.status == 401 || last.status == 403) {
        if (token == nullptr) {
          return failure("GitLab answered " + std::to_string(last.status) + " to " + what +
                         " and no token is set: set the flow's GITLAB_TOKEN_<INTEGRATION> (or FLOWRUN_GITLAB_TOKEN) "
                         "to a personal access token with the api scope");
        }
        --attempts;  // moving to another token is not a retry of the same request
        refusals.push_back(Refusal{token->source, last.status});
        if (last.status == 401) tokens[order[token_index]].refused = true;
        ++token_index;
        if (token_index < order.size()) {
          log("GitLab refused " + token->source + " (" + std::to_string(last.status) + ") for " + what + "; trying " +
              tokens[order[token_index]].token.source);
          continue;
        }
        std::string message = describe_refusals(refusals);
        if (last.status == 401) {
          message += ": check the service account's PAT has the api scope and has not expired";
        } else {
          message += " for " + what +
                     ": check the token's user is a member of the project with at least the Developer role and the "
                     "token has the api scope";
        }
        return failure(std::move(message));
      }
      if (!core::is_retryable_http_status(last.status)) {
        std::string message = "GitLab answered " + std::to_string(last.status);
        if (auto phrase = reason_phrase(last.status); !phrase.empty()) message += " " + std::string(phrase);
        message += " to " + what + ": " + gitlab_error_message(last.body);
        if (last.status == 404) message += " (check the project, the iid and that the token's user can see them)";
        return failure(std::move(message));
      }
      // 429 and 503 are refusals before GitLab did anything; any other error status may come after it acted.
      attempt_may_have_been_applied = last.status != 429 && last.status != 503;
      reason = "HTTP " + std::to_string(last.status);
      if (last.retry_after) {
        wait = std::min(std::chrono::duration_cast<milliseconds>(*last.retry_after), options.max_retry_after);
      }
    }

    if (attempt_may_have_been_applied && method == Method::post) {
      if (!already_done) {
        return failure("GitLab " + what + " failed (" + reason +
                       ") after the request may have reached GitLab; not sending it again, so nothing is created "
                       "twice: check on GitLab whether it went through");
      }
      may_have_been_applied = true;
    }
    if (attempts >= options.max_attempts) {
      std::string message =
          "GitLab " + what + " failed " + std::to_string(attempts) + " time(s) (last: " + reason + "); giving up";
      if (last.code != CURLE_OK)
        message += ": check that " + base + " is reachable from the job (URL, network, proxy)";
      else
        message += ": GitLab may be overloaded or down, see its status page and retry the job later";
      return failure(std::move(message));
    }
    if (!wait) {
      std::uniform_real_distribution<double> jitter(0.0, 1.0);
      wait = backoff_delay(attempts, options.initial_backoff, options.max_backoff, jitter(random));
    }
    if (Clock::now() + *wait >= deadline) {
      return failure("GitLab " + what + " failed (" + reason + ") and the next try would be after the time budget of " +
                     seconds_text(options.budget) + "; giving up after " + std::to_string(attempts) +
                     " attempt(s): retry the job later");
    }
    log("GitLab " + what + ": " + reason + "; retrying in " + seconds_text(*wait) + " (attempt " +
        std::to_string(attempts + 1) + " of " + std::to_string(options.max_attempts) + ")");
    std::this_thread::sleep_for(*wait);
  }
}

Client::Client(std::string api_base_url, std::vector<ApiToken> tokens, ClientOptions options)
    : impl_(std::make_unique<Impl>()) {
  initialize_curl_once();
  while (!api_base_url.empty() && api_base_url.back() == '/') api_base_url.pop_back();
  impl_->base = std::move(api_base_url);
  for (auto& token : tokens) impl_->tokens.push_back(TokenState{std::move(token), false});
  impl_->options = std::move(options);
  if (impl_->options.max_attempts < 1) impl_->options.max_attempts = 1;
  impl_->handle.reset(curl_easy_init());
}

Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

Response Client::get(std::string_view path) { return impl_->call(Method::get, path, {}, {}); }

Response Client::post_json(std::string_view path, std::string_view body_json, const AlreadyDone& already_done) {
  return impl_->call(Method::post, path, body_json, already_done);
}

Response Client::put_json(std::string_view path, std::string_view body_json) {
  return impl_->call(Method::put, path, body_json, {});
}

const std::string& Client::api_base_url() const { return impl_->base; }

void Client::log(std::string_view line) const { impl_->log(std::string(line)); }

std::vector<std::string> Client::refused_tokens() const {
  std::vector<std::string> names;
  for (const auto& state : impl_->tokens) {
    if (state.refused) names.push_back(state.token.source);
  }
  return names;
}

}  // namespace flowrun::gitlab
