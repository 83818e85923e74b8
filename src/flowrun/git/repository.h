#pragma once
// Opening the work tree's repository and resolving the commits the module works between. Internal.
#include <filesystem>
#include <optional>
#include <string>

#include "flowrun/git/libgit2_handles.h"

namespace flowrun::git::detail {

// The repository whose work tree contains `workdir`. Throws GitError for a bare repository or none.
RepositoryPtr open_work_tree_repository(const std::filesystem::path& workdir);

// The commit HEAD points to; nullopt when HEAD is unborn.
std::optional<git_oid> head_oid(git_repository* repo);

CommitPtr lookup_commit(git_repository* repo, const git_oid& id);
TreePtr commit_tree(const git_commit* commit);

// Parses a full or abbreviated commit id that names an existing commit. Throws GitError otherwise.
git_oid resolve_commit_id(git_repository* repo, const std::string& text);

// True when `base` is reachable from `tip` through parents. Walks at most `limit` commits and treats missing parents
// (the boundary of a shallow clone) as the end of history, which libgit2's merge-base cannot do before 1.7.
bool is_descendant(git_repository* repo, const git_oid& tip, const git_oid& base, int limit = 100000);

// The top of the work tree, without a trailing slash.
std::filesystem::path work_tree_top(git_repository* repo);

}  // namespace flowrun::git::detail
