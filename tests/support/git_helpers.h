#pragma once
// The git CLI from tests: running it, filling a bare repository, and cloning from the fake GitLab with credentials
// that never end up in a URL or in .git/config.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/process.h"

namespace flowrun::testing {

class FakeGitLab;

// Runs `git <args>` in `cwd` (60 s bound).
ProcessResult git(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                  const std::map<std::string, std::string>& env = base_environment());

// Adds a commit with exactly `files` (relative path -> content; folders are created) on top of `branch` (or as
// its first commit) directly in the bare repository, without hooks; fixed author, committer and dates, so the
// same call gives the same commit id. Returns the commit id; throws std::runtime_error with git's stderr.
std::string seed_repository(const std::filesystem::path& bare_repo, const std::map<std::string, std::string>& files,
                            const std::string& branch = "main", const std::string& message = "Initial commit");

// Writes an executable hook (e.g. "pre-receive") into the bare repository.
void install_hook(const std::filesystem::path& bare_repo, const std::string& name, const std::string& script);

// http://<username>@127.0.0.1:PORT/<project_path>.git: the user name only, never a secret. Pair it with
// git_credentials_environment() so git sends the password.
std::string authenticated_url(const FakeGitLab& gitlab, const std::string& project_path, const std::string& username);

// `env` plus git configuration through the environment (GIT_CONFIG_COUNT/KEY_n/VALUE_n) that sends
// "Authorization: Basic <username:secret>" on every request (http.extraHeader): the secret lives only in the
// environment of the git process, never in a URL or a repository's config.
std::map<std::string, std::string> git_credentials_environment(
    const std::string& username, const std::string& secret,
    std::map<std::string, std::string> env = base_environment());

}  // namespace flowrun::testing
