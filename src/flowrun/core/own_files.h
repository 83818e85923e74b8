#pragma once
// flowrun's own files (report, note, patch) live in folders the agent could also write to. They are written so
// that nothing the agent left there is followed: a link planted as report.json is replaced, not written through,
// and flowrun's folder must be a real folder owned by flowrun's user.
#include <filesystem>
#include <string>
#include <string_view>

namespace flowrun {

// Makes `folder` a real folder owned by this user: a link or a file in its place is removed first (never followed).
// Empty on success, else what is wrong.
std::string ensure_own_folder(const std::filesystem::path& folder);

// Writes `content` to a new file next to `path` (created exclusively, links not followed) and renames it over
// `path`, after ensure_own_folder on the parent. Empty on success, else what went wrong.
std::string write_own_file(const std::filesystem::path& path, std::string_view content);

}  // namespace flowrun
