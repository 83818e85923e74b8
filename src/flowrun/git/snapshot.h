#pragma once
// What the agent left in the repository, read before anything is staged: the job's commit, where HEAD went, and
// any operation left unfinished. HEAD is brought back to the job's commit (detached, the index and the work tree
// untouched) when the agent moved it, so that the one commit flowrun makes sits on the job's commit whatever the
// agent did: amended, reset, checked out an older commit, committed files that must not leave, or broke .git/HEAD.
// Internal.
#include <string>

#include "flowrun/git/git.h"
#include "flowrun/git/libgit2_handles.h"

namespace flowrun::git::detail {

struct Snapshot {
  RepositoryPtr repo;
  git_oid base{};                    // the job's commit; HEAD points to it once the snapshot is taken
  bool head_moved = false;           // the commands moved HEAD (committed, reset, checked out, broke it)
  std::string head_story;            // how, for the log: "committed on top of the job's commit", ...
  std::string unfinished_operation;  // "a rebase", "a merge with conflicts", ... (see git.h)
};

// Throws GitError when there is no repository or the job's commit cannot be found.
Snapshot take_snapshot(const GitOptions& options);

}  // namespace flowrun::git::detail
