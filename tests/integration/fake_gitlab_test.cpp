// The fake GitLab itself, checked with the real git CLI and plain HTTP: if these fail, every integration test that
// relies on the fake is suspect. Also covers the process helpers the other tests build on.
#include "support/fake_gitlab.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "support/git_helpers.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;

constexpr std::int64_t kProjectId = 42;
const std::string kProjectPath = "group/sub/project";
const std::string kEncodedPath = "group%2Fsub%2Fproject";
const std::string kPat = "glpat-fake-0123456789abcdef";
const std::string kOauth = "oauth-fake-0123456789abcdef";
const std::string kJobToken = "glcbt-fake-0123456789abcdef";
const std::string kDiscussionId = "0123456789abcdef0123456789abcdef01234567";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

class FakeGitLabTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = gitlab_.add_project(kProjectId, kProjectPath);
    gitlab_.add_token(kPat, TokenKind::pat, "service-bot");
    gitlab_.add_token(kOauth, TokenKind::oauth, "service-bot");
    gitlab_.add_token(kJobToken, TokenKind::job, "ci-user");
    gitlab_.add_issue(kProjectId, 7, "Fix the parser");
  }

  HttpResponse api(const std::string& method, const std::string& path, const json& body = nullptr,
                   const std::vector<std::pair<std::string, std::string>>& auth = {{"PRIVATE-TOKEN", kPat}}) {
    HttpRequest request;
    request.method = method;
    request.url = gitlab_.api_url() + path;
    request.headers = auth;
    if (!body.is_null()) {
      request.headers.emplace_back("Content-Type", "application/json");
      request.body = body.dump();
    }
    return http_request(request);
  }

  std::map<std::string, std::string> git_env(const std::string& user = "anyone", const std::string& secret = kPat) {
    auto env = git_credentials_environment(user, secret);
    env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = "Test Author";
    env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] = "author@example.com";
    return env;
  }

  ProcessResult clone(const std::filesystem::path& into, const std::map<std::string, std::string>& env,
                      const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"clone"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(gitlab_.repository_url(kProjectPath));
    args.push_back(into.string());
    return git(args, work_.path(), env);
  }

  FakeGitLab gitlab_;
  TempDir work_;
  std::filesystem::path repo_;
};

// ----- git smart HTTP ----------------------------------------------------------------------------------------------

TEST_F(FakeGitLabTest, CloneWithPatAndAnyUserNameWorksAndLeavesNoSecretInConfig) {
  seed_repository(repo_, {{"README.md", "hello\n"}, {"src/main.c", "int main(void) { return 0; }\n"}});
  auto cloned = clone(work_.path() / "clone", git_env("whoever"));
  ASSERT_EQ(cloned.exit_code, 0) << cloned.err;
  EXPECT_EQ(read_file(work_.path() / "clone" / "README.md"), "hello\n");
  EXPECT_EQ(read_file(work_.path() / "clone" / "src" / "main.c"), "int main(void) { return 0; }\n");
  EXPECT_EQ(read_file(work_.path() / "clone" / ".git" / "config").find(kPat), std::string::npos);
  for (const auto& request : gitlab_.requests()) EXPECT_EQ(request.kind, "git");
}

TEST_F(FakeGitLabTest, OauthTokenNeedsTheOauth2UserName) {
  seed_repository(repo_, {{"a.txt", "a"}});
  EXPECT_EQ(clone(work_.path() / "ok", git_env("oauth2", kOauth)).exit_code, 0);
  EXPECT_NE(clone(work_.path() / "bad", git_env("someone", kOauth)).exit_code, 0);
}

TEST_F(FakeGitLabTest, CloneWithWrongTokenFailsWith401AndBasicChallenge) {
  seed_repository(repo_, {{"a.txt", "a"}});
  auto cloned = clone(work_.path() / "clone", git_env("anyone", "glpat-wrong"));
  EXPECT_NE(cloned.exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(work_.path() / "clone" / "a.txt"));
  auto requests = gitlab_.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.front().status, 401);

  auto unauthenticated =
      http_request({.url = gitlab_.repository_url(kProjectPath) + "/info/refs?service=git-upload-pack"});
  EXPECT_EQ(unauthenticated.status, 401);
  EXPECT_EQ(unauthenticated.header("WWW-Authenticate"), "Basic realm=\"GitLab\"");
}

