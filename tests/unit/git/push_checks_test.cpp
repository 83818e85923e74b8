// The checks before pushing, on what would be committed: secrets in added lines, protected paths, large files,
// links out of the work tree and paths that are not UTF-8 are refused, named, and nothing is pushed.
#include <algorithm>
#include <memory>

#include "flowrun/log/masker.h"
#include "git_fixture.h"

namespace flowrun::git::testing {
namespace {

constexpr const char* kKnownSecret = "correct-horse-battery-staple";  // a value the run masks, no token shape

class PushChecksTest : public GitTest {
 protected:
  void SetUp() override {
    GitTest::SetUp();
    repo_ = make_repo("repo", {{"README.md", "hello\n"}, {".gitlab-ci.yml", "test: {script: [make]}\n"}});
    remote_ = make_bare_remote(repo_, "remote.git");
  }

  GitOptions checked_options() {
    auto options = options_for(repo_, remote_.string());
    options.checks.enabled = true;
    options.checks.protected_globs = default_protected_paths();
    options.checks.max_file_bytes = 1000;
    auto masker = std::make_shared<log::Masker>(std::vector<std::string>{kKnownSecret});
    options.checks.mask = [masker](std::string_view text) { return masker->mask(text); };
    return options;
  }

  bool remote_has_branch() {
    return sh("git rev-parse --verify -q refs/heads/workloads/abc123", remote_, false).exit_code == 0;
  }

  static std::vector<std::string> described(const GitResult& result) {
    std::vector<std::string> lines;
    for (const auto& refusal : result.changes.refusals) lines.push_back(describe(refusal));
    return lines;
  }

  static std::vector<std::string> refused_paths(const std::vector<PushRefusal>& refusals) {
    std::vector<std::string> paths;
    for (const auto& refusal : refusals) paths.push_back(refusal.path);
    std::sort(paths.begin(), paths.end());
    return paths;
  }

