// The gitlab module against the fake GitLab: notes where they belong, one note per run, retries, token fallback,
// merge requests, and the `start` / `privileges` subcommands of the real binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "flowrun/core/environment.h"
#include "flowrun/gitlab/client.h"
#include "flowrun/gitlab/merge_request.h"
#include "flowrun/gitlab/reporter.h"
#include "support/fake_gitlab.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace flowrun::gitlab {
namespace {

using Vars = std::map<std::string, std::string>;

using flowrun::testing::FakeGitLab;
using flowrun::testing::Fault;
using flowrun::testing::RecordedNote;
using flowrun::testing::RecordedRequest;
using flowrun::testing::TokenKind;
using std::chrono::milliseconds;

constexpr const char* kPat = "glpat-integrationtoken0001";
constexpr const char* kOtherPat = "glpat-integrationtoken0002";
constexpr const char* kDiscussion = "0123456789abcdef0123456789abcdef01234567";
constexpr std::int64_t kProject = 42;

ClientOptions fast_options() {
  ClientOptions options;
  options.connect_timeout = milliseconds(2000);
  options.request_timeout = milliseconds(5000);
  options.budget = milliseconds(15000);
  options.initial_backoff = milliseconds(50);
  options.max_backoff = milliseconds(200);
  options.max_retry_after = milliseconds(3000);
  return options;
}

ApiToken pat(const std::string& value, const std::string& source = "GITLAB_TOKEN_CLAUDE") {
  return ApiToken{ApiToken::Kind::private_token, value, source};
}

ApiToken bearer(const std::string& value) { return ApiToken{ApiToken::Kind::bearer, value, "AI_FLOW_GITLAB_TOKEN"}; }

class GitLabApi : public ::testing::Test {
 protected:
  void SetUp() override {
    gitlab_.add_project(kProject, "group/app", "main", /*validate_branches=*/false);
    gitlab_.add_token(kPat);
    gitlab_.add_issue(kProject, 7, "Login page crashes");
  }

  Client client(std::vector<ApiToken> tokens = {pat(kPat)}, ClientOptions options = fast_options()) {
    options.log = [this](std::string_view line) { log_.emplace_back(line); };
    return Client(gitlab_.api_url(), std::move(tokens), std::move(options));
  }

  static Noteable issue(std::optional<std::string> discussion = std::nullopt) {
    Noteable noteable;
    noteable.kind = Noteable::Kind::issue;
    noteable.project = "group/app";
    noteable.iid = 7;
    noteable.discussion_id = std::move(discussion);
    noteable.web_url = "http://gitlab.example/group/app/-/issues/7";
    return noteable;
  }

  std::vector<RecordedNote> notes_with(const std::string& text) {
    std::vector<RecordedNote> found;
    for (const auto& note : gitlab_.state().notes) {
      if (note.body.find(text) != std::string::npos) found.push_back(note);
    }
    return found;
  }

  std::vector<RecordedRequest> api_requests(const std::string& method, const std::string& path_part) {
    std::vector<RecordedRequest> found;
    for (const auto& request : gitlab_.requests()) {
      if (request.kind == "api" && request.method == method && request.path.find(path_part) != std::string::npos)
        found.push_back(request);
    }
    return found;
  }

  std::string all_log() const {
    std::string text;
    for (const auto& line : log_) text += line + "\n";
    return text;
  }

  FakeGitLab gitlab_;
  std::vector<std::string> log_;
};

TEST_F(GitLabApi, RepliesInTheTriggeringDiscussion) {
  gitlab_.add_discussion({.noteable = "issue", .project_id = kProject, .iid = 7, .id = kDiscussion});
  Client api = client();
  const ReportResult result = post_note(api, issue(kDiscussion), "Done.", "run-1");
  ASSERT_TRUE(result.posted) << result.error;
  EXPECT_TRUE(result.in_discussion);
  EXPECT_FALSE(result.updated);
  EXPECT_EQ(result.url, "http://gitlab.example/group/app/-/issues/7#note_" + std::to_string(result.note_id));

  const auto notes = notes_with("<!-- flowrun:run-1 -->");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].discussion_id, kDiscussion);
  EXPECT_EQ(notes[0].noteable_type, "Issue");
  EXPECT_EQ(notes[0].author, "flowrun-bot");
  EXPECT_EQ(notes[0].id, result.note_id);
  EXPECT_EQ(notes[0].body, "Done.\n\n<!-- flowrun:run-1 -->");
  EXPECT_EQ(
      api_requests("POST", "/api/v4/projects/group%2Fapp/issues/7/discussions/" + std::string(kDiscussion) + "/notes")
          .size(),
      1u);
}

