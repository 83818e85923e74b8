#pragma once
// The fake GitLab for tests: REST API v4 and git smart HTTP on one 127.0.0.1 port, served by
// tests/support/fake_gitlab/fake_gitlab.py. One server per FakeGitLab object; it stops with the object.
// The exact HTTP interface is described in tests/support/INTERFACE.md.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace flowrun::testing {

enum class TokenKind { pat, oauth, job };

struct FakeGitLabOptions {
  bool verbose = false;  // the server logs request lines (never headers or bodies) to its stderr
  // A relative URL root such as "/gitlab": the API, git and web pages are served only under it, as by a GitLab
  // installed at http://host/gitlab; a request outside it (but /__admin) gets 404. Empty: at the server's root.
  std::string url_root;
};

struct MergeRequestSeed {
  std::int64_t project_id = 0;
  std::string source_branch;
  std::string target_branch;  // empty: the project's default branch
  std::string title = "A merge request";
  std::string description;
  std::string state = "opened";  // opened, closed, locked, merged
  std::int64_t iid = 0;          // 0: the next free iid
  std::string author = "someone";
};

struct EpicSeed {
  std::string group;  // a group full path ("grp/sub") or a numeric id ("12"); created when unknown
  std::int64_t iid = 0;
  std::string group_path;  // with a numeric `group` that does not exist yet: the new group's path
  std::string title;
};

struct EpicInfo {
  std::int64_t group_id = 0;
  std::string group_path;
  std::int64_t id = 0;  // the epic's global id: what the epic Notes and Discussions APIs take (not the iid)
};

struct DiscussionSeed {
  std::string noteable = "issue";  // issue, merge_request, epic
  std::int64_t project_id = 0;     // for issue and merge_request
  std::string group;               // for epic: full path or numeric id
  std::int64_t iid = 0;
  std::string id;      // 40 lowercase hex characters
  std::string body;    // first note; empty: "🔄 Processing the request..."
  std::string author;  // empty: "duo-developer"
};

// The next `times` requests matching `method` ("*" for any) and `path_regex` (searched in the path, without the
// query string) get: a delay, then the connection closed without an answer, or `status` with
// {"message":"<status> <reason>"} (and Retry-After when given), or (delay only) the normal answer.
struct Fault {
  std::string method = "*";
  std::string path_regex;
  int status = 0;
  std::string retry_after;
  int times = 1;
  int delay_ms = 0;
  bool drop_connection = false;
  std::string location;  // with a 3xx status: a redirect to this URL + the request's path and query
};

struct RecordedRequest {
  std::string method;
  std::string path;                            // as sent, still URL-encoded (/api/v4/projects/group%2Fproject/...)
  std::string query;                           // without the '?'
  std::map<std::string, std::string> headers;  // lowercased names
  std::string body;                            // API bodies only; empty for git requests
  int status = 0;                              // status sent; 0 when the connection was dropped by a fault
  std::string kind;                            // "api", "git" or "web" (a page: GET outside the API and git)

  std::string header(const std::string& name) const;  // any case; "" when absent
};

struct RecordedNote {
  std::int64_t id = 0;
  std::string body;
  std::string author;         // username
  std::string noteable_type;  // Issue, MergeRequest, Epic
  std::int64_t noteable_iid = 0;
  std::int64_t project_id = 0;  // 0 for epic notes
  std::int64_t group_id = 0;    // epic notes only
  std::string discussion_id;
  std::string type;  // "DiscussionNote" in a thread, "" for a single note
  bool system = false;
  std::string created_at;
  std::string updated_at;
};

struct RecordedMergeRequest {
  std::int64_t id = 0;
  std::int64_t iid = 0;
  std::int64_t project_id = 0;
  std::string source_branch;
  std::string target_branch;
  std::string title;
  std::string description;
  std::string state;
  std::string author;
  std::string web_url;
  bool remove_source_branch = false;
};

struct ServerState {
  std::vector<RecordedNote> notes;  // in creation order
  std::vector<RecordedMergeRequest> merge_requests;
  std::string json;  // the whole /__admin/state answer, including "workflows" (parse it with nlohmann::json)
};

class FakeGitLab {
 public:
  // Starts the server and waits (at most 10 s) until it listens; throws std::runtime_error with the server's
  // stderr when it does not come up.
  explicit FakeGitLab(FakeGitLabOptions options = {});
  ~FakeGitLab();
  FakeGitLab(const FakeGitLab&) = delete;
  FakeGitLab& operator=(const FakeGitLab&) = delete;

  std::string url() const;      // http://127.0.0.1:PORT, plus the URL root when there is one
  std::string api_url() const;  // url() + "/api/v4"
  std::string host() const;     // 127.0.0.1:PORT
  std::string origin() const;   // http://127.0.0.1:PORT, without the URL root
  int port() const;
  // url() + "/<project_path>.git", without credentials.
  std::string repository_url(const std::string& project_path) const;
  const std::filesystem::path& data_dir() const;
  std::string server_stderr() const;

  // Creates the project and its empty bare repository; returns the repository's path. With validate_branches,
  // creating a merge request needs both branches to exist in the repository, as on GitLab.
  std::filesystem::path add_project(std::int64_t id, const std::string& path,
                                    const std::string& default_branch = "main", bool validate_branches = true);
  void add_token(const std::string& token, TokenKind kind = TokenKind::pat, const std::string& username = "flowrun-bot",
                 bool expired = false);
  void add_issue(std::int64_t project_id, std::int64_t iid, const std::string& title = "An issue",
                 const std::string& description = "");
  std::int64_t add_merge_request(const MergeRequestSeed& seed);  // returns the iid
  EpicInfo add_epic(const EpicSeed& seed);
  std::int64_t add_discussion(const DiscussionSeed& seed);  // returns the id of the thread's first note
  void add_fault(const Fault& fault);

  std::vector<RecordedRequest> requests() const;  // API and git requests since start or reset(), in order
  ServerState state() const;
  void reset();  // forgets recorded requests and pending faults (not projects, tokens or notes)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace flowrun::testing
