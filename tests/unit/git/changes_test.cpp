// What the module sees as changed, and what of it ends up in the commit.
#include <sys/stat.h>
#include <unistd.h>

#include "git_fixture.h"

namespace flowrun::git::testing {
namespace {

const FileChange* find(const ChangeSet& changes, const std::string& path) {
  for (const auto& change : changes.files) {
    if (change.path == path) return &change;
  }
  return nullptr;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

class ChangesTest : public GitTest {
 protected:
  void SetUp() override {
    GitTest::SetUp();
    repo_ = make_repo("repo", {{"README.md", "one\ntwo\nthree\n"},
                               {"src/main.c", "int main() { return 0; }\n"},
                               {"src/old_name.txt", "a file that will be renamed\nwith enough lines\nto be similar\n"},
                               {"script.sh", "echo hi\n"},
                               {"gone.txt", "bye\n"},
                               {".gitignore", "*.o\nbuild/\n"}});
  }

  // Commits without pushing; checks detect_changes saw the same files first.
  GitResult commit() {
    auto options = options_for(repo_);
    options.exclude_globs = {"*.secret", "generated/**"};
    options.never_commit = {repo_ / "flowrun.log", repo_ / ".flowrun"};
    const ChangeSet detected = detect_changes(options);
    GitResult result = commit_and_push(options);
    EXPECT_EQ(detected.files.size(), result.changes.files.size());
    for (const auto& change : result.changes.files) {
      const FileChange* seen = find(detected, change.path);
      EXPECT_NE(seen, nullptr) << change.path;
      if (seen) {
        EXPECT_EQ(seen->status, change.status) << change.path;
        EXPECT_EQ(seen->additions, change.additions) << change.path;
        EXPECT_EQ(seen->deletions, change.deletions) << change.path;
      }
    }
    EXPECT_EQ(detected.excluded, result.changes.excluded);
    return result;
  }

  std::string committed(const std::string& path) { return git(repo_, "show HEAD:" + quoted(path)); }
  std::string tree_entry(const std::string& path) { return git(repo_, "ls-tree HEAD -- " + quoted(path)); }

  std::filesystem::path repo_;
};

TEST_F(ChangesTest, ModifiedWithLineCounts) {
  write_file(repo_ / "README.md", "one\nTWO\nthree\nfour\n");
  const auto result = commit();
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  const FileChange* change = find(result.changes, "README.md");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->status, 'M');
  EXPECT_EQ(change->additions, 2);
  EXPECT_EQ(change->deletions, 1);
  EXPECT_FALSE(change->binary);
  EXPECT_EQ(committed("README.md"), "one\nTWO\nthree\nfour");
  EXPECT_EQ(git(repo_, "status --porcelain"), "");
}

TEST_F(ChangesTest, Deleted) {
  std::filesystem::remove(repo_ / "gone.txt");
  const auto result = commit();
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  const FileChange* change = find(result.changes, "gone.txt");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->status, 'D');
  EXPECT_EQ(change->deletions, 1);
  EXPECT_EQ(tree_entry("gone.txt"), "");
}

TEST_F(ChangesTest, UntrackedOnlyInANewFolder) {
  write_file(repo_ / "new/deeper/file.txt", "fresh\ncontent\n");
  const auto result = commit();
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  ASSERT_EQ(result.changes.files.size(), 1u);
  const FileChange& change = result.changes.files[0];
  EXPECT_EQ(change.path, "new/deeper/file.txt");
  EXPECT_EQ(change.status, 'A');
  EXPECT_EQ(change.additions, 2);
  EXPECT_EQ(committed("new/deeper/file.txt"), "fresh\ncontent");
}

TEST_F(ChangesTest, RenameIsReportedAsRename) {
  std::filesystem::rename(repo_ / "src/old_name.txt", repo_ / "src/new_name.txt");
  const auto result = commit();
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  ASSERT_EQ(result.changes.files.size(), 1u);
  EXPECT_EQ(result.changes.files[0].status, 'R');
  EXPECT_EQ(result.changes.files[0].path, "src/new_name.txt");
  EXPECT_EQ(result.changes.files[0].old_path, "src/old_name.txt");
  EXPECT_EQ(tree_entry("src/old_name.txt"), "");
  EXPECT_NE(tree_entry("src/new_name.txt"), "");
}

TEST_F(ChangesTest, ExecutableBit) {
  ASSERT_EQ(::chmod((repo_ / "script.sh").c_str(), 0755), 0);
  const auto result = commit();
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  const FileChange* change = find(result.changes, "script.sh");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->status, 'M');
  EXPECT_EQ(change->additions + change->deletions, 0);
  EXPECT_EQ(tree_entry("script.sh").substr(0, 6), "100755");
}

TEST_F(ChangesTest, SymlinkToAnOutsideFileIsCommittedAsALink) {
  ASSERT_EQ(::symlink("/etc/passwd", (repo_ / "passwords").c_str()), 0);
  const auto result = commit();
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  EXPECT_EQ(tree_entry("passwords").substr(0, 6), "120000");
  EXPECT_EQ(committed("passwords"), "/etc/passwd");  // the link's text, not the file it points to
}

