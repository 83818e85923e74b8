#include "flowrun/git/snapshot.h"

#include <fcntl.h>
#include <unistd.h>

#include "flowrun/git/repository.h"

namespace flowrun::git::detail {
namespace {

std::string operation_name(int state) {
  switch (state) {
    case GIT_REPOSITORY_STATE_NONE:
      return "";
    case GIT_REPOSITORY_STATE_MERGE:
      return "a merge";
    case GIT_REPOSITORY_STATE_REVERT:
    case GIT_REPOSITORY_STATE_REVERT_SEQUENCE:
      return "a revert";
    case GIT_REPOSITORY_STATE_CHERRYPICK:
    case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE:
      return "a cherry-pick";
    case GIT_REPOSITORY_STATE_BISECT:
      return "a bisect";
    case GIT_REPOSITORY_STATE_APPLY_MAILBOX:
    case GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE:
      return "a git am";
    default:
      return "a rebase";
  }
}

std::string unfinished_operation(git_repository* repo) {
  std::string operation = operation_name(git_repository_state(repo));
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo) == 0) {
    IndexPtr index(raw);
    if (git_index_has_conflicts(index.get()) == 1) {
      operation = operation.empty() ? "unresolved conflicts in the index" : operation + " with conflicts";
    }
  }
  return operation;
}

// Points HEAD at `base`, detached. libgit2 reads the old HEAD for the reflog and fails on a HEAD the agent
// filled with garbage: then the file is written directly (a new file renamed over it, so no link is followed).
void detach_head_at(git_repository* repo, const git_oid& base) {
  if (git_repository_set_head_detached(repo, &base) == 0) return;
  const std::filesystem::path head = std::filesystem::path(git_repository_path(repo)) / "HEAD";
  const std::filesystem::path partial = head.string() + ".flowrun";
  ::unlink(partial.c_str());
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw GitError("cannot reset HEAD to the job's commit: cannot write " + partial.string());
  const std::string text = oid_hex(base) + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written || ::rename(partial.c_str(), head.c_str()) != 0) {
    throw GitError("cannot reset HEAD to the job's commit: cannot write " + head.string());
  }
}

}  // namespace

Snapshot take_snapshot(const GitOptions& options) {
  Snapshot snapshot;
  snapshot.repo = open_work_tree_repository(options.workdir);
  git_repository* repo = snapshot.repo.get();
  const auto head = head_oid(repo);
  if (options.base_commit.empty()) {
    if (!head) throw GitError("the repository at " + options.workdir.string() + " has no commit yet (unborn HEAD)");
    snapshot.base = *head;
  } else {
    snapshot.base = resolve_commit_id(repo, options.base_commit);
  }
  snapshot.unfinished_operation = unfinished_operation(repo);

  if (head && git_oid_equal(&*head, &snapshot.base)) return snapshot;
  snapshot.head_moved = true;
  if (!head) {
    snapshot.head_story = "HEAD was left unreadable";
  } else if (is_descendant(repo, *head, snapshot.base)) {
    snapshot.head_story = "the commands committed on top of the job's commit (their commits are folded into one)";
  } else {
    snapshot.head_story = "the commands moved HEAD to " + oid_hex(*head) + ", which does not contain the job's commit";
  }
  detach_head_at(repo, snapshot.base);
  return snapshot;
}

}  // namespace flowrun::git::detail
