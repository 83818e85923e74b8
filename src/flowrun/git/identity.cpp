#include "flowrun/git/identity.h"

#include <optional>
#include <vector>

#include "flowrun/core/gitlab_environment.h"
#include "flowrun/git/libgit2_handles.h"

namespace flowrun::git {
namespace {

using namespace detail;

struct Defaults {
  const std::vector<std::string_view>& name_variables;
  const std::vector<std::string_view>& email_variables;
};
constexpr std::string_view kFallbackName = "flowrun";
constexpr std::string_view kFallbackEmail = "flowrun@localhost";

// The config files to read, highest precedence first: the repository's own, then the global ones.
std::vector<std::filesystem::path> config_files(const Environment& env, const std::filesystem::path& workdir) {
  std::vector<std::filesystem::path> files;
  ensure_libgit2_initialised();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, workdir.c_str(), 0, nullptr) == 0) {
    RepositoryPtr repo(raw);
    files.push_back(std::filesystem::path(git_repository_commondir(repo.get())) / "config");
  }
  if (auto global = env.non_empty("GIT_CONFIG_GLOBAL")) {
    files.emplace_back(*global);
    return files;
  }
  const auto home = env.non_empty("HOME");
  if (home) files.push_back(std::filesystem::path(*home) / ".gitconfig");
  if (auto xdg = env.non_empty("XDG_CONFIG_HOME")) {
    files.push_back(std::filesystem::path(*xdg) / "git" / "config");
  } else if (home) {
    files.push_back(std::filesystem::path(*home) / ".config" / "git" / "config");
  }
  return files;
}

std::optional<std::string> config_value(const std::filesystem::path& file, const char* key) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  git_config* raw = nullptr;
  if (git_config_open_ondisk(&raw, file.c_str()) != 0) return std::nullopt;
  ConfigPtr config(raw);
  Buffer value;
  if (git_config_get_string_buf(value.get(), config.get(), key) != 0 || value.view().empty()) return std::nullopt;
  return std::string(value.view());
}

std::string first_of(const std::string& configured, const Environment& env,
                     const std::vector<std::string_view>& variables, const std::vector<std::filesystem::path>& files,
                     const char* key, std::string_view fallback) {
  if (!configured.empty()) return configured;
  for (std::string_view variable : variables) {
    if (auto value = env.non_empty(variable)) return *value;
  }
  for (const auto& file : files) {
    if (auto value = config_value(file, key)) return *value;
  }
  return std::string(fallback);
}

Identity resolve(const Identity& configured, const Environment& env, const std::filesystem::path& workdir,
                 const Defaults& variables) {
  const auto files = config_files(env, workdir);
  return Identity{first_of(configured.name, env, variables.name_variables, files, "user.name", kFallbackName),
                  first_of(configured.email, env, variables.email_variables, files, "user.email", kFallbackEmail)};
}

}  // namespace

Identity resolve_author(const Identity& configured, const Environment& env, const std::filesystem::path& workdir) {
  return resolve(configured, env, workdir,
                 Defaults{gitlab_environment::author_name_variables(), gitlab_environment::author_email_variables()});
}

Identity resolve_committer(const Identity& configured, const Environment& env, const std::filesystem::path& workdir) {
  return resolve(
      configured, env, workdir,
      Defaults{gitlab_environment::committer_name_variables(), gitlab_environment::committer_email_variables()});
}

}  // namespace flowrun::git