TEST_F(GitLabApi, TopLevelNoteOnAnIssueWithTheProjectById) {
  Client api = client();
  Noteable noteable = issue();
  noteable.project = "42";
  const ReportResult result = post_note(api, noteable, "Hello <!-- flowrun:run-2 -->", "run-2");
  ASSERT_TRUE(result.posted) << result.error;
  EXPECT_FALSE(result.in_discussion);
  const auto notes = notes_with("flowrun:run-2");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].body, "Hello <!-- flowrun:run-2 -->");  // the marker is not added twice
  EXPECT_EQ(notes[0].type, "");
  ASSERT_EQ(api_requests("POST", "/api/v4/projects/42/issues/7/notes").size(), 1u);
  const auto post = api_requests("POST", "/notes").front();
  EXPECT_EQ(post.header("PRIVATE-TOKEN"), kPat);
  EXPECT_TRUE(post.header("User-Agent").starts_with("flowrun/")) << post.header("User-Agent");
  EXPECT_EQ(post.header("Content-Type"), "application/json");
}

TEST_F(GitLabApi, NoteOnAMergeRequest) {
  const auto iid =
      gitlab_.add_merge_request({.project_id = kProject, .source_branch = "feature", .target_branch = "main"});
  Client api = client();
  Noteable noteable;
  noteable.kind = Noteable::Kind::merge_request;
  noteable.project = "group/app";
  noteable.iid = iid;
  const ReportResult result = post_note(api, noteable, "On the MR.", "run-3");
  ASSERT_TRUE(result.posted) << result.error;
  const auto notes = notes_with("flowrun:run-3");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].noteable_type, "MergeRequest");
  EXPECT_EQ(notes[0].noteable_iid, iid);
}

TEST_F(GitLabApi, NoteOnAnEpicThroughTheGroupEndpoint) {
  const auto epic = gitlab_.add_epic({.group = "group", .iid = 3, .title = "Q3"});
  Client api = client();
  Noteable noteable;
  noteable.kind = Noteable::Kind::epic;
  noteable.group = "group";
  noteable.iid = 3;  // no id: it is looked up, as GitLab's epic notes API takes the epic's id
  const ReportResult result = post_note(api, noteable, "On the epic.", "run-4");
  ASSERT_TRUE(result.posted) << result.error << "\n" << all_log();
  const auto notes = notes_with("flowrun:run-4");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].noteable_type, "Epic");
  EXPECT_EQ(notes[0].group_id, epic.group_id);
  EXPECT_EQ(api_requests("GET", "/api/v4/groups/group/epics/3").size(), 1u);
}

TEST_F(GitLabApi, SecondReportOfTheSameRunEditsTheFirstNote) {
  Client api = client();
  const ReportResult first = post_note(api, issue(), "Running...", "run-5");
  ASSERT_TRUE(first.posted) << first.error;
  const ReportResult second = post_note(api, issue(), "Finished.", "run-5");
  ASSERT_TRUE(second.posted) << second.error;
  EXPECT_TRUE(second.updated);
  EXPECT_EQ(second.note_id, first.note_id);
  const auto notes = notes_with("flowrun:run-5");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].body, "Finished.\n\n<!-- flowrun:run-5 -->");
  EXPECT_EQ(api_requests("POST", "/notes").size(), 1u);
  EXPECT_EQ(api_requests("PUT", "/notes/" + std::to_string(first.note_id)).size(), 1u);

  // Another run's marker is another note.
  ASSERT_TRUE(post_note(api, issue(), "Other run.", "run-6").posted);
  EXPECT_EQ(notes_with("flowrun:").size(), 2u);
}