TEST_F(FakeGitLabTest, ExpiredTokenCannotClone) {
  gitlab_.add_token("glpat-expired", TokenKind::pat, "service-bot", true);
  seed_repository(repo_, {{"a.txt", "a"}});
  EXPECT_NE(clone(work_.path() / "clone", git_env("anyone", "glpat-expired")).exit_code, 0);
}

TEST_F(FakeGitLabTest, PushedCommitArrivesInTheBareRepository) {
  seed_repository(repo_, {{"a.txt", "a"}});
  auto env = git_env();
  ASSERT_EQ(clone(work_.path() / "clone", env).exit_code, 0);
  auto checkout = work_.path() / "clone";
  std::ofstream(checkout / "b.txt") << "b\n";
  ASSERT_EQ(git({"add", "b.txt"}, checkout, env).exit_code, 0);
  ASSERT_EQ(git({"commit", "-m", "Add b"}, checkout, env).exit_code, 0);
  auto pushed = git({"push", "origin", "HEAD:refs/heads/feature"}, checkout, env);
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;

  auto local = git({"rev-parse", "HEAD"}, checkout, env);
  auto remote = git({"--git-dir", repo_.string(), "rev-parse", "refs/heads/feature"}, work_.path());
  EXPECT_EQ(trimmed(remote.out), trimmed(local.out));
  auto show = git({"--git-dir", repo_.string(), "show", "feature:b.txt"}, work_.path());
  EXPECT_EQ(show.out, "b\n");
}

TEST_F(FakeGitLabTest, PreReceiveHookRejectionReachesThePusher) {
  seed_repository(repo_, {{"a.txt", "a"}});
  install_hook(repo_, "pre-receive",
               "#!/bin/sh\necho \"GitLab: You are not allowed to push code to protected branches ($GL_USERNAME).\" "
               ">&2\nexit 1\n");
  auto env = git_env();
  ASSERT_EQ(clone(work_.path() / "clone", env).exit_code, 0);
  auto checkout = work_.path() / "clone";
  std::ofstream(checkout / "b.txt") << "b\n";
  git({"add", "b.txt"}, checkout, env);
  git({"commit", "-m", "Add b"}, checkout, env);
  auto pushed = git({"push", "origin", "HEAD:main"}, checkout, env);
  EXPECT_NE(pushed.exit_code, 0);
  EXPECT_NE(pushed.err.find("You are not allowed to push code to protected branches (service-bot)"), std::string::npos)
      << pushed.err;
  EXPECT_NE(pushed.err.find("pre-receive hook declined"), std::string::npos) << pushed.err;
}

TEST_F(FakeGitLabTest, JobTokenCanCloneButNotPush) {
  seed_repository(repo_, {{"a.txt", "a"}});
  auto env = git_env("gitlab-ci-token", kJobToken);
  ASSERT_EQ(clone(work_.path() / "clone", env).exit_code, 0);
  auto checkout = work_.path() / "clone";
  std::ofstream(checkout / "b.txt") << "b\n";
  git({"add", "b.txt"}, checkout, env);
  git({"commit", "-m", "Add b"}, checkout, env);
  auto pushed = git({"push", "origin", "HEAD:main"}, checkout, env);
  EXPECT_NE(pushed.exit_code, 0);
  EXPECT_NE(pushed.err.find("403"), std::string::npos) << pushed.err;
}

