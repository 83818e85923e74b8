#pragma once
// Where a project's flows are: `.gitlab/duo/flows/` at the root of its git repository, as GitLab reads them.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace flowrun::flow {

inline constexpr const char* flows_folder = ".gitlab/duo/flows";

// The nearest directory at or above `start` that holds `.git` (a folder, or a file in a worktree/submodule).
std::optional<std::filesystem::path> find_repository_root(const std::filesystem::path& start);

// `<repository root>/.gitlab/duo/flows` when it exists. Outside any git repository: the nearest directory
// at or above `start` that has `.gitlab/duo/flows`.
std::optional<std::filesystem::path> find_flows_dir(const std::filesystem::path& start);

// True for `*.yaml` and `*.yml` names.
bool is_flow_file_name(const std::filesystem::path& path);

// The `.yaml` and `.yml` files directly in `dir` (not in subfolders), sorted by name; empty when unreadable.
std::vector<std::filesystem::path> list_flow_files(const std::filesystem::path& dir);

struct ResolvedFlow {
  std::optional<std::filesystem::path> path;  // set when found
  std::string error;                          // otherwise: what went wrong and what to do
};

// An existing file (relative paths are taken from `cwd`), or a flow name, with or without extension, under the
// flows folder found from `cwd`. Empty: the only flow there. A name holding `/`, `..` or a NUL byte that is
// not an existing path is refused, so a name never reaches outside the flows folder.
ResolvedFlow resolve_flow(const std::string& name_or_path, const std::filesystem::path& cwd);

}  // namespace flowrun::flow
