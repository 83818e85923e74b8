#pragma once
// A project for `flowrun run` tests: a git work tree with flows under .gitlab/duo/flows/, and the built flowrun
// binary run in it with an explicit environment.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/git_helpers.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace flowrun::testing {

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void write_text(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

// The YAML of a flow with these commands (each a literal block scalar, so any text goes in as written).
inline std::string flow_yaml(const std::vector<std::string>& commands, const std::vector<std::string>& variables = {}) {
  std::string yaml = "image: alpine:3.20\ncommands:\n";
  for (const auto& command : commands) {
    yaml += "  - |-\n";
    std::istringstream lines(command);
    std::string line;
    while (std::getline(lines, line)) yaml += "    " + line + "\n";
  }
  if (!variables.empty()) {
    yaml += "variables:\n";
    for (const auto& name : variables) yaml += "  - " + name + "\n";
  }
  return yaml;
}

class RunProject {
 public:
  // A repository with one commit (README.md, obsolete.txt) on a detached HEAD, as CI checks it out.
  RunProject() : workdir_(dir_.path() / "project") {
    std::filesystem::create_directories(workdir_);
    env_ = base_environment();
    env_["GIT_AUTHOR_NAME"] = "Test Author";
    env_["GIT_AUTHOR_EMAIL"] = "author@example.com";
    env_["GIT_COMMITTER_NAME"] = "Test Committer";
    env_["GIT_COMMITTER_EMAIL"] = "committer@example.com";
    env_["NO_COLOR"] = "1";
    must(git({"init", "--quiet", "-b", "main", "."}, workdir_, env_));
    write_text(workdir_ / "README.md", "# Project\n");
    write_text(workdir_ / "obsolete.txt", "old\n");
    must(git({"add", "-A"}, workdir_, env_));
    must(git({"commit", "--quiet", "-m", "Initial commit"}, workdir_, env_));
    must(git({"checkout", "--quiet", "--detach"}, workdir_, env_));
  }

  const std::filesystem::path& workdir() const { return workdir_; }
  const std::filesystem::path& root() const { return dir_.path(); }
  std::map<std::string, std::string>& env() { return env_; }

  void write_flow(const std::string& name, const std::string& yaml) {
    write_text(workdir_ / ".gitlab/duo/flows" / (name + ".yaml"), yaml);
    // The flow is part of the project, as in GitLab: committed, so it is not a change of the agent's.
    must(git({"add", "-A"}, workdir_, env_));
    must(git({"commit", "--quiet", "-m", "Add flow " + name}, workdir_, env_));
  }

  ProcessResult run(const std::vector<std::string>& args,
                    std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
    std::vector<std::string> argv{FLOWRUN_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, env_, workdir_, timeout);
  }

  std::string report() const { return read_text(workdir_ / ".flowrun/report.json"); }
  std::string log() const { return read_text(workdir_ / ".flowrun/flowrun.log"); }

  static void must(const ProcessResult& result) {
    if (result.exit_code != 0) throw std::runtime_error("git failed: " + result.err);
  }

 private:
  TempDir dir_;
  std::filesystem::path workdir_;
  std::map<std::string, std::string> env_;
};

}  // namespace flowrun::testing
