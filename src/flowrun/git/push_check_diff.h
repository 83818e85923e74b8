#pragma once
// The push checks (push_checks.h) applied to a diff: the commit flowrun made, or the work tree for a dry run.
// Internal.
#include <filesystem>
#include <string>
#include <vector>

#include "flowrun/git/libgit2_handles.h"
#include "flowrun/git/push_checks.h"

namespace flowrun::git::detail {

// Every refusal in `diff` (at most a few hundred); paths in `skip` are not looked at. A file's content is read from
// the repository's objects, else from the work tree under `top`.
std::vector<PushRefusal> check_diff(git_repository* repo, git_diff* diff, const PushCheckRules& rules,
                                    const std::filesystem::path& top, const std::vector<std::string>& skip = {});

// Rewrites `file` with every secret masked (the patch of a refused commit). Throws GitError.
void mask_file(const std::filesystem::path& file, const PushCheckRules& rules);

}  // namespace flowrun::git::detail