  std::filesystem::path repo_;
  std::filesystem::path remote_;
};

TEST_F(PushChecksTest, ATokenShapeInAnAddedLineStopsThePushAndIsMaskedInThePatch) {
  const std::string token = "glpat-AbCdEfGhIjKlMnOpQrSt12";
  write_file(repo_ / "config" / "app.env", "name=demo\nTOKEN=" + token + "\n");
  const auto result = commit_and_push(checked_options());
  ASSERT_EQ(result.outcome, Outcome::refused) << result.error;
  ASSERT_EQ(result.changes.refusals.size(), 1u);
  const PushRefusal& refusal = result.changes.refusals[0];
  EXPECT_EQ(refusal.kind, PushRefusal::Kind::secret);
  EXPECT_EQ(refusal.path, "config/app.env");
  EXPECT_EQ(refusal.line, 2);
  EXPECT_EQ(described(result)[0].find(token), std::string::npos);
  EXPECT_FALSE(remote_has_branch());
  ASSERT_TRUE(result.patch_file);
  const std::string patch = read_file(*result.patch_file);
  EXPECT_EQ(patch.find(token), std::string::npos) << patch;
  EXPECT_NE(patch.find("+TOKEN=[MASKED]"), std::string::npos) << patch;
  EXPECT_EQ(git(repo_, "rev-parse HEAD"), result.commit);  // the commit stays local
}

TEST_F(PushChecksTest, AValueTheRunMasksIsASecretToo) {
  write_file(repo_ / "README.md", "hello\npassword: " + std::string(kKnownSecret) + "\n");
  const auto result = commit_and_push(checked_options());
  ASSERT_EQ(result.outcome, Outcome::refused) << result.error;
  ASSERT_EQ(result.changes.refusals.size(), 1u);
  EXPECT_EQ(result.changes.refusals[0].path, "README.md");
  EXPECT_EQ(result.changes.refusals[0].line, 2);
}

TEST_F(PushChecksTest, ASecretOnlyInARemovedLineIsNotRefused) {
  sh("printf 'old glpat-AbCdEfGhIjKlMnOpQrSt12\\n' > old.txt && git add old.txt && git commit -qm old", repo_);
  auto options = checked_options();
  options.base_commit = git(repo_, "rev-parse HEAD");
  std::filesystem::remove(repo_ / "old.txt");
  const auto result = commit_and_push(options);
  EXPECT_EQ(result.outcome, Outcome::pushed) << result.error << "\n" << ::testing::PrintToString(described(result));
}

TEST_F(PushChecksTest, ProtectedPathsAreRefusedUnlessAllowed) {
  for (const char* path :
       {".gitlab-ci.yml", "ci/deploy.gitlab-ci.yml", ".gitlab/ci/build.yml", ".gitlab/duo/flows/a.yaml", "CODEOWNERS",
        "docs/CODEOWNERS", ".gitlab/CODEOWNERS", "src/gitlab-ci.txt", "src/CODEOWNERS", "docs/guide.md"}) {
    write_file(repo_ / path, "changed\n");
  }
  const auto result = commit_and_push(checked_options());
  ASSERT_EQ(result.outcome, Outcome::refused) << result.error;
  EXPECT_EQ(refused_paths(result.changes.refusals),
            (std::vector<std::string>{".gitlab-ci.yml", ".gitlab/CODEOWNERS", ".gitlab/ci/build.yml",
                                      ".gitlab/duo/flows/a.yaml", "CODEOWNERS", "ci/deploy.gitlab-ci.yml",
                                      "docs/CODEOWNERS"}));
  EXPECT_FALSE(remote_has_branch());
}

TEST_F(PushChecksTest, AllowedProtectedPathsAndAddedOnesFollowTheSettings) {
  write_file(repo_ / ".gitlab-ci.yml", "changed\n");
  write_file(repo_ / "deploy" / "prod.tf", "changed\n");
  auto options = checked_options();
  options.checks.protected_globs.push_back("deploy/**");
  options.checks.allowed_globs = {"/.gitlab-ci.yml"};
  const auto result = commit_and_push(options);
  ASSERT_EQ(result.outcome, Outcome::refused);
  EXPECT_EQ(refused_paths(result.changes.refusals), std::vector<std::string>{"deploy/prod.tf"});
}

TEST_F(PushChecksTest, DeletingTheCiConfigurationIsAChangeToIt) {
  std::filesystem::remove(repo_ / ".gitlab-ci.yml");
  const auto result = commit_and_push(checked_options());
  ASSERT_EQ(result.outcome, Outcome::refused);
  EXPECT_EQ(refused_paths(result.changes.refusals), std::vector<std::string>{".gitlab-ci.yml"});
}

TEST_F(PushChecksTest, AFileAboveTheSizeLimitIsRefused) {
  write_file(repo_ / "big.bin", std::string(1001, 'x'));
  write_file(repo_ / "small.txt", std::string(1000, 'x'));
  const auto result = commit_and_push(checked_options());
  ASSERT_EQ(result.outcome, Outcome::refused);
  ASSERT_EQ(result.changes.refusals.size(), 1u);
  EXPECT_EQ(result.changes.refusals[0].kind, PushRefusal::Kind::too_large);
  EXPECT_EQ(result.changes.refusals[0].path, "big.bin");
  EXPECT_NE(describe(result.changes.refusals[0]).find("1001 bytes"), std::string::npos);
}

TEST_F(PushChecksTest, LinksThatLeaveTheWorkTreeAreRefused) {
  std::filesystem::create_directories(repo_ / "docs");
  std::filesystem::create_symlink("../../etc/passwd", repo_ / "docs" / "escape");
  std::filesystem::create_symlink("/etc/shadow", repo_ / "absolute");
  std::filesystem::create_symlink("../README.md", repo_ / "docs" / "readme");
  const auto result = commit_and_push(checked_options());
  ASSERT_EQ(result.outcome, Outcome::refused);
  EXPECT_EQ(refused_paths(result.changes.refusals), (std::vector<std::string>{"absolute", "docs/escape"}));
  for (const auto& refusal : result.changes.refusals) EXPECT_EQ(refusal.kind, PushRefusal::Kind::link_outside);
}

TEST_F(PushChecksTest, APathThatIsNotUtf8IsRefusedAndShownEscaped) {
  write_file(repo_ / "caf\xE9.txt", "latin-1 name\n");
  const auto result = commit_and_push(checked_options());
  ASSERT_EQ(result.outcome, Outcome::refused);
  ASSERT_EQ(result.changes.refusals.size(), 1u);
  EXPECT_EQ(result.changes.refusals[0].kind, PushRefusal::Kind::path_not_utf8);
  EXPECT_EQ(result.changes.refusals[0].path, "caf\\xE9.txt");
}

TEST_F(PushChecksTest, TheDryRunSeesTheSameVerdictWithoutCommitting) {
  const auto before = git(repo_, "rev-parse HEAD");
  write_file(repo_ / ".gitlab-ci.yml", "changed\n");
  write_file(repo_ / "new.txt", "key glpat-AbCdEfGhIjKlMnOpQrSt12\n");
  const auto changes = detect_changes(checked_options());
  EXPECT_EQ(refused_paths(changes.refusals), (std::vector<std::string>{".gitlab-ci.yml", "new.txt"}));
  EXPECT_EQ(git(repo_, "rev-parse HEAD"), before);
}

TEST_F(PushChecksTest, WithoutChecksTheSameChangesArePushed) {
  write_file(repo_ / ".gitlab-ci.yml", "changed\n");
  auto options = options_for(repo_, remote_.string());
  const auto result = commit_and_push(options);
  EXPECT_EQ(result.outcome, Outcome::pushed) << result.error;
  EXPECT_TRUE(remote_has_branch());
}

TEST(PrintablePath, KeepsUtf8AndEscapesOtherBytes) {
  EXPECT_EQ(printable_path("docs/caf\xC3\xA9.md"), "docs/caf\xC3\xA9.md");
  EXPECT_EQ(printable_path("a\xFF\xC3\xA9z"), "a\\xFF\xC3\xA9z");
}

}  // namespace
}  // namespace flowrun::git::testing