TEST_F(GitLabApi, SecondReportInADiscussionEditsTheReply) {
  gitlab_.add_discussion({.noteable = "issue", .project_id = kProject, .iid = 7, .id = kDiscussion});
  Client api = client();
  ASSERT_TRUE(post_note(api, issue(kDiscussion), "one", "run-7").posted);
  const ReportResult second = post_note(api, issue(kDiscussion), "two", "run-7");
  ASSERT_TRUE(second.posted) << second.error;
  EXPECT_TRUE(second.updated);
  EXPECT_TRUE(second.in_discussion);
  const auto notes = notes_with("flowrun:run-7");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].body, "two\n\n<!-- flowrun:run-7 -->");
}

TEST_F(GitLabApi, RateLimitAndServerErrorAreRetriedThenSucceed) {
  gitlab_.add_fault({.method = "POST", .path_regex = "/issues/7/notes$", .status = 429, .retry_after = "1"});
  gitlab_.add_fault({.method = "POST", .path_regex = "/issues/7/notes$", .status = 500});
  Client api = client();
  const auto started = std::chrono::steady_clock::now();
  const ReportResult result = post_note(api, issue(), "Retried.", "run-8");
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(result.posted) << result.error;
  EXPECT_GE(took, milliseconds(1000));  // Retry-After: 1 was honoured
  EXPECT_EQ(api_requests("POST", "/issues/7/notes").size(), 3u);
  EXPECT_EQ(notes_with("flowrun:run-8").size(), 1u);
  EXPECT_NE(all_log().find("retrying"), std::string::npos) << all_log();
}

TEST_F(GitLabApi, RetryAfterAsAnHttpDateIsHonoured) {
  // Three seconds ahead, to the second: libcurl reads it as at least one second from when the answer came.
  const std::time_t when = std::time(nullptr) + 3;
  std::tm utc{};
  ::gmtime_r(&when, &utc);
  char date[64];
  ASSERT_GT(std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &utc), 0u);
  gitlab_.add_fault({.method = "POST", .path_regex = "/issues/7/notes$", .status = 429, .retry_after = date});
  Client api = client();
  const auto started = std::chrono::steady_clock::now();
  const ReportResult result = post_note(api, issue(), "After the date.", "run-date");
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(result.posted) << result.error;
  EXPECT_GE(took, milliseconds(1000));  // the backoff alone is at most 200 ms here
  EXPECT_EQ(api_requests("POST", "/issues/7/notes").size(), 2u);
}

TEST_F(GitLabApi, ALongRetryAfterIsCutToTheMaximum) {
  gitlab_.add_fault({.method = "POST", .path_regex = "/issues/7/notes$", .status = 429, .retry_after = "3600"});
  ClientOptions options = fast_options();
  options.max_retry_after = milliseconds(300);
  Client api = client({pat(kPat)}, options);
  const auto started = std::chrono::steady_clock::now();
  const ReportResult result = post_note(api, issue(), "Soon enough.", "run-cut");
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(result.posted) << result.error;
  EXPECT_GE(took, milliseconds(300));
  EXPECT_LT(took, milliseconds(10000));
}

TEST_F(GitLabApi, DroppedConnectionIsRetried) {
  gitlab_.add_fault({.method = "POST", .path_regex = "/issues/7/notes$", .drop_connection = true});
  Client api = client();
  const ReportResult result = post_note(api, issue(), "After a drop.", "run-9");
  ASSERT_TRUE(result.posted) << result.error;
  EXPECT_EQ(notes_with("flowrun:run-9").size(), 1u);
}

