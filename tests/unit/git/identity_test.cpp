#include "flowrun/git/identity.h"

#include "git_fixture.h"

namespace flowrun::git::testing {
namespace {

class IdentityTest : public GitTest {
 protected:
  void SetUp() override {
    GitTest::SetUp();
    repo_ = make_repo("repo");
    home_ = root() / "home";
    write_file(home_ / ".gitconfig", "[user]\n\tname = Global Name\n\temail = global@example.com\n");
  }
  std::filesystem::path repo_;
  std::filesystem::path home_;
};

TEST_F(IdentityTest, ConfiguredWinsOverEverything) {
  git(repo_, "config user.name 'Repo Name'");
  const Environment env({{"HOME", home_.string()}, {"GIT_AUTHOR_NAME", "Env Name"}, {"GIT_AUTHOR_EMAIL", "e@x"}});
  const auto author = resolve_author({"Flow Bot", "bot@example.com"}, env, repo_);
  EXPECT_EQ(author.name, "Flow Bot");
  EXPECT_EQ(author.email, "bot@example.com");
}

TEST_F(IdentityTest, EnvironmentThenRepositoryThenGlobalThenFallback) {
  const Environment with_env({{"HOME", home_.string()},
                              {"GIT_AUTHOR_NAME", "Service Account"},
                              {"GIT_AUTHOR_EMAIL", "sa@example.com"},
                              {"GIT_COMMITTER_NAME", "Human"},
                              {"GIT_COMMITTER_EMAIL", "human@example.com"}});
  EXPECT_EQ(resolve_author({}, with_env, repo_).name, "Service Account");
  EXPECT_EQ(resolve_committer({}, with_env, repo_).name, "Human");
  EXPECT_EQ(resolve_committer({}, with_env, repo_).email, "human@example.com");

  const Environment global_only({{"HOME", home_.string()}});
  EXPECT_EQ(resolve_author({}, global_only, repo_).name, "Global Name");
  EXPECT_EQ(resolve_author({}, global_only, repo_).email, "global@example.com");

  git(repo_, "config user.name 'Repo Name'");
  const auto mixed = resolve_committer({}, global_only, repo_);
  EXPECT_EQ(mixed.name, "Repo Name");
  EXPECT_EQ(mixed.email, "global@example.com");  // each field on its own

  const Environment nothing({{"HOME", (root() / "empty-home").string()}});
  const auto fallback = resolve_author({}, nothing, root() / "not-a-repo");
  EXPECT_EQ(fallback.name, "flowrun");
  EXPECT_EQ(fallback.email, "flowrun@localhost");
}

TEST_F(IdentityTest, XdgAndGitConfigGlobalAreGlobalConfigToo) {
  write_file(root() / "xdg" / "git" / "config", "[user]\n\temail = xdg@example.com\n");
  const Environment xdg({{"HOME", (root() / "empty-home").string()}, {"XDG_CONFIG_HOME", (root() / "xdg").string()}});
  EXPECT_EQ(resolve_author({}, xdg, repo_).email, "xdg@example.com");

  write_file(root() / "custom.gitconfig", "[user]\n\tname = Custom Global\n");
  const Environment custom({{"HOME", home_.string()}, {"GIT_CONFIG_GLOBAL", (root() / "custom.gitconfig").string()}});
  EXPECT_EQ(resolve_author({}, custom, repo_).name, "Custom Global");
}

}  // namespace
}  // namespace flowrun::git::testing