TEST_F(FakeGitLabTest, ShallowCloneHasOneCommit) {
  seed_repository(repo_, {{"a.txt", "1"}}, "main", "first");
  seed_repository(repo_, {{"a.txt", "2"}}, "main", "second");
  seed_repository(repo_, {{"a.txt", "3"}}, "main", "third");
  auto env = git_env();
  auto cloned = clone(work_.path() / "clone", env, {"--depth", "1", "--no-local"});
  ASSERT_EQ(cloned.exit_code, 0) << cloned.err;
  auto count = git({"rev-list", "--count", "HEAD"}, work_.path() / "clone", env);
  EXPECT_EQ(trimmed(count.out), "1");
  EXPECT_EQ(read_file(work_.path() / "clone" / "a.txt"), "3");
  EXPECT_TRUE(std::filesystem::exists(work_.path() / "clone" / ".git" / "shallow"));
}

TEST_F(FakeGitLabTest, LargePushIsSentChunkedAndArrives) {
  seed_repository(repo_, {{"a.txt", "a"}});
  auto env = git_env();
  ASSERT_EQ(clone(work_.path() / "clone", env).exit_code, 0);
  auto checkout = work_.path() / "clone";
  std::string noise(3 * 1024 * 1024, '\0');
  std::mt19937 generator(1234);  // fixed seed: same bytes every run, and incompressible
  for (auto& byte : noise) byte = static_cast<char>(generator() & 0xff);
  std::ofstream(checkout / "big.bin", std::ios::binary) << noise;
  git({"add", "big.bin"}, checkout, env);
  git({"commit", "-m", "Add a big file"}, checkout, env);
  auto pushed = git({"push", "origin", "HEAD:main"}, checkout, env);
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;

  auto size = git({"--git-dir", repo_.string(), "cat-file", "-s", "main:big.bin"}, work_.path());
  EXPECT_EQ(trimmed(size.out), std::to_string(noise.size()));
  bool chunked_push = false;
  for (const auto& request : gitlab_.requests()) {
    if (request.path.ends_with("/git-receive-pack") && request.header("Transfer-Encoding") == "chunked") {
      chunked_push = true;
      EXPECT_EQ(request.status, 200);
    }
  }
  EXPECT_TRUE(chunked_push);
}

// ----- REST API ----------------------------------------------------------------------------------------------------

TEST_F(FakeGitLabTest, CreatesAnIssueNoteWithGitLabsShape) {
  auto response = api("POST", "/projects/" + kEncodedPath + "/issues/7/notes", {{"body", "Done: see !1"}});
  ASSERT_EQ(response.status, 201) << response.body;
  auto note = json::parse(response.body);
  EXPECT_TRUE(note.at("id").is_number_integer());
  EXPECT_EQ(note.at("body"), "Done: see !1");
  EXPECT_EQ(note.at("author").at("username"), "service-bot");
  EXPECT_EQ(note.at("noteable_type"), "Issue");
  EXPECT_EQ(note.at("noteable_iid"), 7);
  EXPECT_EQ(note.at("project_id"), kProjectId);
  EXPECT_EQ(note.at("system"), false);
  EXPECT_TRUE(note.at("created_at").is_string());

  auto state = gitlab_.state();
  ASSERT_EQ(state.notes.size(), 1u);
  EXPECT_EQ(state.notes[0].body, "Done: see !1");
  EXPECT_EQ(state.notes[0].discussion_id.size(), 40u);
}

TEST_F(FakeGitLabTest, AcceptsFormBodiesAndNumericProjectIds) {
  HttpRequest request{.method = "POST",
                      .url = gitlab_.api_url() + "/projects/42/issues/7/notes",
                      .headers = {{"PRIVATE-TOKEN", kPat}, {"Content-Type", "application/x-www-form-urlencoded"}},
                      .body = "body=a%20form%20note"};
  auto response = http_request(request);
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(json::parse(response.body).at("body"), "a form note");
}

