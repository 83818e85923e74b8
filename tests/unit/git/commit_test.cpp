// How the commit is made: on the current HEAD, without hooks, with the given identity, and kept in a patch file.
#include <sys/stat.h>

#include "git_fixture.h"

namespace flowrun::git::testing {
namespace {

class CommitTest : public GitTest {
 protected:
  void SetUp() override {
    GitTest::SetUp();
    repo_ = make_repo("repo", {{"README.md", "hello\n"}, {"data/keep.txt", "keep\n"}});
  }
  std::filesystem::path repo_;
};

TEST_F(CommitTest, HeadCommitOfRepositoryUnbornAndNonRepository) {
  EXPECT_EQ(head_commit(repo_ / "data"), git(repo_, "rev-parse HEAD"));
  std::filesystem::create_directories(root() / "unborn");
  sh("git init -q", root() / "unborn");
  EXPECT_EQ(head_commit(root() / "unborn"), std::nullopt);
  std::filesystem::create_directories(root() / "plain");
  EXPECT_EQ(head_commit(root() / "plain"), std::nullopt);
}

TEST_F(CommitTest, NoChangesMeansNoCommit) {
  const auto before = git(repo_, "rev-parse HEAD");
  const auto result = commit_and_push(options_for(repo_));
  EXPECT_EQ(result.outcome, Outcome::no_changes) << result.error;
  EXPECT_EQ(result.commit, "");
  EXPECT_EQ(result.patch_file, std::nullopt);
  EXPECT_EQ(git(repo_, "rev-parse HEAD"), before);
  EXPECT_FALSE(std::filesystem::exists(root() / "artifacts" / "flowrun-changes.patch"));
}

TEST_F(CommitTest, OnlyExcludedChangesMeansNoCommit) {
  auto options = options_for(repo_);
  options.exclude_globs = {"*.tmp"};
  write_file(repo_ / "scratch.tmp", "x");
  const auto result = commit_and_push(options);
  EXPECT_EQ(result.outcome, Outcome::no_changes) << result.error;
  EXPECT_EQ(result.changes.excluded, std::vector<std::string>{"scratch.tmp"});
}

TEST_F(CommitTest, CommitsOnADetachedHeadWithTheGivenIdentityAndMessage) {
  git(repo_, "checkout -q --detach");
  const auto base = git(repo_, "rev-parse HEAD");
  write_file(repo_ / "README.md", "changed\n");
  auto options = options_for(repo_);
  options.message = "Fix the thing\n\nRequested in #12";
  const auto result = commit_and_push(options);
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  EXPECT_EQ(result.base_commit, base);
  EXPECT_EQ(git(repo_, "rev-parse HEAD"), result.commit);
  EXPECT_EQ(git(repo_, "rev-parse HEAD~1"), base);
  EXPECT_EQ(sh("git symbolic-ref -q HEAD", repo_, false).exit_code, 1);  // still detached
  EXPECT_EQ(git(repo_, "log -1 --format=%an%n%ae%n%cn%n%ce%n%B"),
            "Agent\nagent@example.com\nPerson\nperson@example.com\nFix the thing\n\nRequested in #12");
  EXPECT_EQ(git(repo_, "rev-parse main"), base);  // no branch switched or moved
}

TEST_F(CommitTest, CommitsOnTheCheckedOutBranch) {
  write_file(repo_ / "README.md", "changed\n");
  const auto result = commit_and_push(options_for(repo_));
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  EXPECT_EQ(git(repo_, "rev-parse main"), result.commit);
  EXPECT_EQ(git(repo_, "symbolic-ref HEAD"), "refs/heads/main");
}

TEST_F(CommitTest, NoHookRuns) {
  const auto marker = root() / "hook-ran";
  for (const char* hook : {"pre-commit", "commit-msg", "post-commit", "prepare-commit-msg"}) {
    const auto path = repo_ / ".git" / "hooks" / hook;
    write_file(path, "#!/bin/sh\ntouch " + quoted(marker.string()) + "\n");
    ASSERT_EQ(::chmod(path.c_str(), 0755), 0);
  }
  write_file(repo_ / "README.md", "changed\n");
  const auto result = commit_and_push(options_for(repo_));
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST_F(CommitTest, CommitsTheCommandsMadeAreFoldedIntoOneCommitOnTheJobsCommit) {
  auto options = options_for(repo_);  // base captured before the commands ran
  write_file(repo_ / "first.txt", "committed by the agent\n");
  git(repo_, "add first.txt && git commit -q -m 'agent commit'");
  write_file(repo_ / "second.txt", "left uncommitted\n");
  const auto result = commit_and_push(options);
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  EXPECT_TRUE(result.changes.commands_committed);
  EXPECT_EQ(result.changes.files.size(), 2u);
  EXPECT_EQ(git(repo_, "rev-parse " + result.commit + "^"), options.base_commit);
}

TEST_F(CommitTest, CommitsTheCommandsMadeAloneBecomeOneCommitWithTheirContent) {
  auto options = options_for(repo_);
  write_file(repo_ / "first.txt", "committed by the agent\n");
  git(repo_, "add first.txt && git commit -q -m 'agent commit'");
  const auto result = commit_and_push(options);
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  EXPECT_EQ(git(repo_, "rev-parse " + result.commit + "^"), options.base_commit);
  EXPECT_TRUE(result.changes.commands_committed);
  ASSERT_EQ(result.changes.files.size(), 1u);
  EXPECT_EQ(result.changes.files[0].path, "first.txt");
}

TEST_F(CommitTest, HeadMovedAwayFromTheJobsCommitStillCommitsTheWorkTreeOnIt) {
  auto options = options_for(repo_);
  git(repo_, "checkout -q --orphan other && git commit -q -m unrelated");
  write_file(repo_ / "x.txt", "x\n");
  const auto result = commit_and_push(options);
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  EXPECT_EQ(git(repo_, "rev-parse " + result.commit + "^"), options.base_commit);
  EXPECT_EQ(git(repo_, "show " + result.commit + ":x.txt"), "x");
}

TEST_F(CommitTest, NotARepositoryIsAnErrorThatSaysWhere) {
  std::filesystem::create_directories(root() / "plain");
  auto options = options_for(repo_);
  options.workdir = root() / "plain";
  const auto result = commit_and_push(options);
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_NE(result.error.find((root() / "plain").string()), std::string::npos) << result.error;
}

TEST_F(CommitTest, PatchFileAppliesOnAFreshClone) {
  auto options = options_for(repo_);
  const auto base = options.base_commit;
  write_file(repo_ / "README.md", "changed\n");
  std::filesystem::remove(repo_ / "data/keep.txt");
  write_file(repo_ / "new/file.txt", "new\n");
  write_file(repo_ / "blob.bin", std::string("\0\1\2\3binary\0", 11));
  ASSERT_EQ(::symlink("../README.md", (repo_ / "new/link").c_str()), 0);
  git(repo_, "add README.md && git commit -q -m 'agent commit'");  // the patch covers commits of the commands too
  const auto result = commit_and_push(options);
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  ASSERT_TRUE(result.patch_file.has_value());
  EXPECT_EQ(*result.patch_file, root() / "artifacts" / "flowrun-changes.patch");

  sh("git clone -q " + quoted(repo_.string()) + " fresh && cd fresh && git checkout -q " + base, root());
  sh("git apply --index " + quoted(result.patch_file->string()), root() / "fresh");
  sh("git -c user.name=t -c user.email=t@t commit -q -m applied", root() / "fresh");
  EXPECT_EQ(git(root() / "fresh", "rev-parse HEAD^{tree}"), git(repo_, "rev-parse HEAD^{tree}"));
}

}  // namespace
}  // namespace flowrun::git::testing