TEST_F(ChangesTest, TypeChangeFromFileToSymlink) {
  std::filesystem::remove(repo_ / "gone.txt");
  ASSERT_EQ(::symlink("README.md", (repo_ / "gone.txt").c_str()), 0);
  const auto result = commit();
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  const FileChange* change = find(result.changes, "gone.txt");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->status, 'T');
  EXPECT_EQ(tree_entry("gone.txt").substr(0, 6), "120000");
}

TEST_F(ChangesTest, BinaryFileHasNoLineCounts) {
  write_file(repo_ / "image.bin", std::string("\x89PNG\0\0\0\x01\x02\x03", 10) + std::string(100, '\0'));
  const auto result = commit();
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  const FileChange* change = find(result.changes, "image.bin");
  ASSERT_NE(change, nullptr);
  EXPECT_TRUE(change->binary);
  EXPECT_EQ(change->additions, 0);
  EXPECT_EQ(change->deletions, 0);
  EXPECT_EQ(git(repo_, "cat-file -s HEAD:image.bin"), "110");
}

TEST_F(ChangesTest, GitignoredFilesAreNotSeen) {
  write_file(repo_ / "main.o", "object");
  write_file(repo_ / "build/out.txt", "output");
  write_file(repo_ / "kept.txt", "kept\n");
  const auto result = commit();
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  ASSERT_EQ(result.changes.files.size(), 1u);
  EXPECT_EQ(result.changes.files[0].path, "kept.txt");
  EXPECT_TRUE(result.changes.excluded.empty());
  EXPECT_EQ(tree_entry("main.o"), "");
}

TEST_F(ChangesTest, ExcludedGlobsAndOwnFilesAreReportedNotCommitted) {
  write_file(repo_ / "api.secret", "token");
  write_file(repo_ / "generated/a/b.txt", "gen");
  write_file(repo_ / "flowrun.log", "log");
  write_file(repo_ / ".flowrun/report.json", "{}");
  write_file(repo_ / "real.txt", "real\n");
  const auto result = commit();
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  ASSERT_EQ(result.changes.files.size(), 1u);
  EXPECT_EQ(result.changes.files[0].path, "real.txt");
  for (const char* path : {"api.secret", "generated/a/b.txt", "flowrun.log", ".flowrun/report.json"}) {
    EXPECT_TRUE(contains(result.changes.excluded, path)) << path;
    EXPECT_EQ(tree_entry(path), "") << path;
  }
}

TEST_F(ChangesTest, AnExcludedFileStagedByTheCommandsIsNotCommitted) {
  write_file(repo_ / "staged.secret", "token");
  git(repo_, "add staged.secret");
  write_file(repo_ / "README.md", "changed\n");
  const auto result = commit();
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  EXPECT_TRUE(contains(result.changes.excluded, "staged.secret"));
  EXPECT_EQ(tree_entry("staged.secret"), "");
  EXPECT_EQ(find(result.changes, "staged.secret"), nullptr);
}

TEST_F(ChangesTest, SubmoduleChangesAreReportedNotCommitted) {
  const auto library = make_repo("library", {{"lib.txt", "v1\n"}});
  git(repo_, "submodule add -q " + quoted(library.string()) + " lib");
  git(repo_, "commit -q -m 'add submodule'");
  const auto base = head_commit(repo_);
  write_file(repo_ / "lib/lib.txt", "v2\n");
  git(repo_ / "lib", "commit -q -am 'move the submodule'");
  write_file(repo_ / "README.md", "changed\n");
  // A repository the commands cloned inside the work tree is not committed either.
  make_repo("repo/vendor/cloned", {{"x.txt", "x\n"}});

  const auto result = commit();
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  EXPECT_TRUE(contains(result.changes.submodules_changed, "lib"));
  EXPECT_TRUE(contains(result.changes.submodules_changed, "vendor/cloned"));
  ASSERT_EQ(result.changes.files.size(), 1u);
  EXPECT_EQ(result.changes.files[0].path, "README.md");
  EXPECT_EQ(git(repo_, "rev-parse HEAD:lib"), git(repo_, "rev-parse " + *base + ":lib"));
  EXPECT_EQ(tree_entry("vendor"), "");
}

TEST_F(ChangesTest, EveryKindTogetherInOneCommit) {
  write_file(repo_ / "README.md", "changed\n");
  std::filesystem::remove(repo_ / "gone.txt");
  write_file(repo_ / "added/one.txt", "1\n");
  ASSERT_EQ(::chmod((repo_ / "script.sh").c_str(), 0755), 0);
  const auto result = commit();
  ASSERT_EQ(result.outcome, Outcome::committed) << result.error;
  EXPECT_EQ(result.changes.files.size(), 4u);
  EXPECT_EQ(git(repo_, "rev-list --count HEAD"), "2");
  EXPECT_EQ(git(repo_, "status --porcelain"), "");
}

}  // namespace
}  // namespace flowrun::git::testing