TEST_F(FakeGitLabTest, RepliesInAnExistingThread) {
  gitlab_.add_discussion({.noteable = "issue", .project_id = kProjectId, .iid = 7, .id = kDiscussionId});
  auto reply = api("POST", "/projects/" + kEncodedPath + "/issues/7/discussions/" + kDiscussionId + "/notes",
                   {{"body", "Finished."}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(json::parse(reply.body).at("type"), "DiscussionNote");

  auto discussions = api("GET", "/projects/42/issues/7/discussions");
  ASSERT_EQ(discussions.status, 200);
  auto list = json::parse(discussions.body);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("id"), kDiscussionId);
  EXPECT_EQ(list[0].at("individual_note"), false);
  ASSERT_EQ(list[0].at("notes").size(), 2u);
  EXPECT_EQ(list[0].at("notes")[1].at("body"), "Finished.");

  auto state = gitlab_.state();
  ASSERT_EQ(state.notes.size(), 2u);
  EXPECT_EQ(state.notes[1].discussion_id, kDiscussionId);
  EXPECT_EQ(state.notes[0].author, "duo-developer");

  auto unknown = api("POST", "/projects/42/issues/7/discussions/" + std::string(40, 'f') + "/notes", {{"body", "x"}});
  EXPECT_EQ(unknown.status, 404);
}

TEST_F(FakeGitLabTest, MergeRequestThreadReply) {
  seed_repository(repo_, {{"a", "a"}}, "main");
  seed_repository(repo_, {{"a", "b"}}, "feature");
  auto iid = gitlab_.add_merge_request({.project_id = kProjectId, .source_branch = "feature"});
  gitlab_.add_discussion({.noteable = "merge_request", .project_id = kProjectId, .iid = iid, .id = kDiscussionId});
  auto reply =
      api("POST", "/projects/42/merge_requests/" + std::to_string(iid) + "/discussions/" + kDiscussionId + "/notes",
          {{"body", "Pushed."}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(json::parse(reply.body).at("noteable_type"), "MergeRequest");
}

TEST_F(FakeGitLabTest, PutEditsANoteOnlyForItsAuthor) {
  auto created = json::parse(api("POST", "/projects/42/issues/7/notes", {{"body", "Working..."}}).body);
  auto path = "/projects/42/issues/7/notes/" + std::to_string(created.at("id").get<std::int64_t>());
  auto edited = api("PUT", path, {{"body", "Done."}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(json::parse(edited.body).at("body"), "Done.");
  EXPECT_EQ(gitlab_.state().notes.at(0).body, "Done.");

  gitlab_.add_token("glpat-other", TokenKind::pat, "someone-else");
  EXPECT_EQ(api("PUT", path, {{"body", "Hijack"}}, {{"PRIVATE-TOKEN", "glpat-other"}}).status, 403);
  EXPECT_EQ(api("PUT", "/projects/42/issues/7/notes/999999", {{"body", "x"}}).status, 404);
}

TEST_F(FakeGitLabTest, NoteBodyIsValidatedLikeGitLab) {
  auto missing = api("POST", "/projects/42/issues/7/notes", json::object());
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(json::parse(missing.body).at("error"), "body is missing");
  EXPECT_EQ(api("POST", "/projects/42/issues/7/notes", {{"body", "  "}}).status, 400);
  EXPECT_EQ(api("POST", "/projects/42/issues/7/notes", {{"body", std::string(1'000'001, 'x')}}).status, 400);
}

TEST_F(FakeGitLabTest, UnknownObjectsAre404) {
  auto issue = api("POST", "/projects/42/issues/99/notes", {{"body", "x"}});
  EXPECT_EQ(issue.status, 404);
  EXPECT_EQ(json::parse(issue.body).at("message"), "404 Issue Not Found");
  EXPECT_EQ(api("GET", "/projects/group%2Fnope").status, 404);
  EXPECT_EQ(api("POST", "/projects/42/merge_requests/5/notes", {{"body", "x"}}).status, 404);
  EXPECT_EQ(api("POST", "/groups/nogroup/epics/1/notes", {{"body", "x"}}).status, 404);
}

TEST_F(FakeGitLabTest, BadMissingOrExpiredTokensAre401) {
  gitlab_.add_token("glpat-expired", TokenKind::pat, "service-bot", true);
  for (const auto& auth :
       std::vector<std::vector<std::pair<std::string, std::string>>>{{{"PRIVATE-TOKEN", "glpat-nope"}},
                                                                     {},
                                                                     {{"PRIVATE-TOKEN", "glpat-expired"}},
                                                                     {{"Authorization", "Bearer nope"}},
                                                                     {{"PRIVATE-TOKEN", kOauth}}}) {
    auto response = api("POST", "/projects/42/issues/7/notes", {{"body", "x"}}, auth);
    EXPECT_EQ(response.status, 401);
    EXPECT_EQ(json::parse(response.body), json({{"message", "401 Unauthorized"}}));
  }
  EXPECT_TRUE(gitlab_.state().notes.empty());
}

TEST_F(FakeGitLabTest, OauthBearerTokenWorks) {
  auto response = api("GET", "/user", nullptr, {{"Authorization", "Bearer " + kOauth}});
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(json::parse(response.body).at("username"), "service-bot");
}

TEST_F(FakeGitLabTest, JobTokenIsForbiddenOnNotesDiscussionsAndMergeRequests) {
  gitlab_.add_discussion({.noteable = "issue", .project_id = kProjectId, .iid = 7, .id = kDiscussionId});
  const std::vector<std::pair<std::string, std::string>> job{{"JOB-TOKEN", kJobToken}};
  EXPECT_EQ(api("POST", "/projects/42/issues/7/notes", {{"body", "x"}}, job).status, 403);
  EXPECT_EQ(api("POST", "/projects/42/issues/7/discussions/" + kDiscussionId + "/notes", {{"body", "x"}}, job).status,
            403);
  EXPECT_EQ(api("GET", "/projects/42/merge_requests", nullptr, job).status, 403);
  EXPECT_EQ(api("GET", "/projects/42", nullptr, job).status, 200);
}

TEST_F(FakeGitLabTest, ProjectByPathAndId) {
  auto by_path = json::parse(api("GET", "/projects/" + kEncodedPath).body);
  EXPECT_EQ(by_path.at("id"), kProjectId);
  EXPECT_EQ(by_path.at("path_with_namespace"), kProjectPath);
  EXPECT_EQ(by_path.at("default_branch"), "main");
  EXPECT_EQ(json::parse(api("GET", "/projects/42").body).at("http_url_to_repo"), gitlab_.repository_url(kProjectPath));
}

TEST_F(FakeGitLabTest, MergeRequestCreateConflictAndListFilters) {
  seed_repository(repo_, {{"a", "a"}}, "main");
  seed_repository(repo_, {{"a", "b"}}, "workloads/abc");
  json fields{{"source_branch", "workloads/abc"},
              {"target_branch", "main"},
              {"title", "Agent changes"},
              {"description", "Closes #7"},
              {"remove_source_branch", true}};
  auto created = api("POST", "/projects/" + kEncodedPath + "/merge_requests", fields);
  ASSERT_EQ(created.status, 201) << created.body;
  auto mr = json::parse(created.body);
  EXPECT_EQ(mr.at("iid"), 1);
  EXPECT_EQ(mr.at("state"), "opened");
  EXPECT_EQ(mr.at("source_branch"), "workloads/abc");
  EXPECT_EQ(mr.at("web_url"), gitlab_.url() + "/" + kProjectPath + "/-/merge_requests/1");
  EXPECT_EQ(mr.at("force_remove_source_branch"), true);

  auto duplicate = api("POST", "/projects/42/merge_requests", fields);
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(json::parse(duplicate.body).at("message")[0],
            "Another open merge request already exists for this source branch: !1");

  auto found = json::parse(api("GET", "/projects/42/merge_requests?source_branch=workloads%2Fabc&state=opened").body);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at("iid"), 1);
  EXPECT_TRUE(json::parse(api("GET", "/projects/42/merge_requests?source_branch=other").body).empty());
  EXPECT_TRUE(json::parse(api("GET", "/projects/42/merge_requests?state=merged").body).empty());
  EXPECT_EQ(json::parse(api("GET", "/projects/42/merge_requests?target_branch=main&per_page=100").body).size(), 1u);

  auto state = gitlab_.state();
  ASSERT_EQ(state.merge_requests.size(), 1u);
  EXPECT_EQ(state.merge_requests[0].description, "Closes #7");
  EXPECT_TRUE(state.merge_requests[0].remove_source_branch);
}

TEST_F(FakeGitLabTest, MergeRequestNeedsExistingBranchesAndATitle) {
  seed_repository(repo_, {{"a", "a"}}, "main");
  auto missing_branch = api("POST", "/projects/42/merge_requests",
                            {{"source_branch", "nope"}, {"target_branch", "main"}, {"title", "t"}});
  EXPECT_EQ(missing_branch.status, 400);
  auto no_title = api("POST", "/projects/42/merge_requests", {{"source_branch", "nope"}, {"target_branch", "main"}});
  EXPECT_EQ(no_title.status, 400);
  EXPECT_EQ(json::parse(no_title.body).at("error"), "title is missing");
  EXPECT_EQ(
      api("POST", "/projects/42/merge_requests", {{"source_branch", "main"}, {"target_branch", "main"}, {"title", "t"}})
          .status,
      422);
}

TEST_F(FakeGitLabTest, EpicNotesByGroupPathAndIdTakeTheEpicsGlobalId) {
  auto epic = gitlab_.add_epic({.group = "group/sub", .iid = 3});
  auto found = api("GET", "/groups/group%2Fsub/epics/3");  // the Epics API takes the iid
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(json::parse(found.body).at("id"), epic.id);

  const std::string epic_id = std::to_string(epic.id);  // the epic Notes API takes the id
  auto by_path = api("POST", "/groups/group%2Fsub/epics/" + epic_id + "/notes", {{"body", "via path"}});
  ASSERT_EQ(by_path.status, 201) << by_path.body;
  EXPECT_EQ(json::parse(by_path.body).at("noteable_type"), "Epic");
  EXPECT_EQ(json::parse(by_path.body).at("noteable_iid"), 3);
  auto by_id =
      api("POST", "/groups/" + std::to_string(epic.group_id) + "/epics/" + epic_id + "/notes", {{"body", "via id"}});
  ASSERT_EQ(by_id.status, 201) << by_id.body;

  auto state = gitlab_.state();
  ASSERT_EQ(state.notes.size(), 2u);
  EXPECT_EQ(state.notes[1].group_id, epic.group_id);
  EXPECT_EQ(state.notes[1].noteable_iid, 3);
  EXPECT_EQ(api("POST", "/groups/group%2Fsub/epics/3/notes", {{"body", "iid, not id"}}).status, 404);
}

TEST_F(FakeGitLabTest, DuoWorkflowsApi) {
  auto privileges = api("GET", "/ai/duo_workflows/workflows/agent_privileges");
  ASSERT_EQ(privileges.status, 200);
  EXPECT_EQ(json::parse(privileges.body).at("all_privileges").size(), 6u);

  auto created = api("POST", "/ai/duo_workflows/workflows",
                     {{"project_id", "42"},
                      {"goal", "Fix the pipeline"},
                      {"start_workflow", true},
                      {"agent_privileges", {1, 2, 5}},
                      {"pre_approved_agent_privileges", {1}}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto workflow = json::parse(created.body);
  EXPECT_EQ(workflow.at("status"), "running");
  EXPECT_EQ(workflow.at("project_id"), 42);
  EXPECT_EQ(workflow.at("agent_privileges_names"), json({"read_write_files", "read_only_gitlab", "use_git"}));
  EXPECT_EQ(workflow.at("gitlab_url"), gitlab_.url());
  EXPECT_EQ(json::parse(gitlab_.state().json).at("workflows")[0].at("request").at("goal"), "Fix the pipeline");

  EXPECT_EQ(
      api("POST", "/ai/duo_workflows/workflows", {{"pre_approved_agent_privileges", {4}}, {"agent_privileges", {1}}})
          .status,
      400);
}

// ----- faults and recording ----------------------------------------------------------------------------------------

TEST_F(FakeGitLabTest, RateLimitFaultAnswers429WithRetryAfterThenRecovers) {
  gitlab_.add_fault({.method = "POST", .path_regex = "/notes$", .status = 429, .retry_after = "1", .times = 2});
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto limited = api("POST", "/projects/42/issues/7/notes", {{"body", "x"}});
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.header("Retry-After"), "1");
    EXPECT_EQ(json::parse(limited.body).at("message"), "429 Too Many Requests");
  }
  EXPECT_EQ(api("GET", "/projects/42/issues/7/notes").status, 200);  // method does not match
  EXPECT_EQ(api("POST", "/projects/42/issues/7/notes", {{"body", "x"}}).status, 201);
  EXPECT_EQ(gitlab_.state().notes.size(), 1u);
}

TEST_F(FakeGitLabTest, ServerErrorFault) {
  gitlab_.add_fault({.path_regex = "merge_requests", .status = 500});
  EXPECT_EQ(api("GET", "/projects/42/merge_requests").status, 500);
  EXPECT_EQ(api("GET", "/projects/42/merge_requests").status, 200);
}

TEST_F(FakeGitLabTest, DropConnectionFaultClosesWithoutAnswer) {
  gitlab_.add_fault({.path_regex = "/notes$", .drop_connection = true});
  auto dropped = api("POST", "/projects/42/issues/7/notes", {{"body", "x"}});
  EXPECT_EQ(dropped.status, 0);
  EXPECT_FALSE(dropped.error.empty());
  EXPECT_EQ(api("POST", "/projects/42/issues/7/notes", {{"body", "x"}}).status, 201);
  auto requests = gitlab_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].status, 0);
  EXPECT_EQ(requests[1].status, 201);
}

TEST_F(FakeGitLabTest, DelayFaultSlowsTheNormalAnswer) {
  gitlab_.add_fault({.path_regex = "^/api/v4/user$", .delay_ms = 300});
  auto slow = api("GET", "/user");
  EXPECT_EQ(slow.status, 200);
  EXPECT_GE(slow.seconds, 0.3);
  HttpRequest impatient{.url = gitlab_.api_url() + "/user",
                        .headers = {{"PRIVATE-TOKEN", kPat}},
                        .timeout = std::chrono::milliseconds(100)};
  gitlab_.add_fault({.path_regex = "^/api/v4/user$", .delay_ms = 1000});
  auto timed_out = http_request(impatient);
  EXPECT_EQ(timed_out.status, 0);
}

TEST_F(FakeGitLabTest, GitRequestsCanBeFaulted) {
  seed_repository(repo_, {{"a.txt", "a"}});
  gitlab_.add_fault({.path_regex = "info/refs", .status = 503});
  EXPECT_NE(clone(work_.path() / "first", git_env()).exit_code, 0);
  EXPECT_EQ(clone(work_.path() / "second", git_env()).exit_code, 0);
}

TEST_F(FakeGitLabTest, RecordsRequestsAndResetForgetsThem) {
  api("POST", "/projects/" + kEncodedPath + "/issues/7/notes?per_page=5", {{"body", "recorded"}});
  auto requests = gitlab_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/api/v4/projects/" + kEncodedPath + "/issues/7/notes");
  EXPECT_EQ(requests[0].query, "per_page=5");
  EXPECT_EQ(requests[0].header("private-token"), kPat);
  EXPECT_EQ(requests[0].header("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(requests[0].body).at("body"), "recorded");
  EXPECT_EQ(requests[0].status, 201);
  EXPECT_EQ(requests[0].kind, "api");

  gitlab_.add_fault({.path_regex = ".", .status = 500});
  gitlab_.reset();
  EXPECT_TRUE(gitlab_.requests().empty());
  EXPECT_EQ(api("GET", "/user").status, 200);   // the fault went with the reset
  EXPECT_EQ(gitlab_.state().notes.size(), 1u);  // data stays
}

TEST_F(FakeGitLabTest, AdminErrorsAreReported) {
  EXPECT_THROW(gitlab_.add_project(42, "other/project"), std::runtime_error);
  EXPECT_THROW(gitlab_.add_discussion({.project_id = kProjectId, .iid = 7, .id = "not-hex"}), std::runtime_error);
  EXPECT_THROW(gitlab_.add_issue(999, 1), std::runtime_error);
}

TEST(FakeGitLabLifetime, ServerStopsWithTheObject) {
  std::string url;
  {
    FakeGitLab gitlab;
    url = gitlab.url() + "/__admin/state";
    EXPECT_EQ(http_request({.url = url}).status, 200);
  }
  auto after = http_request({.url = url, .timeout = std::chrono::seconds(2)});
  EXPECT_EQ(after.status, 0);
}

// ----- process helpers ---------------------------------------------------------------------------------------------

TEST(RunProcess, UsesExactlyTheGivenEnvironmentAndCwd) {
  TempDir dir;
  auto env = base_environment();
  env["ONLY_THIS"] = "yes";
  auto result = run_process({"bash", "-c", "env | sort; pwd"}, env, dir.path());
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("ONLY_THIS=yes\n"), std::string::npos);
  EXPECT_NE(result.out.find("GIT_TERMINAL_PROMPT=0\n"), std::string::npos);
  EXPECT_EQ(result.out.find("GTEST"), std::string::npos);
  EXPECT_NE(result.out.find(dir.path().string() + "\n"), std::string::npos);
}

TEST(RunProcess, FeedsStdinAndSeparatesStreams) {
  TempDir dir;
  auto result = run_process({"bash", "-c", "cat; echo oops >&2; exit 3"}, base_environment(), dir.path(),
                            std::chrono::seconds(10), "line one\nline two\n");
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.out, "line one\nline two\n");
  EXPECT_EQ(result.err, "oops\n");
  EXPECT_FALSE(result.timed_out);
}

TEST(RunProcess, ProgramThatIgnoresItsStdinDoesNotHurtTheCaller) {
  TempDir dir;
  auto result = run_process({"bash", "-c", "exit 0"}, base_environment(), dir.path(), std::chrono::seconds(10),
                            std::string(4 * 1024 * 1024, 'x'));
  EXPECT_EQ(result.exit_code, 0);
}

TEST(RunProcess, LargeOutputOnBothStreamsDoesNotDeadlock) {
  TempDir dir;
  auto result = run_process({"bash", "-c", "head -c 1000000 /dev/zero; head -c 1000000 /dev/zero >&2"},
                            base_environment(), dir.path(), std::chrono::seconds(20));
  EXPECT_EQ(result.out.size(), 1000000u);
  EXPECT_EQ(result.err.size(), 1000000u);
}

TEST(RunProcess, TimeoutKillsTheWholeGroup) {
  TempDir dir;
  auto started = std::chrono::steady_clock::now();
  auto result = run_process({"bash", "-c", "sleep 30 & sleep 30; echo never"}, base_environment(), dir.path(),
                            std::chrono::milliseconds(300));
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.signal, SIGTERM);
  EXPECT_EQ(result.out, "");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(RunProcess, BackgroundLeftoversDoNotHoldTheCallerUp) {
  TempDir dir;
  auto started = std::chrono::steady_clock::now();
  auto result = run_process({"bash", "-c", "sleep 30 & echo done"}, base_environment(), dir.path());
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "done\n");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(RunProcess, UnknownProgramIs127) {
  TempDir dir;
  auto result = run_process({"no-such-program-here"}, base_environment(), dir.path());
  EXPECT_EQ(result.exit_code, 127);
  EXPECT_NE(result.err.find("no-such-program-here: command not found"), std::string::npos);
}

}  // namespace
}  // namespace flowrun::testing
