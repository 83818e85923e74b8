// Pushing: to a local bare repository over a file path, the fallbacks when the branch moved or the server is down,
// and shallow clones.
#include <arpa/inet.h>
#include <git2.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "git_fixture.h"

namespace flowrun::git::testing {
namespace {

constexpr const char* kToken = "glpat-unit-test-secret-0123456789";

// A TCP port on 127.0.0.1 that nothing listens on.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool any_file_contains(const std::filesystem::path& folder, const std::string& needle) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file() && read_file(entry.path()).find(needle) != std::string::npos) return true;
  }
  return false;
}

class PushTest : public GitTest {
 protected:
  void SetUp() override {
    GitTest::SetUp();
    origin_ = make_repo("origin", {{"README.md", "hello\n"}, {"src/a.txt", "a\n"}});
    remote_ = make_bare_remote(origin_, "remote.git");
    sh("git clone -q " + quoted(remote_.string()) + " work && cd work && git checkout -q --detach", root());
    work_ = root() / "work";
  }

  std::string remote_git(const std::string& args) { return git(remote_, args); }

  std::filesystem::path origin_, remote_, work_;
};

TEST_F(PushTest, PushesModifiedDeletedAndNewFilesToTheBranch) {
  write_file(work_ / "README.md", "changed\n");
  std::filesystem::remove(work_ / "src/a.txt");
  write_file(work_ / "new/dir/file.txt", "new\n");
  const auto result = commit_and_push(options_for(work_, remote_.string()));
  ASSERT_EQ(result.outcome, Outcome::pushed) << result.error;
  EXPECT_EQ(result.branch, "workloads/abc123");
  EXPECT_EQ(result.push_attempts, 1);
  EXPECT_EQ(result.remote_display, remote_.string());
  EXPECT_EQ(remote_git("rev-parse refs/heads/workloads/abc123"), result.commit);
  EXPECT_EQ(remote_git("show workloads/abc123:README.md"), "changed");
  EXPECT_EQ(remote_git("show workloads/abc123:new/dir/file.txt"), "new");
  EXPECT_EQ(remote_git("ls-tree -r --name-only workloads/abc123"), "README.md\nnew/dir/file.txt");
  EXPECT_TRUE(result.patch_file.has_value());
}

TEST_F(PushTest, FastForwardsAnExistingWorkloadBranch) {
  // GitLab 18.3 creates the workload branch at the job's commit before the job starts.
  remote_git("branch workloads/abc123 main");
  write_file(work_ / "README.md", "changed\n");
  const auto result = commit_and_push(options_for(work_, remote_.string()));
  ASSERT_EQ(result.outcome, Outcome::pushed) << result.error;
  EXPECT_EQ(remote_git("rev-parse workloads/abc123"), result.commit);
}

TEST_F(PushTest, CommitsOfTheCommandsArePushedFoldedIntoOne) {
  auto options = options_for(work_, remote_.string());
  write_file(work_ / "agent.txt", "agent\n");
  git(work_, "add agent.txt && git commit -q -m 'agent commit'");
  write_file(work_ / "later.txt", "later\n");
  const auto result = commit_and_push(options);
  ASSERT_EQ(result.outcome, Outcome::pushed) << result.error;
  EXPECT_EQ(remote_git("rev-parse workloads/abc123~1"), options.base_commit);
  EXPECT_EQ(remote_git("show workloads/abc123:agent.txt"), "agent");
  EXPECT_EQ(remote_git("show workloads/abc123:later.txt"), "later");
}

TEST_F(PushTest, BranchMovedOnTheServerGoesToANewBranchNextToIt) {
  sh("git clone -q " + quoted(remote_.string()) +
         " other && cd other && echo other > other.txt && git add . && "
         "git commit -q -m other && git push -q origin HEAD:refs/heads/workloads/abc123",
     root());
  const auto moved = remote_git("rev-parse workloads/abc123");
  write_file(work_ / "README.md", "changed\n");
  const auto result = commit_and_push(options_for(work_, remote_.string()));
  ASSERT_EQ(result.outcome, Outcome::pushed_to_new_branch) << result.error;
  EXPECT_EQ(result.branch, "workloads/abc123-" + result.commit.substr(0, 7));
  EXPECT_EQ(remote_git("rev-parse " + result.branch), result.commit);
  EXPECT_EQ(remote_git("rev-parse workloads/abc123"), moved);  // never forced
  EXPECT_NE(result.error.find(result.branch), std::string::npos);
}

TEST_F(PushTest, ServerDownIsRetriedThenFailsKeepingThePatch) {
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/group/project.git";
  auto options = options_for(work_, url);
  options.credentials = {Credential{"gitlab-ci-token", kToken, "GITLAB_TOKEN"}};
  options.max_push_attempts = 3;
  write_file(work_ / "README.md", "changed\n");
  const auto result = commit_and_push(options);
  ASSERT_EQ(result.outcome, Outcome::push_failed) << result.error;
  EXPECT_EQ(result.push_attempts, 3);
  EXPECT_NE(result.error.find(url), std::string::npos) << result.error;
  ASSERT_TRUE(result.patch_file.has_value());
  EXPECT_TRUE(std::filesystem::exists(*result.patch_file));
  EXPECT_EQ(git(work_, "rev-parse HEAD"), result.commit);  // the commit stays in the repository
  for (const auto& line : log_lines_) EXPECT_EQ(line.find(kToken), std::string::npos) << line;
  EXPECT_EQ(result.error.find(kToken), std::string::npos);
  EXPECT_FALSE(any_file_contains(work_ / ".git", kToken));
}

