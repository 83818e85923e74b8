#include "flowrun/git/target.h"

#include <gtest/gtest.h>

namespace flowrun::git {
namespace {

TEST(BranchForWorkloadRef, MapsEachFormToABranch) {
  const std::vector<std::pair<std::string, std::optional<std::string>>> table{
      {"workloads/0a1b2c3d4e5", "workloads/0a1b2c3d4e5"},       // GitLab 18.3: a real branch
      {"refs/workloads/0a1b2c3d4e5", "workloads/0a1b2c3d4e5"},  // later: an internal ref
      {"refs/heads/feature/x", "feature/x"},
      {"main", "main"},
      {"", std::nullopt},
      {"refs/workloads/", std::nullopt},
      {"refs/heads/", std::nullopt},
      {"refs/tags/v1", std::nullopt},
      {"refs/merge-requests/1/head", std::nullopt},
      {"-x", std::nullopt},
      {"--upload-pack=evil", std::nullopt},
      {"refs/heads/-x", std::nullopt},
      {"workloads/../main", std::nullopt},
      {"workloads/a b", std::nullopt},
      {"workloads/a\nb", std::nullopt},
      {"refs/workloads/a:b", std::nullopt},
      {"workloads/x.lock", std::nullopt},
  };
  for (const auto& [ref, expected] : table) {
    EXPECT_EQ(branch_for_workload_ref(ref), expected) << "CI_WORKLOAD_REF=" << ref;
  }
}

TEST(IsValidBranchName, FollowsCheckRefFormat) {
  for (const char* good :
       {"main", "workloads/0a1b2c3d4e5", "feature/x-y_z.1", "a/b/c", "release-1.2", "x@y", "caf\xc3\xa9"}) {
    EXPECT_TRUE(is_valid_branch_name(good)) << good;
  }
  for (const char* bad : {"",       "-x",       "--force", "HEAD", "@",    "a..b", "a~1",   "a^",    "a:b",
                          "a?",     "a*",       "a[b",     "a\\b", "a b",  "a\tb", "a\x7f", "a\x01", "a@{1}",
                          "x.lock", "a/x.lock", "a/",      "/a",   "a//b", ".a",   "a/.b",  "a.",    "a/."}) {
    EXPECT_FALSE(is_valid_branch_name(bad)) << bad;
  }
}

TEST(RemoteUrl, BuildsFromServerAndProject) {
  struct Row {
    std::map<std::string, std::string> env;
    std::string override_url;
    std::optional<std::string> expected;
  };
  const std::vector<Row> table{
      {{{"CI_SERVER_URL", "https://gitlab.example.com"}, {"CI_PROJECT_PATH", "group/project"}},
       "",
       "https://gitlab.example.com/group/project.git"},
      {{{"CI_SERVER_URL", "https://example.com:8443/gitlab/"}, {"CI_PROJECT_PATH", "g/sub/p"}},
       "",
       "https://example.com:8443/gitlab/g/sub/p.git"},
      {{{"CI_SERVER_HOST", "gitlab.example.com"}, {"CI_PROJECT_PATH", "g/p"}},
       "",
       "https://gitlab.example.com/g/p.git"},
      {{{"AI_FLOW_GITLAB_HOSTNAME", "gitlab.example.com:8080"}, {"AI_FLOW_PROJECT_PATH", "g/p"}},
       "",
       "https://gitlab.example.com:8080/g/p.git"},
      {{{"GITLAB_HOST", "http://127.0.0.1:9999"}, {"CI_PROJECT_PATH", "g/p"}}, "", "http://127.0.0.1:9999/g/p.git"},
      {{{"CI_SERVER_URL", "https://gitlab-ci-token:glpat-secret@gitlab.example.com"}, {"CI_PROJECT_PATH", "g/p"}},
       "",
       "https://gitlab.example.com/g/p.git"},
      {{{"CI_SERVER_URL", "https://gitlab.example.com"}, {"CI_PROJECT_PATH", "g/p"}},
       "https://oauth2:tok@other.example.com/x/y.git",
       "https://other.example.com/x/y.git"},
      {{{"CI_PROJECT_PATH", "g/p"}}, "", std::nullopt},
      {{{"CI_SERVER_URL", "https://gitlab.example.com"}}, "", std::nullopt},
      {{{"CI_SERVER_URL", ""}, {"CI_SERVER_HOST", "h.example.com"}, {"CI_PROJECT_PATH", "g/p.git"}},
       "",
       "https://h.example.com/g/p.git"},
  };
  for (const auto& row : table) {
    EXPECT_EQ(remote_url(Environment(row.env), row.override_url), row.expected) << row.override_url;
  }
}

TEST(WithoutUserinfo, RemovesOnlyTheUserinfo) {
  EXPECT_EQ(without_userinfo("https://u:p@h.example.com/a@b.git"), "https://h.example.com/a@b.git");
  EXPECT_EQ(without_userinfo("https://u:p@ss@h.example.com:443/x"), "https://h.example.com:443/x");
  EXPECT_EQ(without_userinfo("https://h.example.com/x"), "https://h.example.com/x");
  EXPECT_EQ(without_userinfo("/srv/repo.git"), "/srv/repo.git");
}

TEST(ProxyForUrl, UsesTheSchemesVariableUnlessNoProxyMatches) {
  const Environment env({{"HTTPS_PROXY", "http://proxy:3128"},
                         {"http_proxy", "http://plain-proxy:3128"},
                         {"NO_PROXY", "localhost, .internal.example.com,10.0.0.1:443"}});
  EXPECT_EQ(proxy_for_url(env, "https://gitlab.example.com/g/p.git"), "http://proxy:3128");
  EXPECT_EQ(proxy_for_url(env, "http://gitlab.example.com/g/p.git"), "http://plain-proxy:3128");
  EXPECT_EQ(proxy_for_url(env, "https://git.internal.example.com/g/p.git"), std::nullopt);
  EXPECT_EQ(proxy_for_url(env, "https://internal.example.com/g/p.git"), std::nullopt);
  EXPECT_EQ(proxy_for_url(env, "https://notinternal.example.com/g/p.git"), "http://proxy:3128");
  EXPECT_EQ(proxy_for_url(env, "https://localhost:8443/g/p.git"), std::nullopt);
  EXPECT_EQ(proxy_for_url(env, "https://10.0.0.1/g/p.git"), std::nullopt);
  EXPECT_EQ(proxy_for_url(env, "/srv/repo.git"), std::nullopt);
  EXPECT_EQ(proxy_for_url(Environment({{"HTTPS_PROXY", "http://p:1"}, {"no_proxy", "*"}}), "https://x/y"),
            std::nullopt);
  EXPECT_EQ(proxy_for_url(Environment(), "https://gitlab.example.com/g/p.git"), std::nullopt);
}

}  // namespace
}  // namespace flowrun::git