TEST_F(GitLabApi, PostThatTimedOutAfterGoingThroughIsNotRepeated) {
  // GitLab answers the POST after 600 ms, the client gave up at 300 ms and retries no sooner than 1 s later:
  // by then the note exists, and the marker look-up finds it.
  gitlab_.add_fault({.method = "POST", .path_regex = "/issues/7/notes$", .delay_ms = 600});
  ClientOptions options = fast_options();
  options.request_timeout = milliseconds(300);
  options.initial_backoff = milliseconds(2000);
  options.max_backoff = milliseconds(2000);
  Client api = client({pat(kPat)}, options);
  const ReportResult result = post_note(api, issue(), "Exactly once.", "run-10");
  ASSERT_TRUE(result.posted) << result.error;
  EXPECT_EQ(notes_with("flowrun:run-10").size(), 1u);
  EXPECT_EQ(api_requests("POST", "/issues/7/notes").size(), 1u);
  EXPECT_EQ(result.note_id, notes_with("flowrun:run-10").front().id);
}

TEST_F(GitLabApi, PermanentFailureEndsWithinTheBudget) {
  gitlab_.add_fault({.method = "*", .path_regex = "/issues/7/notes", .status = 503, .times = 1000});
  ClientOptions options = fast_options();
  options.budget = milliseconds(1500);
  options.max_attempts = 100;
  Client api = client({pat(kPat)}, options);
  const auto started = std::chrono::steady_clock::now();
  const ReportResult result = post_note(api, issue(), "Never.", "run-11");
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_FALSE(result.posted);
  EXPECT_NE(result.error.find("503"), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("issue #7 of project group/app"), std::string::npos) << result.error;
  EXPECT_LT(took, milliseconds(8000));  // the budget bounds each call; the look-up and the POST are two calls
}

TEST_F(GitLabApi, MaxAttemptsBoundsRetries) {
  gitlab_.add_fault({.method = "GET", .path_regex = "/projects/42$", .status = 502, .times = 1000});
  ClientOptions options = fast_options();
  options.max_attempts = 3;
  Client api = client({pat(kPat)}, options);
  const Response response = api.get("/projects/42");
  EXPECT_FALSE(response.ok());
  EXPECT_EQ(response.status, 502);
  EXPECT_NE(response.error.find("failed 3 time(s)"), std::string::npos) << response.error;
  EXPECT_EQ(api_requests("GET", "/projects/42").size(), 3u);
}

TEST_F(GitLabApi, UnreachableServerGivesAnErrorNotAHang) {
  ClientOptions options = fast_options();
  options.budget = milliseconds(1000);
  Client api("http://127.0.0.1:1/api/v4", {pat(kPat)}, options);
  const Response response = api.get("/user");
  EXPECT_FALSE(response.ok());
  EXPECT_EQ(response.status, 0);
  EXPECT_NE(response.error.find("127.0.0.1:1"), std::string::npos) << response.error;
}

TEST_F(GitLabApi, ExpiredBearerFallsBackToThePatForTheRestOfTheRun) {
  gitlab_.add_token("oauth-expired-token-value", TokenKind::oauth, "flowrun-bot", /*expired=*/true);
  Client api = client({bearer("oauth-expired-token-value"), pat(kPat)});
  ASSERT_TRUE(post_note(api, issue(), "First.", "run-12").posted);
  EXPECT_EQ(api.refused_tokens(), std::vector<std::string>{"AI_FLOW_GITLAB_TOKEN"});
  gitlab_.reset();
  ASSERT_TRUE(post_note(api, issue(), "Second.", "run-13").posted);
  for (const auto& request : gitlab_.requests()) {
    EXPECT_EQ(request.header("Authorization"), "") << request.path;
    EXPECT_EQ(request.header("PRIVATE-TOKEN"), kPat) << request.path;
  }
  EXPECT_NE(all_log().find("GitLab refused AI_FLOW_GITLAB_TOKEN (401)"), std::string::npos) << all_log();
}

TEST_F(GitLabApi, TokensFromTheEnvironmentFallBackInOrder) {
  gitlab_.add_token("oauth-valid-token-value", TokenKind::oauth);
  const Environment env(
      Vars{{"GITLAB_TOKEN", "glpat-revokedtoken000000"}, {"AI_FLOW_GITLAB_TOKEN", "oauth-valid-token-value"}});
  Client api = client(api_tokens_from_environment(env, {}));
  const ReportResult result = post_note(api, issue(), "Via OAuth.", "run-14");
  ASSERT_TRUE(result.posted) << result.error;
  EXPECT_EQ(api.refused_tokens(), std::vector<std::string>{"GITLAB_TOKEN"});
  EXPECT_EQ(api_requests("POST", "/notes").back().header("Authorization"), "Bearer oauth-valid-token-value");
}

