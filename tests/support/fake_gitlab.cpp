#include "support/fake_gitlab.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "support/background_process.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

#ifndef FLOWRUN_TEST_PYTHON
#error "FLOWRUN_TEST_PYTHON must be defined (the Python that runs the fake GitLab)"
#endif
#ifndef FLOWRUN_FAKE_GITLAB_SCRIPT
#error "FLOWRUN_FAKE_GITLAB_SCRIPT must be defined (tests/support/fake_gitlab/fake_gitlab.py)"
#endif

namespace flowrun::testing {
namespace {

using nlohmann::json;

constexpr auto kStartupTimeout = std::chrono::seconds(10);

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

const char* kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::oauth:
      return "oauth";
    case TokenKind::job:
      return "job";
    case TokenKind::pat:
      break;
  }
  return "pat";
}

template <typename T>
T value_or(const json& object, const char* key, T fallback) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return fallback;
  return found->get<T>();
}

}  // namespace

std::string RecordedRequest::header(const std::string& name) const {
  auto found = headers.find(lowercase(name));
  return found == headers.end() ? "" : found->second;
}

struct FakeGitLab::Impl {
  TempDir data_dir{"flowrun-fake-gitlab-"};
  std::unique_ptr<BackgroundProcess> server;
  int port = 0;
  std::string origin;    // where the admin API is
  std::string base_url;  // the instance: origin plus the URL root

  // Calls an admin endpoint; throws with the server's message unless it answers 2xx.
  json admin(const std::string& method, const std::string& path, const json& payload = json::object()) const {
    HttpRequest request;
    request.method = method;
    request.url = origin + path;
    request.headers = {{"Content-Type", "application/json"}};
    if (method != "GET") request.body = payload.dump();
    HttpResponse response = http_request(request);
    if (response.status < 200 || response.status >= 300) {
      std::string reason = response.status == 0 ? response.error : response.body;
      throw std::runtime_error("fake GitLab admin call " + method + " " + path + " failed (" +
                               std::to_string(response.status) + "): " + reason + "\nserver stderr:\n" +
                               server->stderr_text());
    }
    return json::parse(response.body);
  }
};

FakeGitLab::FakeGitLab(FakeGitLabOptions options) : impl_(std::make_unique<Impl>()) {
  std::vector<std::string> argv{FLOWRUN_TEST_PYTHON, FLOWRUN_FAKE_GITLAB_SCRIPT, "--data-dir",
                                impl_->data_dir.path().string()};
  if (options.verbose) argv.push_back("--verbose");
  if (!options.url_root.empty()) argv.insert(argv.end(), {"--url-root", options.url_root});
  auto env = base_environment();
  env["PYTHONDONTWRITEBYTECODE"] = "1";
  impl_->server = std::make_unique<BackgroundProcess>(argv, env, impl_->data_dir.path());
  auto ready = impl_->server->wait_for_line("READY ", kStartupTimeout);
  if (!ready) {
    std::string why = impl_->server->exited() ? "it exited" : "it did not print READY within 10 s";
    impl_->server->stop(std::chrono::seconds(1));
    throw std::runtime_error("the fake GitLab (" + std::string(FLOWRUN_FAKE_GITLAB_SCRIPT) + ") did not start: " + why +
                             ". Its stderr:\n" + impl_->server->stderr_text());
  }
  impl_->port = std::stoi(ready->substr(6));
  impl_->origin = "http://127.0.0.1:" + std::to_string(impl_->port);
  std::string root = options.url_root;
  while (!root.empty() && root.back() == '/') root.pop_back();
  if (!root.empty() && root.front() != '/') root.insert(0, "/");
  impl_->base_url = impl_->origin + root;
}

FakeGitLab::~FakeGitLab() { impl_->server->stop(); }

std::string FakeGitLab::url() const { return impl_->base_url; }
std::string FakeGitLab::api_url() const { return impl_->base_url + "/api/v4"; }
std::string FakeGitLab::host() const { return "127.0.0.1:" + std::to_string(impl_->port); }
std::string FakeGitLab::origin() const { return impl_->origin; }
int FakeGitLab::port() const { return impl_->port; }
std::string FakeGitLab::repository_url(const std::string& project_path) const {
  return impl_->base_url + "/" + project_path + ".git";
}
const std::filesystem::path& FakeGitLab::data_dir() const { return impl_->data_dir.path(); }
std::string FakeGitLab::server_stderr() const { return impl_->server->stderr_text(); }

std::filesystem::path FakeGitLab::add_project(std::int64_t id, const std::string& path,
                                              const std::string& default_branch, bool validate_branches) {
  json answer = impl_->admin(
      "POST", "/__admin/projects",
      {{"id", id}, {"path", path}, {"default_branch", default_branch}, {"validate_branches", validate_branches}});
  return answer.at("repo_path").get<std::string>();
}

void FakeGitLab::add_token(const std::string& token, TokenKind kind, const std::string& username, bool expired) {
  impl_->admin("POST", "/__admin/tokens",
               {{"token", token}, {"kind", kind_name(kind)}, {"username", username}, {"expired", expired}});
}

