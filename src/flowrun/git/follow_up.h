#pragma once
// Pushing a follow-up onto a merge request's source branch: the commit flowrun made on the job's commit, put on the
// merge request's head (as it is when the job checked out that head, else cherry-picked onto it) and pushed
// fast-forward only, never forced. Internal.
#include "flowrun/git/git.h"

namespace flowrun::git::detail {

// Inside the isolated step. `committed` is what prepare_commit made. The result has followed_up set when pushed;
// otherwise follow_up_fallback says why (the branch moved, the push was refused, the change does not apply).
GitResult push_follow_up(const GitOptions& options, GitResult committed);

}  // namespace flowrun::git::detail
