#pragma once
// Helpers for the git module's tests: throw-away folders, repositories made with the git command line, and a
// process environment isolated from the machine's git configuration.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "flowrun/git/git.h"

namespace flowrun::git::testing {

// Output and exit status of a shell command.
struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

// Runs `command` with bash in `cwd`; the test fails when it exits non-zero and `must_succeed` is set.
CommandResult sh(const std::string& command, const std::filesystem::path& cwd, bool must_succeed = true);

// Quotes `text` for a POSIX shell.
std::string quoted(const std::string& text);

void write_file(const std::filesystem::path& path, const std::string& content);
std::string read_file(const std::filesystem::path& path);

// The isolated HOME every test process uses (with a .gitconfig naming a setup identity).
std::filesystem::path test_home();

class GitTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A new repository at root()/<name> with one commit holding `files`.
  std::filesystem::path make_repo(const std::string& name,
                                  const std::vector<std::pair<std::string, std::string>>& files = {
                                      {"README.md", "hello\n"}});
  // A bare clone of `source` at root()/<name> to push to.
  std::filesystem::path make_bare_remote(const std::filesystem::path& source, const std::string& name);

  // Options that commit (and push to `remote` when given) the work tree at `work`.
  GitOptions options_for(const std::filesystem::path& work, const std::string& remote = {});

  std::string git(const std::filesystem::path& repo, const std::string& args);
  const std::filesystem::path& root() const { return root_; }

  std::vector<std::string> log_lines_;

 private:
  std::filesystem::path root_;
};

}  // namespace flowrun::git::testing
