// The fake GitLab under a relative URL root, as a GitLab installed at http://host/gitlab: the API, git and the web
// pages answer only under the root, so a client that drops it gets 404 and a test sees it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/fake_gitlab.h"
#include "support/git_helpers.h"
#include "support/http_client.h"
#include "support/temp_dir.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;

constexpr const char* kPat = "glpat-root-0123456789abcdef";

class FakeGitLabUnderUrlRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = gitlab_.add_project(42, "group/project");
    gitlab_.add_token(kPat, TokenKind::pat, "service-bot");
    gitlab_.add_issue(42, 7, "Fix the parser");
  }

  HttpResponse get(const std::string& url) { return http_request({.url = url, .headers = {{"PRIVATE-TOKEN", kPat}}}); }

  FakeGitLab gitlab_{{.url_root = "/gitlab"}};
  TempDir work_;
  std::filesystem::path repo_;
};

TEST_F(FakeGitLabUnderUrlRoot, ItsUrlsCarryTheRoot) {
  EXPECT_EQ(gitlab_.origin(), "http://" + gitlab_.host());
  EXPECT_EQ(gitlab_.url(), gitlab_.origin() + "/gitlab");
  EXPECT_EQ(gitlab_.api_url(), gitlab_.origin() + "/gitlab/api/v4");
  EXPECT_EQ(gitlab_.repository_url("group/project"), gitlab_.origin() + "/gitlab/group/project.git");
}

TEST_F(FakeGitLabUnderUrlRoot, TheApiAnswersUnderTheRootOnlyAndItsWebUrlsKeepIt) {
  auto project = get(gitlab_.api_url() + "/projects/42");
  ASSERT_EQ(project.status, 200) << project.body;
  EXPECT_EQ(json::parse(project.body).at("web_url"), gitlab_.url() + "/group/project");
  EXPECT_EQ(json::parse(project.body).at("http_url_to_repo"), gitlab_.url() + "/group/project.git");
  auto issue = get(gitlab_.api_url() + "/projects/42/issues/7");
  ASSERT_EQ(issue.status, 200) << issue.body;
  EXPECT_EQ(json::parse(issue.body).at("web_url"), gitlab_.url() + "/group/project/-/issues/7");

  EXPECT_EQ(get(gitlab_.origin() + "/api/v4/projects/42").status, 404);
  EXPECT_EQ(get(gitlab_.origin() + "/group/project/-/issues/7").status, 404);
  // The root is a whole path segment, not a prefix of one.
  EXPECT_EQ(get(gitlab_.origin() + "/gitlabx/api/v4/projects/42").status, 404);

  const auto requests = gitlab_.requests();
  ASSERT_EQ(requests.size(), 5u);
  EXPECT_EQ(requests[0].path, "/gitlab/api/v4/projects/42");
  EXPECT_EQ(requests[2].path, "/api/v4/projects/42");
  EXPECT_EQ(requests[2].status, 404);
}

TEST_F(FakeGitLabUnderUrlRoot, GitWorksUnderTheRootOnly) {
  seed_repository(repo_, {{"README.md", "hello\n"}});
  const auto env = git_credentials_environment("anyone", kPat);
  auto cloned = git({"clone", "--quiet", gitlab_.repository_url("group/project"), "inside"}, work_.path(), env);
  ASSERT_EQ(cloned.exit_code, 0) << cloned.err;
  auto outside = git({"clone", "--quiet", gitlab_.origin() + "/group/project.git", "outside"}, work_.path(), env);
  EXPECT_NE(outside.exit_code, 0);
  bool refused = false;
  for (const auto& request : gitlab_.requests()) {
    if (request.path.rfind("/group/project.git/", 0) == 0) {
      EXPECT_EQ(request.status, 404) << request.path;
      refused = true;
    }
  }
  EXPECT_TRUE(refused);
}

TEST_F(FakeGitLabUnderUrlRoot, TheAdminApiStaysAtTheServersRoot) {
  EXPECT_EQ(http_request({.url = gitlab_.origin() + "/__admin/state"}).status, 200);
  EXPECT_EQ(http_request({.url = gitlab_.url() + "/__admin/state"}).status, 404);
}

TEST_F(FakeGitLabUnderUrlRoot, FaultsSeeThePathWithItsRoot) {
  gitlab_.add_fault({.path_regex = "^/gitlab/api/v4/user$", .status = 503});
  EXPECT_EQ(get(gitlab_.api_url() + "/user").status, 503);
  EXPECT_EQ(get(gitlab_.api_url() + "/user").status, 200);
}

}  // namespace
}  // namespace flowrun::testing