TEST_F(GitLabApi, EveryTokenRefusedSaysWhichAndWhatToDoWithoutTheirValues) {
  Client api = client({pat("glpat-wrongtoken0000000001", "GITLAB_TOKEN_CLAUDE"), bearer("oauth-unknown-value")});
  const ReportResult result = post_note(api, issue(), "x", "run-15");
  EXPECT_FALSE(result.posted);
  EXPECT_NE(result.error.find("GitLab refused the token(s) GITLAB_TOKEN_CLAUDE, AI_FLOW_GITLAB_TOKEN (401)"),
            std::string::npos)
      << result.error;
  EXPECT_NE(result.error.find("check the service account's PAT has the api scope and has not expired"),
            std::string::npos)
      << result.error;
  EXPECT_NE(all_log().find("GitLab refused GITLAB_TOKEN_CLAUDE (401)"), std::string::npos) << all_log();
  EXPECT_EQ(result.error.find("glpat-wrongtoken"), std::string::npos);
  EXPECT_EQ(result.error.find("oauth-unknown-value"), std::string::npos);
  EXPECT_EQ(all_log().find("glpat-wrongtoken"), std::string::npos);
  // Both are remembered: the next call is not even sent.
  gitlab_.reset();
  EXPECT_FALSE(api.get("/user").ok());
  EXPECT_TRUE(gitlab_.requests().empty());
}

TEST_F(GitLabApi, RefusedDiscussionFallsBackToATopLevelNote) {
  gitlab_.add_discussion({.noteable = "issue", .project_id = kProject, .iid = 7, .id = kDiscussion});
  gitlab_.add_fault({.method = "*", .path_regex = "/discussions/", .status = 403, .times = 100});
  Client api = client();
  const ReportResult result = post_note(api, issue(kDiscussion), "Top level instead.", "run-16");
  ASSERT_TRUE(result.posted) << result.error;
  EXPECT_FALSE(result.in_discussion);
  const auto notes = notes_with("flowrun:run-16");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].discussion_id, kDiscussion);
  EXPECT_EQ(notes[0].type, "");
  EXPECT_NE(all_log().find("posting a top-level note instead"), std::string::npos) << all_log();
}

TEST_F(GitLabApi, DeletedDiscussionFallsBackToATopLevelNote) {
  Client api = client();
  const ReportResult result = post_note(api, issue("ffffffffffffffffffffffffffffffffffffffff"), "x", "run-17");
  ASSERT_TRUE(result.posted) << result.error;
  EXPECT_FALSE(result.in_discussion);
}

TEST_F(GitLabApi, UnknownIssueIsAClearError) {
  Client api = client();
  Noteable noteable = issue();
  noteable.iid = 999;
  const ReportResult result = post_note(api, noteable, "x", "run-18");
  EXPECT_FALSE(result.posted);
  EXPECT_NE(result.error.find("404"), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("issue #999 of project group/app"), std::string::npos) << result.error;
}

TEST_F(GitLabApi, MergeRequestIsCreatedThenFound) {
  Client api = client();
  const MergeRequestResult created =
      ensure_merge_request(api, "group/app", "workloads/abc", "", "Fix the @all login\n/merge", "Requested in #7.",
                           MergeRequestMode::automatic);
  ASSERT_TRUE(created.ok()) << created.error;
  EXPECT_TRUE(created.created);
  EXPECT_FALSE(created.existing);
  const auto merge_requests = gitlab_.state().merge_requests;
  ASSERT_EQ(merge_requests.size(), 1u);
  EXPECT_EQ(merge_requests[0].source_branch, "workloads/abc");
  EXPECT_EQ(merge_requests[0].target_branch, "main");  // the project's default branch
  EXPECT_EQ(merge_requests[0].title, "Fix the @\u200Dall login /merge");
  EXPECT_EQ(merge_requests[0].description, "Requested in #7.");
  EXPECT_TRUE(merge_requests[0].remove_source_branch);
  EXPECT_EQ(created.url, merge_requests[0].web_url);
  EXPECT_EQ(created.iid, merge_requests[0].iid);

  const MergeRequestResult again =
      ensure_merge_request(api, "group/app", "workloads/abc", "main", "t", "d", MergeRequestMode::always);
  ASSERT_TRUE(again.ok()) << again.error;
  EXPECT_TRUE(again.existing);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.iid, created.iid);
  EXPECT_EQ(gitlab_.state().merge_requests.size(), 1u);
}

