#include "flowrun/git/exclusions.h"

#include <gtest/gtest.h>

namespace flowrun::git {
namespace {

TEST(GlobMatch, Table) {
  struct Row {
    const char* pattern;
    const char* text;
    bool matches;
  };
  const Row table[] = {
      {"*.log", "a.log", true},
      {"*.log", "dir/a.log", false},
      {"**/*.log", "dir/a.log", true},
      {"**/*.log", "a.log", true},
      {"a/**/b", "a/b", true},
      {"a/**/b", "a/x/y/b", true},
      {"build/**", "build/x/y", true},
      {"build/**", "build", false},
      {"?.txt", "a.txt", true},
      {"?.txt", "/.txt", false},
      {"[abc].c", "b.c", true},
      {"[!abc].c", "b.c", false},
      {"[a-c]x", "cx", true},
      {"[a-c]x", "dx", false},
      {"\\*", "*", true},
      {"\\*", "a", false},
      {"a*b", "a/b", false},
      {"**", "any/thing", true},
      {"[", "[", true},
      {"secret?", "secrets", true},
  };
  for (const auto& row : table) {
    EXPECT_EQ(glob_match(row.pattern, row.text), row.matches) << row.pattern << " vs " << row.text;
  }
}

TEST(Exclusions, OwnFilesAndFoldersUnderTheTop) {
  const Exclusions exclusions("/work/repo", {"/work/repo/flowrun.log", "/work/repo/.flowrun/", "/tmp/outside.log"}, {});
  EXPECT_TRUE(exclusions.excludes("flowrun.log"));
  EXPECT_TRUE(exclusions.excludes(".flowrun/report.json"));
  EXPECT_FALSE(exclusions.excludes(".flowrunner/x"));
  EXPECT_FALSE(exclusions.excludes("src/flowrun.log"));
  EXPECT_FALSE(exclusions.excludes("outside.log"));
}

TEST(Exclusions, GlobsWithAndWithoutSlash) {
  const Exclusions exclusions("/w", {}, {"*.log", "node_modules", "/dist/", "docs/*.tmp", "**/secret*"});
  EXPECT_TRUE(exclusions.excludes("a.log"));
  EXPECT_TRUE(exclusions.excludes("deep/down/a.log"));
  EXPECT_TRUE(exclusions.excludes("node_modules/x/index.js"));
  EXPECT_TRUE(exclusions.excludes("web/node_modules/x/index.js"));
  EXPECT_TRUE(exclusions.excludes("dist/app.js"));
  EXPECT_FALSE(exclusions.excludes("src/dist/app.js"));
  EXPECT_TRUE(exclusions.excludes("docs/a.tmp"));
  EXPECT_FALSE(exclusions.excludes("docs/sub/a.tmp"));
  EXPECT_TRUE(exclusions.excludes("config/secrets.env"));
  EXPECT_FALSE(exclusions.excludes("src/main.cpp"));
}

}  // namespace
}  // namespace flowrun::git
