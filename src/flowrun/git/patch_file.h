#pragma once
// The patch that keeps the work when the push fails: everything from the job's commit to the new commit, binary
// files included, in the format `git apply` reads. Internal.
#include <filesystem>
#include <string>

#include "flowrun/git/libgit2_handles.h"

namespace flowrun::git::detail {

inline constexpr std::string_view kPatchFileName = "flowrun-changes.patch";

// Writes <artifacts_dir>/flowrun-changes.patch (replacing it atomically) and returns its path. Throws GitError.
std::filesystem::path write_patch_file(git_repository* repo, const git_oid& base, const git_oid& commit,
                                       const std::filesystem::path& artifacts_dir);

}  // namespace flowrun::git::detail