TEST_F(GitLabApi, ConflictMeansTheMergeRequestExists) {
  const auto iid =
      gitlab_.add_merge_request({.project_id = kProject, .source_branch = "workloads/def", .target_branch = "main"});
  gitlab_.add_fault({.method = "GET", .path_regex = "/merge_requests$", .status = 404});  // the first look-up misses it
  Client api = client();
  const MergeRequestResult result =
      ensure_merge_request(api, "42", "workloads/def", "main", "t", "d", MergeRequestMode::automatic);
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_TRUE(result.existing);
  EXPECT_EQ(result.iid, iid);
  EXPECT_EQ(api_requests("POST", "/merge_requests").size(), 1u);
  EXPECT_EQ(gitlab_.state().merge_requests.size(), 1u);
}

TEST_F(GitLabApi, NeverModeSendsNothing) {
  Client api = client();
  gitlab_.reset();
  const MergeRequestResult result =
      ensure_merge_request(api, "group/app", "workloads/x", "main", "t", "d", MergeRequestMode::never);
  EXPECT_TRUE(result.ok());
  EXPECT_FALSE(result.created || result.existing);
  EXPECT_TRUE(gitlab_.requests().empty());
}

// ----- the subcommands, through the real binary ---------------------------------------------------------------

class Subcommands : public ::testing::Test {
 protected:
  void SetUp() override {
    gitlab_.add_project(kProject, "group/app");
    gitlab_.add_token(kPat);
  }

  flowrun::testing::ProcessResult flowrun(std::vector<std::string> args,
                                          std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> env = flowrun::testing::base_environment();
    env["GITLAB_TOKEN"] = kPat;
    env["CI_SERVER_URL"] = gitlab_.url();
    for (auto& [name, value] : extra) {
      if (value.empty())
        env.erase(name);
      else
        env[name] = value;
    }
    args.insert(args.begin(), FLOWRUN_BINARY);
    return flowrun::testing::run_process(args, env, dir_.path(), std::chrono::seconds(60));
  }

  nlohmann::json workflow_requests() {
    auto state = nlohmann::json::parse(gitlab_.state().json);
    return state.value("workflows", nlohmann::json::array());
  }

  FakeGitLab gitlab_;
  flowrun::testing::TempDir dir_;
};

