// The fake GitLab's web pages, what the links in notes, merge requests and commit messages lead to: 200 for a thing
// that exists, 404 for one that does not, with branches and commits looked up in the real repository.
#include <gtest/gtest.h>

#include "support/fake_gitlab.h"
#include "support/git_helpers.h"
#include "support/http_client.h"

namespace flowrun::testing {
namespace {

class FakeGitLabWebPages : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = gitlab_.add_project(42, "group/sub/project");
    gitlab_.add_token("glpat-pages-0123456789abcdef", TokenKind::pat, "service-bot");
    gitlab_.add_issue(42, 7, "Fix the parser");
    merge_request_ = gitlab_.add_merge_request({.project_id = 42, .source_branch = "feature/x"});
    epic_group_ = gitlab_.add_epic({.group = "group/sub", .iid = 3, .title = "An epic"}).group_path;
    first_ = seed_repository(repo_, {{"README.md", "one\n"}});
    second_ = seed_repository(repo_, {{"README.md", "two\n"}}, "feature/x", "Second");
  }

  int status(const std::string& path) { return http_request({.url = gitlab_.url() + path}).status; }

  FakeGitLab gitlab_;
  std::filesystem::path repo_;
  std::int64_t merge_request_ = 0;
  std::string epic_group_;
  std::string first_;
  std::string second_;
};

TEST_F(FakeGitLabWebPages, ThingsThatExistHaveAPage) {
  EXPECT_EQ(status("/"), 200);
  EXPECT_EQ(status("/service-bot"), 200);
  EXPECT_EQ(status("/groups/group/sub"), 200);
  EXPECT_EQ(status("/groups/" + epic_group_ + "/-/epics/3"), 200);
  EXPECT_EQ(status("/group/sub/project"), 200);
  EXPECT_EQ(status("/group/sub/project/-/issues/7"), 200);
  EXPECT_EQ(status("/group/sub/project/-/merge_requests/" + std::to_string(merge_request_)), 200);
  EXPECT_EQ(status("/group/sub/project/-/jobs/2001"), 200);
  EXPECT_EQ(status("/group/sub/project/-/pipelines/77"), 200);
  EXPECT_EQ(status("/group/sub/project/-/tree/main"), 200);
  EXPECT_EQ(status("/group/sub/project/-/tree/feature/x"), 200);
  EXPECT_EQ(status("/group/sub/project/-/tree/feature%2Fx"), 200);
  EXPECT_EQ(status("/group/sub/project/-/commit/" + first_), 200);
  EXPECT_EQ(status("/group/sub/project/-/commit/" + second_.substr(0, 8)), 200);
  EXPECT_EQ(status("/group/sub/project/-/compare/main...feature/x"), 200);
  EXPECT_EQ(status("/group/sub/project/-/compare/" + first_ + "..." + second_), 200);
}

TEST_F(FakeGitLabWebPages, ThingsThatDoNotExistAre404) {
  EXPECT_EQ(status("/nobody"), 404);
  EXPECT_EQ(status("/groups/nogroup"), 404);
  EXPECT_EQ(status("/groups/" + epic_group_ + "/-/epics/4"), 404);
  EXPECT_EQ(status("/group/sub/other"), 404);
  EXPECT_EQ(status("/42/-/issues/7"), 404);  // the web takes paths, not project ids
  EXPECT_EQ(status("/group/sub/project/-/issues/8"), 404);
  EXPECT_EQ(status("/group/sub/project/-/merge_requests/99"), 404);
  EXPECT_EQ(status("/group/sub/other/-/jobs/2001"), 404);
  EXPECT_EQ(status("/group/sub/project/-/jobs/latest"), 404);
  EXPECT_EQ(status("/group/sub/project/-/pipelines/"), 404);
  EXPECT_EQ(status("/group/sub/project/-/tree/workloads/0a1b2c3d4e5"), 404);
  EXPECT_EQ(status("/group/sub/project/-/commit/0123456789abcdef0123456789abcdef01234567"), 404);
  EXPECT_EQ(status("/group/sub/project/-/commit/main"), 404);  // a commit page takes an id
  EXPECT_EQ(status("/group/sub/project/-/commit/--all"), 404);
  EXPECT_EQ(status("/group/sub/project/-/compare/main...nope"), 404);
  EXPECT_EQ(status("/group/sub/project/-/wiki/home"), 404);
}

TEST_F(FakeGitLabWebPages, PagesAreReadOnlyAndRecordedAsWeb) {
  EXPECT_EQ(http_request({.method = "POST", .url = gitlab_.url() + "/group/sub/project", .body = "x"}).status, 404);
  EXPECT_EQ(status("/group/sub/project"), 200);
  const auto requests = gitlab_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].kind, "api");  // not a page: answered like any unknown route
  EXPECT_EQ(requests[1].kind, "web");
  EXPECT_EQ(requests[1].path, "/group/sub/project");
  EXPECT_EQ(requests[1].status, 200);
}

}  // namespace
}  // namespace flowrun::testing
