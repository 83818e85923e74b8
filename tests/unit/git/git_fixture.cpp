#include "git_fixture.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace flowrun::git::testing {
namespace {

std::filesystem::path make_temp_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

// Isolates every test process from the machine's and the user's git configuration before libgit2 reads it.
class IsolatedGitEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    home_ = make_temp_dir("flowrun-git-home-");
    ::setenv("HOME", home_.c_str(), 1);
    ::setenv("XDG_CONFIG_HOME", (home_ / ".config").c_str(), 1);
    ::setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    for (const char* name : {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL",
                             "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_CONFIG_GLOBAL", "GIT_ASKPASS"}) {
      ::unsetenv(name);
    }
    write_file(home_ / ".gitconfig",
               "[user]\n\tname = Setup User\n\temail = setup@example.com\n"
               "[init]\n\tdefaultBranch = main\n"
               "[protocol \"file\"]\n\tallow = always\n"
               "[advice]\n\tdetachedHead = false\n");
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(home_, ec);
  }
  static inline std::filesystem::path home_;
};

[[maybe_unused]] const auto* const registered = ::testing::AddGlobalTestEnvironment(new IsolatedGitEnvironment);

}  // namespace

std::filesystem::path test_home() { return IsolatedGitEnvironment::home_; }

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

CommandResult sh(const std::string& command, const std::filesystem::path& cwd, bool must_succeed) {
  const std::string full = "cd " + quoted(cwd.string()) + " && { " + command + " ; } 2>&1";
  FILE* pipe = ::popen(("bash -c " + quoted(full)).c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed");
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (must_succeed) {
    EXPECT_EQ(code, 0) << command << "\n" << output;
  }
  return CommandResult{code, output};
}

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

void GitTest::SetUp() { root_ = make_temp_dir("flowrun-git-test-"); }

void GitTest::TearDown() {
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

std::filesystem::path GitTest::make_repo(const std::string& name,
                                         const std::vector<std::pair<std::string, std::string>>& files) {
  const auto repo = root_ / name;
  std::filesystem::create_directories(repo);
  sh("git init -q", repo);
  for (const auto& [path, content] : files) write_file(repo / path, content);
  sh("git add -A && git commit -q -m initial", repo);
  return repo;
}

std::filesystem::path GitTest::make_bare_remote(const std::filesystem::path& source, const std::string& name) {
  const auto bare = root_ / name;
  sh("git clone -q --bare " + quoted(source.string()) + " " + quoted(bare.string()), root_);
  return bare;
}

GitOptions GitTest::options_for(const std::filesystem::path& work, const std::string& remote) {
  GitOptions options;
  options.workdir = work;
  options.base_commit = head_commit(work).value_or("");
  options.branch = "workloads/abc123";
  options.remote_url = remote;
  options.push = !remote.empty();
  options.author = {"Agent", "agent@example.com"};
  options.committer = {"Person", "person@example.com"};
  options.message = "Agent changes";
  options.artifacts_dir = root_ / "artifacts";
  options.first_backoff = std::chrono::milliseconds(1);
  options.log = [this](std::string_view line) { log_lines_.emplace_back(line); };
  return options;
}

std::string GitTest::git(const std::filesystem::path& repo, const std::string& args) {
  auto result = sh("git " + args, repo);
  while (!result.output.empty() && result.output.back() == '\n') result.output.pop_back();
  return result.output;
}

}  // namespace flowrun::git::testing
