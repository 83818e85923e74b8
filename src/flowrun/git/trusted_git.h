#pragma once
// The git program flowrun may run with a token in its environment: never one found through the job's PATH (the
// agent can write to folders in it), only one at a system location that only root can change. Internal.
#include <filesystem>
#include <optional>

namespace flowrun::git::detail {

// /usr/bin/git, then /bin/git, when it (after links) is a regular file owned by root that no one else may write,
// in a folder no one else may write either; nullopt when there is none.
std::optional<std::filesystem::path> trusted_git();

}  // namespace flowrun::git::detail