TEST_F(PushTest, InvalidBranchIsNotPushedButTheWorkIsCommitted) {
  auto options = options_for(work_, remote_.string());
  options.branch = "--force";
  write_file(work_ / "README.md", "changed\n");
  const auto result = commit_and_push(options);
  EXPECT_EQ(result.outcome, Outcome::push_failed);
  EXPECT_NE(result.error.find("not a valid branch name"), std::string::npos);
  EXPECT_EQ(git(work_, "rev-list --count HEAD"), "2");
  EXPECT_EQ(remote_git("for-each-ref refs/heads/").find("force"), std::string::npos);
}

TEST_F(PushTest, InsteadOfRewritesInTheRepositoryConfigAreIgnored) {
  const auto decoy = make_bare_remote(origin_, "decoy.git");
  git(work_, "config url." + quoted(decoy.string()) + ".insteadOf " + quoted(remote_.string()));
  git(work_, "config url." + quoted(decoy.string()) + ".pushInsteadOf " + quoted(remote_.string()));
  write_file(work_ / "README.md", "changed\n");
  const auto result = commit_and_push(options_for(work_, remote_.string()));
  ASSERT_EQ(result.outcome, Outcome::pushed) << result.error;
  EXPECT_EQ(remote_git("rev-parse workloads/abc123"), result.commit);
  EXPECT_EQ(sh("git rev-parse -q --verify workloads/abc123", decoy, false).exit_code, 1);
}

class ShallowPushTest : public PushTest {
 protected:
  void SetUp() override {
    PushTest::SetUp();
    // History deeper than the clone, as in CI (GIT_DEPTH), and a detached HEAD.
    for (int i = 0; i < 3; ++i) {
      sh("echo " + std::to_string(i) + " >> README.md && git commit -q -am c" + std::to_string(i) +
             " && git push -q origin HEAD:main",
         work_);
    }
    sh("git clone -q --depth 1 file://" + remote_.string() + " shallow && cd shallow && git checkout -q --detach",
       root());
    shallow_ = root() / "shallow";
    ASSERT_TRUE(std::filesystem::exists(shallow_ / ".git" / "shallow"));
  }
  std::filesystem::path shallow_;
};

TEST_F(ShallowPushTest, PushesFromAShallowDetachedClone) {
  write_file(shallow_ / "README.md", "changed\n");
  write_file(shallow_ / "added.txt", "added\n");
  const auto result = commit_and_push(options_for(shallow_, remote_.string()));
  ASSERT_EQ(result.outcome, Outcome::pushed) << result.error;
  EXPECT_EQ(remote_git("rev-parse workloads/abc123"), result.commit);
  EXPECT_EQ(remote_git("show workloads/abc123:added.txt"), "added");
  // libgit2 before 1.7 cannot push from a shallow clone: the git command line does it.
  const bool used_cli = std::any_of(log_lines_.begin(), log_lines_.end(), [](const std::string& line) {
    return line.find("pushing with the git command line") != std::string::npos;
  });
  int major = 0, minor = 0, revision = 0;
  git_libgit2_version(&major, &minor, &revision);
  EXPECT_EQ(used_cli, major == 1 && minor < 7);
  EXPECT_EQ(sh("git fsck --no-progress", remote_, false).exit_code, 0);
}

TEST_F(ShallowPushTest, BranchMovedOnTheServerGoesToANewBranch) {
  remote_git("branch workloads/abc123 main~1");
  write_file(shallow_ / "README.md", "changed\n");
  const auto result = commit_and_push(options_for(shallow_, remote_.string()));
  ASSERT_EQ(result.outcome, Outcome::pushed_to_new_branch) << result.error;
  EXPECT_EQ(remote_git("rev-parse " + result.branch), result.commit);
}

TEST_F(ShallowPushTest, ServerDownIsRetriedThenFails) {
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/group/project.git";
  auto options = options_for(shallow_, url);
  options.credentials = {Credential{"gitlab-ci-token", kToken, "GITLAB_TOKEN"}};
  options.max_push_attempts = 2;
  write_file(shallow_ / "README.md", "changed\n");
  const auto result = commit_and_push(options);
  ASSERT_EQ(result.outcome, Outcome::push_failed) << result.error;
  EXPECT_GE(result.push_attempts, 2);
  EXPECT_TRUE(result.patch_file.has_value());
  EXPECT_FALSE(any_file_contains(shallow_ / ".git", kToken));
  for (const auto& line : log_lines_) EXPECT_EQ(line.find(kToken), std::string::npos) << line;
}

}  // namespace
}  // namespace flowrun::git::testing