TEST_F(Subcommands, StartPrintsIdStatusWorkloadAndLink) {
  const auto result = flowrun({"start", "--goal", "Fix the failing pipeline", "--project", "group/app", "--definition",
                               "developer/v1", "--issue", "7"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("Started flow "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Status:   running"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Workload: "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("/group/app/-/automate/agent-sessions/"), std::string::npos) << result.out;

  const auto workflows = workflow_requests();
  ASSERT_EQ(workflows.size(), 1u) << workflows.dump();
  EXPECT_EQ(workflows[0]["project_id"], kProject);
  EXPECT_EQ(workflows[0]["workflow_definition"], "developer/v1");
  const auto& request = workflows[0]["request"];
  EXPECT_EQ(request["goal"], "Fix the failing pipeline");
  EXPECT_EQ(request["issue_id"], 7);
  EXPECT_EQ(request["start_workflow"], true);
}

TEST_F(Subcommands, StartWithoutStartingAsJson) {
  const auto result =
      flowrun({"start", "--goal", "g", "--project", "42", "--consumer-id", "12", "--no-start", "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto out = nlohmann::json::parse(result.out);
  EXPECT_EQ(out["status"], "created");
  EXPECT_GT(out["id"].get<long long>(), 0);
  EXPECT_NE(out["session_url"].get<std::string>().find("/group/app/-/automate/agent-sessions/"), std::string::npos);
  const auto request = workflow_requests()[0]["request"];
  EXPECT_EQ(request["start_workflow"], false);
  EXPECT_EQ(request["ai_catalog_item_consumer_id"], 12);
  EXPECT_FALSE(request.contains("workflow_definition"));
}

TEST_F(Subcommands, StartUsageErrors) {
  EXPECT_EQ(flowrun({"start", "--project", "group/app"}).exit_code, 2);  // no goal
  EXPECT_EQ(flowrun({"start", "--goal", "g", "--project", "1", "--definition", "d", "--consumer-id", "3"}).exit_code,
            2);
  EXPECT_EQ(flowrun({"start", "--goal", "g", "--project", "1", "--environment", "moon"}).exit_code, 2);
  const auto no_token = flowrun({"start", "--goal", "g", "--project", "1"}, {{"GITLAB_TOKEN", ""}});
  EXPECT_EQ(no_token.exit_code, 2);
  EXPECT_NE(no_token.err.find("no GitLab token"), std::string::npos) << no_token.err;
  const auto no_url = flowrun({"start", "--goal", "g", "--project", "1"}, {{"CI_SERVER_URL", ""}});
  EXPECT_EQ(no_url.exit_code, 2);
  EXPECT_NE(no_url.err.find("no GitLab URL"), std::string::npos) << no_url.err;
  EXPECT_EQ(flowrun({"start", "--goal", "g"}).exit_code, 2);  // no project and none in the environment
}

TEST_F(Subcommands, StartApiFailureIsExitEightWithoutTheToken) {
  const auto unknown_project = flowrun({"start", "--goal", "g", "--project", "nope/nope"});
  EXPECT_EQ(unknown_project.exit_code, 8);
  EXPECT_NE(unknown_project.err.find("404"), std::string::npos) << unknown_project.err;
  const auto refused = flowrun({"start", "--goal", "g", "--project", "group/app"}, {{"GITLAB_TOKEN", kOtherPat}});
  EXPECT_EQ(refused.exit_code, 8);
  EXPECT_NE(refused.err.find("GITLAB_TOKEN (401)"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find(kOtherPat), std::string::npos);
  EXPECT_EQ(refused.out.find(kOtherPat), std::string::npos);
}

TEST_F(Subcommands, PrivilegesTableAndJson) {
  const auto table = flowrun({"privileges", "--gitlab-url", gitlab_.url()}, {{"CI_SERVER_URL", ""}});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(table.out.starts_with("ID  NAME")) << table.out;
  EXPECT_NE(table.out.find("read_write_files"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("yes"), std::string::npos) << table.out;

  const auto json = flowrun({"privileges", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto parsed = nlohmann::json::parse(json.out);
  ASSERT_TRUE(parsed["all_privileges"].is_array());
  EXPECT_FALSE(parsed["all_privileges"].empty());
  EXPECT_TRUE(parsed["all_privileges"][0].contains("default_enabled"));
}

TEST_F(Subcommands, PrivilegesServerDownIsExitEight) {
  gitlab_.add_fault({.method = "GET", .path_regex = "agent_privileges", .status = 400});
  const auto result = flowrun({"privileges", "--gitlab-url", gitlab_.url()});
  EXPECT_EQ(result.exit_code, 8);
  EXPECT_NE(result.err.find("400"), std::string::npos) << result.err;
}

TEST_F(Subcommands, HelpIsTruthful) {
  const auto start = flowrun({"start", "--help"});
  EXPECT_EQ(start.exit_code, 0);
  for (const char* option : {"--goal", "--project", "--definition", "--consumer-id", "--source-branch", "--no-start",
                             "--issue", "--merge-request", "--environment", "--gitlab-url", "--format"}) {
    EXPECT_NE(start.out.find(option), std::string::npos) << option;
  }
  const auto privileges = flowrun({"privileges", "--help"});
  EXPECT_EQ(privileges.exit_code, 0);
  EXPECT_NE(privileges.out.find("--format"), std::string::npos);
}

}  // namespace
}  // namespace flowrun::gitlab
