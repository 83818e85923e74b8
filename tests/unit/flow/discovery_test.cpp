#include "flowrun/flow/discovery.h"

#include <gtest/gtest.h>

#include "flow_test_support.h"

namespace flowrun::flow {
namespace {

namespace fs = std::filesystem;

// A repository with two flows, a non-flow file and a folder in its flows folder.
struct Repository {
  testing::TempDir dir;
  fs::path root = dir.path();
  fs::path flows = root / ".gitlab" / "duo" / "flows";
  Repository() {
    fs::create_directories(root / ".git");
    dir.write(".gitlab/duo/flows/claude.yaml", "image: a\ncommands: [x]\n");
    dir.write(".gitlab/duo/flows/codex.yml", "image: a\ncommands: [x]\n");
    dir.write(".gitlab/duo/flows/README.md", "notes\n");
    fs::create_directories(flows / "archive.yaml");
    fs::create_directories(root / "src" / "deep" / "er");
  }
};

TEST(Discovery, FindsTheFlowsFolderFromAnywhereInTheRepository) {
  Repository repo;
  EXPECT_EQ(find_repository_root(repo.root / "src" / "deep" / "er"), repo.root);
  EXPECT_EQ(find_flows_dir(repo.root / "src" / "deep" / "er"), repo.flows);
  EXPECT_EQ(find_flows_dir(repo.root), repo.flows);
}

TEST(Discovery, AGitFileMarksTheRootToo) {
  testing::TempDir dir;
  dir.write("worktree/.git", "gitdir: /elsewhere\n");
  dir.write("worktree/.gitlab/duo/flows/a.yaml", "image: a\n");
  EXPECT_EQ(find_repository_root(dir.path() / "worktree"), dir.path() / "worktree");
  EXPECT_EQ(find_flows_dir(dir.path() / "worktree" / ".gitlab"), dir.path() / "worktree" / ".gitlab/duo/flows");
}

TEST(Discovery, OnlyTheRepositoryRootCounts) {
  // A flows folder deeper in the repository (an example, a fixture) is not the project's.
  Repository repo;
  fs::remove_all(repo.root / ".gitlab");
  repo.dir.write("examples/.gitlab/duo/flows/demo.yaml", "image: a\n");
  EXPECT_FALSE(find_flows_dir(repo.root / "examples").has_value());
}

TEST(Discovery, ListsYamlAndYmlFilesSorted) {
  Repository repo;
  auto files = list_flow_files(repo.flows);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0], repo.flows / "claude.yaml");
  EXPECT_EQ(files[1], repo.flows / "codex.yml");
  EXPECT_TRUE(list_flow_files(repo.root / "missing").empty());
}

TEST(Discovery, ResolvesPathsAndNames) {
  Repository repo;
  fs::path cwd = repo.root / "src";
  EXPECT_EQ(resolve_flow("claude", cwd).path, repo.flows / "claude.yaml");
  EXPECT_EQ(resolve_flow("claude.yaml", cwd).path, repo.flows / "claude.yaml");
  EXPECT_EQ(resolve_flow("codex", cwd).path, repo.flows / "codex.yml");
  EXPECT_EQ(resolve_flow("../.gitlab/duo/flows/claude.yaml", cwd).path, repo.flows / "claude.yaml");
  EXPECT_EQ(resolve_flow((repo.flows / "codex.yml").string(), "/").path, repo.flows / "codex.yml");

  auto unknown = resolve_flow("gemini", cwd);
  EXPECT_FALSE(unknown.path.has_value());
  EXPECT_NE(unknown.error.find("no flow named 'gemini'"), std::string::npos);
  EXPECT_NE(unknown.error.find("claude, codex"), std::string::npos);
}

TEST(Discovery, ANameNeverLeavesTheFlowsFolder) {
  Repository repo;
  repo.dir.write("secret.yaml", "image: a\n");
  fs::path cwd = repo.root / "src" / "deep";
  for (const char* name : {"../secret", "../secret.yaml", "..", "a/../../secret", "..secret"}) {
    auto resolved = resolve_flow(name, cwd);
    EXPECT_FALSE(resolved.path.has_value()) << name;
    EXPECT_FALSE(resolved.error.empty());
  }
  EXPECT_FALSE(resolve_flow(std::string("claude\0.yaml", 12), cwd).path.has_value());
  // As an existing path it is fine: the user named that file.
  EXPECT_EQ(resolve_flow("../../secret.yaml", cwd).path, repo.root / "secret.yaml");
}

TEST(Discovery, AnEmptyNameMeansTheOnlyFlow) {
  Repository repo;
  auto several = resolve_flow("", repo.root);
  EXPECT_FALSE(several.path.has_value());
  EXPECT_NE(several.error.find("several flows"), std::string::npos);
  fs::remove(repo.flows / "codex.yml");
  EXPECT_EQ(resolve_flow("", repo.root).path, repo.flows / "claude.yaml");
}

TEST(Discovery, SaysWhereItLookedWhenThereIsNoFlowsFolder) {
  testing::TempDir dir;
  fs::create_directories(dir.path() / ".git");
  auto resolved = resolve_flow("claude", dir.path());
  EXPECT_FALSE(resolved.path.has_value());
  EXPECT_NE(resolved.error.find(dir.path().string()), std::string::npos);
  EXPECT_NE(resolved.error.find(".gitlab/duo/flows"), std::string::npos);
  EXPECT_NE(resolve_flow(dir.path().string(), "/").error.find("is a directory"), std::string::npos);
}

}  // namespace
}  // namespace flowrun::flow
