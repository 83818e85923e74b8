#include "flowrun/flow/discovery.h"

#include <algorithm>
#include <system_error>

namespace flowrun::flow {
namespace fs = std::filesystem;

namespace {

bool path_exists(const fs::path& path) {
  std::error_code error;
  return fs::exists(path, error);
}

bool is_dir(const fs::path& path) {
  std::error_code error;
  return fs::is_directory(path, error);
}

fs::path absolute_from(const fs::path& path, const fs::path& cwd) {
  if (path.is_absolute()) return path.lexically_normal();
  if (!cwd.empty()) return (cwd / path).lexically_normal();
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  return error ? path : absolute.lexically_normal();
}

std::string names_of(const std::vector<fs::path>& files) {
  std::string out;
  for (const auto& file : files) out += (out.empty() ? "" : ", ") + file.stem().string();
  return out;
}

}  // namespace

std::optional<fs::path> find_repository_root(const fs::path& start) {
  for (fs::path dir = absolute_from(start, {}); !dir.empty(); dir = dir.parent_path()) {
    if (path_exists(dir / ".git")) return dir;
    if (dir == dir.root_path()) break;
  }
  return std::nullopt;
}

std::optional<fs::path> find_flows_dir(const fs::path& start) {
  if (auto root = find_repository_root(start)) {
    fs::path flows = *root / flows_folder;
    if (is_dir(flows)) return flows;
    return std::nullopt;
  }
  for (fs::path dir = absolute_from(start, {}); !dir.empty(); dir = dir.parent_path()) {
    if (is_dir(dir / flows_folder)) return dir / flows_folder;
    if (dir == dir.root_path()) break;
  }
  return std::nullopt;
}

bool is_flow_file_name(const fs::path& path) {
  auto extension = path.extension();
  return extension == ".yaml" || extension == ".yml";
}

std::vector<fs::path> list_flow_files(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    std::error_code type_error;
    if (is_flow_file_name(it->path()) && !it->is_directory(type_error)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

ResolvedFlow resolve_flow(const std::string& name_or_path, const fs::path& cwd) {
  const fs::path base = cwd.empty() ? absolute_from(".", {}) : cwd;
  if (name_or_path.find('\0') != std::string::npos) {
    return {std::nullopt, "the flow name contains a NUL byte: give a flow name or a path to a .yaml file"};
  }
  if (!name_or_path.empty()) {
    fs::path given(name_or_path);
    fs::path candidate = given.is_absolute() ? given : base / given;
    if (path_exists(candidate)) {
      if (is_dir(candidate)) {
        return {std::nullopt, "'" + name_or_path + "' is a directory: give a flow file or a flow name"};
      }
      return {given.is_absolute() ? given : candidate.lexically_normal(), ""};
    }
    bool looks_like_path = name_or_path.find('/') != std::string::npos || name_or_path == "." || name_or_path == ".." ||
                           name_or_path.find("..") != std::string::npos;
    if (looks_like_path) return {std::nullopt, "no such file: '" + name_or_path + "'; check the path"};
  }

  auto flows_dir = find_flows_dir(base);
  if (!flows_dir) {
    auto root = find_repository_root(base);
    std::string where =
        root ? "no " + std::string(flows_folder) + "/ folder in the repository at " + root->string()
             : "no git repository (and no " + std::string(flows_folder) + "/) at or above " + base.string();
    return {std::nullopt, where + ": give the path to a flow file, or create " + flows_folder + "/<name>.yaml"};
  }
  auto files = list_flow_files(*flows_dir);
  if (name_or_path.empty()) {
    if (files.size() == 1) return {files.front(), ""};
    if (files.empty()) {
      return {std::nullopt, "no .yaml or .yml file in " + flows_dir->string() + ": create one, e.g. claude.yaml"};
    }
    return {std::nullopt,
            "several flows in " + flows_dir->string() + " (" + names_of(files) + "): name the one to run"};
  }
  std::vector<fs::path> candidates;
  if (is_flow_file_name(name_or_path)) candidates.push_back(*flows_dir / name_or_path);
  candidates.push_back(*flows_dir / (name_or_path + ".yaml"));
  candidates.push_back(*flows_dir / (name_or_path + ".yml"));
  for (const auto& candidate : candidates) {
    std::error_code error;
    if (fs::is_regular_file(candidate, error)) return {candidate, ""};
  }
  std::string known = files.empty() ? "it has none" : "it has: " + names_of(files);
  return {std::nullopt, "no flow named '" + name_or_path + "' in " + flows_dir->string() + " (" + known + ")"};
}

}  // namespace flowrun::flow
