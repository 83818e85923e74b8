#pragma once
// The git module: turns what a flow's commands changed in the work tree into one commit on the workload branch,
// pushes it, and makes sure nothing is lost when the push fails (the commit stays in the repository and a patch
// file is written to the artifacts).
//
// Start here. Related headers: target.h (branch, remote URL, proxy), credentials.h (which tokens, in which order),
// identity.h (author and committer), exclusions.h (which paths are never committed).
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flowrun/git/credentials.h"
#include "flowrun/git/identity.h"
#include "flowrun/git/push_checks.h"
#include "flowrun/git/target.h"

namespace flowrun::git {

struct FileChange {
  std::string path;
  std::string old_path;  // set for renames
  char status;           // 'A' added, 'M' modified (content or mode), 'D' deleted, 'R' renamed, 'T' type changed
  bool binary;           // additions and deletions are 0 for binary files
  int additions;
  int deletions;
};

struct ChangeSet {
  std::vector<FileChange> files;                // from the job's commit to what is (or would be) pushed
  std::vector<std::string> submodules_changed;  // reported, never committed
  std::vector<std::string> excluded;            // changed but never committed: flowrun's own files, exclude_globs
  bool commands_committed = false;              // the commands moved HEAD past the job's commit themselves
  std::vector<PushRefusal> refusals;            // what the push checks refuse (push_checks.h)
};

// A follow-up request on a merge request: the commit goes onto its source branch (same project), fast-forward only.
struct FollowUp {
  std::string branch;  // the merge request's source branch
  std::string head;    // its head commit when GitLab was asked (40 hex)
};

struct GitOptions {
  std::filesystem::path workdir;        // any folder inside the work tree
  std::string base_commit;              // the job's commit, captured with head_commit() before the commands ran
  std::string branch;                   // target branch name (validated)
  std::string remote_url;               // URL without credentials; http(s), or a local path
  std::vector<Credential> credentials;  // tried in order: a refused one moves to the next, then give up
  Identity author, committer;
  std::string message;                              // already rendered and masked by the caller
  std::vector<std::string> exclude_globs;           // never committed (see exclusions.h for the pattern syntax)
  std::vector<std::filesystem::path> never_commit;  // flowrun's own log/report/artifact files or folders (absolute)
  std::filesystem::path artifacts_dir;              // where flowrun-changes.patch is written; empty: no patch file
  bool push = true;
  int max_push_attempts = 4;  // attempts for transient failures (connection refused/reset, 5xx)
  std::chrono::milliseconds first_backoff{std::chrono::seconds(2)};  // doubled after each failed attempt
  std::string ca_file;                        // custom CA bundle for https (CI_SERVER_TLS_CA_FILE)
  std::string proxy_url;                      // explicit proxy (see proxy_for_url); empty: connect directly
  std::function<void(std::string_view)> log;  // progress lines; never given a secret
  // Author and committer from the repository's config, resolved inside the isolated step (reading the agent's
  // config may block); when empty, `author` and `committer` are used as they are.
  std::function<std::pair<Identity, Identity>()> resolve_identities;
  // The whole of commit_and_push ends by then, pushed or not; nullopt: one hour from the call.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::function<bool()> cancelled;  // polled; a cancelled run commits but does not push
  PushCheckRules checks;            // what must not be pushed; a refused commit stays local with its patch
  // Tried first when set; when the merge request's branch cannot take the commit, it goes to `branch` instead.
  std::optional<FollowUp> follow_up;
};

enum class Outcome {
  no_changes,            // nothing changed and HEAD is the job's commit: no commit, no push
  committed,             // committed, not pushed (push off)
  pushed,                // pushed to `branch`
  pushed_to_new_branch,  // `branch` moved on the server: pushed to a new branch next to it (GitResult::branch)
  push_failed,           // committed, push failed: see error; the patch file keeps the work
  refused,               // committed, not pushed: the push checks refused it (changes.refusals); the patch keeps it
  failed,                // nothing committed: see error
};

struct GitResult {
  Outcome outcome = Outcome::failed;
  std::string base_commit;
  std::string commit;  // what was (or would have been) pushed; empty when nothing was committed
  std::string branch;  // where it landed (or was meant to)
  ChangeSet changes;
  std::optional<std::filesystem::path> patch_file;
  std::string error;  // what went wrong and what to do
  int push_attempts = 0;
  std::string remote_display;  // the remote URL without credentials
  // An operation the agent left unfinished (a rebase, a merge with conflicts...): the work is committed and kept,
  // never pushed. Empty when none.
  std::string unfinished_operation;
  bool followed_up = false;        // `commit` was pushed onto the merge request's branch (`branch`)
  std::string follow_up_fallback;  // why the follow-up went to the workload branch instead; empty otherwise
};

std::string_view to_string(Outcome outcome);

// The commit HEAD points to, as 40 hex digits; nullopt when `workdir` is not inside a work tree or HEAD is unborn.
std::optional<std::string> head_commit(const std::filesystem::path& workdir);

// What commit_and_push would commit, without changing anything (for --dry-run). Errors (not a repository, unknown
// base commit) give an empty ChangeSet.
ChangeSet detect_changes(const GitOptions& options);

// Makes one commit on the job's commit from what the work tree holds (whatever the agent did to HEAD, the index or
// its own commits: the work tree is the truth; flowrun's files and the exclusions are never in it), writes the patch
// file and pushes that commit, by id, to "refs/heads/<branch>". No hook runs. Every step that reads the agent's files
// or talks to the server runs in a child process bounded by `deadline`. Never throws.
GitResult commit_and_push(const GitOptions& options);

}  // namespace flowrun::git