void FakeGitLab::add_issue(std::int64_t project_id, std::int64_t iid, const std::string& title,
                           const std::string& description) {
  impl_->admin("POST", "/__admin/issues",
               {{"project_id", project_id}, {"iid", iid}, {"title", title}, {"description", description}});
}

std::int64_t FakeGitLab::add_merge_request(const MergeRequestSeed& seed) {
  json payload{{"project_id", seed.project_id}, {"source_branch", seed.source_branch},
               {"title", seed.title},           {"description", seed.description},
               {"state", seed.state},           {"author", seed.author}};
  if (!seed.target_branch.empty()) payload["target_branch"] = seed.target_branch;
  if (seed.iid != 0) payload["iid"] = seed.iid;
  return impl_->admin("POST", "/__admin/merge_requests", payload).at("iid").get<std::int64_t>();
}

EpicInfo FakeGitLab::add_epic(const EpicSeed& seed) {
  json payload{{"group_id", seed.group}, {"iid", seed.iid}};
  if (!seed.group_path.empty()) payload["group_path"] = seed.group_path;
  if (!seed.title.empty()) payload["title"] = seed.title;
  json answer = impl_->admin("POST", "/__admin/epics", payload);
  return {answer.at("group_id").get<std::int64_t>(), answer.at("group_path").get<std::string>(),
          answer.at("id").get<std::int64_t>()};
}

std::int64_t FakeGitLab::add_discussion(const DiscussionSeed& seed) {
  json payload{{"noteable", seed.noteable}, {"iid", seed.iid}, {"id", seed.id}};
  if (seed.noteable == "epic") {
    payload["group_id"] = seed.group;
  } else {
    payload["project_id"] = seed.project_id;
  }
  if (!seed.body.empty()) payload["body"] = seed.body;
  if (!seed.author.empty()) payload["author"] = seed.author;
  return impl_->admin("POST", "/__admin/discussions", payload).at("note_id").get<std::int64_t>();
}

void FakeGitLab::add_fault(const Fault& fault) {
  json payload{{"method", fault.method}, {"path_regex", fault.path_regex}, {"status", fault.status},
               {"times", fault.times},   {"delay_ms", fault.delay_ms},     {"drop_connection", fault.drop_connection}};
  if (!fault.retry_after.empty()) payload["retry_after"] = fault.retry_after;
  if (!fault.location.empty()) payload["location"] = fault.location;
  impl_->admin("POST", "/__admin/faults", payload);
}

std::vector<RecordedRequest> FakeGitLab::requests() const {
  std::vector<RecordedRequest> requests;
  const json answer = impl_->admin("GET", "/__admin/requests");
  for (const json& entry : answer.at("requests")) {
    RecordedRequest request;
    request.method = entry.at("method").get<std::string>();
    request.path = entry.at("path").get<std::string>();
    request.query = entry.at("query").get<std::string>();
    request.headers = entry.at("headers").get<std::map<std::string, std::string>>();
    request.body = entry.at("body").get<std::string>();
    request.status = entry.at("status").get<int>();
    request.kind = entry.at("kind").get<std::string>();
    requests.push_back(std::move(request));
  }
  return requests;
}

ServerState FakeGitLab::state() const {
  json answer = impl_->admin("GET", "/__admin/state");
  ServerState state;
  state.json = answer.dump();
  for (const json& note : answer.at("notes")) {
    RecordedNote recorded;
    recorded.id = note.at("id").get<std::int64_t>();
    recorded.body = note.at("body").get<std::string>();
    recorded.author = note.at("author").at("username").get<std::string>();
    recorded.noteable_type = note.at("noteable_type").get<std::string>();
    recorded.noteable_iid = note.at("noteable_iid").get<std::int64_t>();
    recorded.project_id = value_or<std::int64_t>(note, "project_id", 0);
    recorded.group_id = value_or<std::int64_t>(note, "group_id", 0);
    recorded.discussion_id = note.at("discussion_id").get<std::string>();
    recorded.type = value_or<std::string>(note, "type", "");
    recorded.system = note.at("system").get<bool>();
    recorded.created_at = note.at("created_at").get<std::string>();
    recorded.updated_at = note.at("updated_at").get<std::string>();
    state.notes.push_back(std::move(recorded));
  }
  for (const json& mr : answer.at("merge_requests")) {
    RecordedMergeRequest recorded;
    recorded.id = mr.at("id").get<std::int64_t>();
    recorded.iid = mr.at("iid").get<std::int64_t>();
    recorded.project_id = mr.at("project_id").get<std::int64_t>();
    recorded.source_branch = mr.at("source_branch").get<std::string>();
    recorded.target_branch = mr.at("target_branch").get<std::string>();
    recorded.title = mr.at("title").get<std::string>();
    recorded.description = value_or<std::string>(mr, "description", "");
    recorded.state = mr.at("state").get<std::string>();
    recorded.author = mr.at("author").at("username").get<std::string>();
    recorded.web_url = mr.at("web_url").get<std::string>();
    recorded.remove_source_branch = value_or<bool>(mr, "force_remove_source_branch", false);
    state.merge_requests.push_back(std::move(recorded));
  }
  return state;
}

void FakeGitLab::reset() { impl_->admin("POST", "/__admin/reset"); }

}  // namespace flowrun::testing
