#pragma once
// What changed in the work tree, read with libgit2 status (HEAD -> index -> work tree, untracked files included,
// .gitignore honoured), sorted into what gets staged and what never does; and the per-file summary of a diff.
// Internal.
#include <string>
#include <vector>

#include "flowrun/git/exclusions.h"
#include "flowrun/git/git.h"
#include "flowrun/git/libgit2_handles.h"

namespace flowrun::git::detail {

struct WorkTreeScan {
  std::vector<std::string> to_stage;    // changed paths to add (or remove, when gone from the work tree)
  std::vector<std::string> to_restore;  // excluded paths whose index entry must go back to HEAD's
  std::vector<std::string> excluded;    // changed, never committed
  std::vector<std::string> submodules;  // changed submodules and nested repositories, never committed
};

// `head_tree` lets the scan skip comparing HEAD with the index (a third of its cost on a large tree) when the
// index's cached tree is HEAD's; that check may write tree objects, so a read-only caller passes nullptr.
WorkTreeScan scan_work_tree(git_repository* repo, const Exclusions& exclusions, const git_tree* head_tree = nullptr);

// Brings the repository's index to HEAD's tree plus the scanned changes, writes it and returns the resulting tree.
// Only the scanned paths are touched: no scan of the whole tree as an add-all would do.
git_oid stage_changes(git_repository* repo, const WorkTreeScan& scan, const git_tree* head_tree);

// One FileChange per delta, with renames detected and +/- line counts (0 and binary=true for binary files).
// Deltas whose path is in `skip` are left out.
std::vector<FileChange> summarize_diff(git_diff* diff, const std::vector<std::string>& skip = {});

// The diff from `base` to the work tree as it would be committed (index and untracked files included).
DiffPtr diff_base_to_work_tree(git_repository* repo, git_tree* base);

// The diff between two trees, renames detected.
DiffPtr diff_trees(git_repository* repo, git_tree* from, git_tree* to);

}  // namespace flowrun::git::detail
