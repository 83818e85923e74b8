#include "flowrun/git/repository.h"

#include <deque>
#include <unordered_set>

namespace flowrun::git::detail {

namespace {

// The folder holding `.git` at or above `workdir`, as git discovers the checkout; empty when there is none.
std::filesystem::path checkout_top(const std::filesystem::path& workdir) {
  std::error_code ec;
  auto dir = std::filesystem::absolute(workdir, ec).lexically_normal();
  if (ec) return {};
  if (!dir.has_filename()) dir = dir.parent_path();
  while (true) {
    if (std::filesystem::exists(dir / ".git", ec)) return dir;
    if (dir.parent_path() == dir) return {};
    dir = dir.parent_path();
  }
}

}  // namespace

RepositoryPtr open_work_tree_repository(const std::filesystem::path& workdir) {
  ensure_libgit2_initialised();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, workdir.c_str(), 0, nullptr) != 0) {
    throw GitError("no git repository at " + workdir.string() + " (" + last_error_message() +
                   "): run flowrun inside the job's checkout or pass its folder");
  }
  RepositoryPtr repo(raw);
  if (git_repository_is_bare(repo.get())) {
    throw GitError("the repository at " + workdir.string() + " is bare: it has no work tree to commit from");
  }
  // The work tree is the checkout, whatever core.worktree says: a command may point it at any folder, whose files
  // would then be committed and pushed.
  if (const auto top = checkout_top(workdir); !top.empty()) {
    std::error_code ec;
    if (!std::filesystem::equivalent(top, work_tree_top(repo.get()), ec)) {
      check(git_repository_set_workdir(repo.get(), top.c_str(), 0), "cannot use " + top.string() + " as work tree");
    }
  }
  return repo;
}

std::optional<git_oid> head_oid(git_repository* repo) {
  git_oid id;
  if (git_reference_name_to_id(&id, repo, "HEAD") != 0) return std::nullopt;
  return id;
}

CommitPtr lookup_commit(git_repository* repo, const git_oid& id) {
  git_commit* raw = nullptr;
  check(git_commit_lookup(&raw, repo, &id), "cannot read commit " + oid_hex(id));
  return CommitPtr(raw);
}

TreePtr commit_tree(const git_commit* commit) {
  git_tree* raw = nullptr;
  check(git_commit_tree(&raw, commit), "cannot read the tree of commit " + oid_hex(*git_commit_id(commit)));
  return TreePtr(raw);
}

git_oid resolve_commit_id(git_repository* repo, const std::string& text) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, text.c_str()) != 0) {
    throw GitError("the job's commit " + text + " is not in the repository (" + last_error_message() + ")");
  }
  git_object* peeled = nullptr;
  const int rc = git_object_peel(&peeled, raw, GIT_OBJECT_COMMIT);
  git_object_free(raw);
  if (rc != 0) throw GitError(text + " does not name a commit");
  git_oid id = *git_object_id(peeled);
  git_object_free(peeled);
  return id;
}

bool is_descendant(git_repository* repo, const git_oid& tip, const git_oid& base, int limit) {
  struct OidHash {
    std::size_t operator()(const git_oid& id) const noexcept {
      std::size_t h = 0;
      for (std::size_t i = 0; i < sizeof(std::size_t); ++i) h = (h << 8) | id.id[i];
      return h;
    }
  };
  struct OidEqual {
    bool operator()(const git_oid& a, const git_oid& b) const noexcept { return git_oid_equal(&a, &b) != 0; }
  };
  std::unordered_set<git_oid, OidHash, OidEqual> seen{tip};
  std::deque<git_oid> queue{tip};
  while (!queue.empty() && limit-- > 0) {
    const git_oid id = queue.front();
    queue.pop_front();
    if (git_oid_equal(&id, &base)) return true;
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo, &id) != 0) continue;  // beyond a shallow boundary
    CommitPtr commit(raw);
    for (unsigned i = 0; i < git_commit_parentcount(commit.get()); ++i) {
      const git_oid* parent = git_commit_parent_id(commit.get(), i);
      if (parent != nullptr && seen.insert(*parent).second) queue.push_back(*parent);
    }
  }
  return false;
}

std::filesystem::path work_tree_top(git_repository* repo) {
  std::string top = git_repository_workdir(repo);
  while (top.size() > 1 && top.back() == '/') top.pop_back();
  return top;
}

}  // namespace flowrun::git::detail
