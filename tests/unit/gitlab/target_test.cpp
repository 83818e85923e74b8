#include "flowrun/gitlab/target.h"

#include <gtest/gtest.h>

#include <random>

#include "flowrun/core/environment.h"

namespace flowrun::gitlab {
namespace {

using Vars = std::map<std::string, std::string>;

using Kind = Noteable::Kind;

const char* const kIssue = R"({
  "id": 84, "iid": 7, "project_id": 42, "title": "Fix the login page",
  "web_url": "https://gitlab.example.com/group/app/-/issues/7",
  "references": {"short": "#7", "relative": "#7", "full": "group/app#7"},
  "issue_comments": [{"body": "@claude please fix"}]
})";

const char* const kMergeRequest = R"({
  "id": 310, "iid": 12, "project_id": 42, "title": "Draft: new parser",
  "source_branch": "feature/parser", "target_branch": "develop", "sha": "0123abcd",
  "web_url": "https://gitlab.example.com/group/app/-/merge_requests/12",
  "references": {"short": "!12", "full": "group/app!12"},
  "diff": "@@ -1 +1 @@", "mr_comments": []
})";

const char* const kEpic = R"({
  "id": 901, "iid": 3, "group_id": 1001, "title": "Q3 goals",
  "web_url": "https://gitlab.example.com/groups/group/-/epics/3",
  "references": {"short": "&3", "full": "group&3"}
})";

Environment ci_environment() { return Environment(Vars{{"CI_PROJECT_ID", "42"}, {"CI_PROJECT_PATH", "group/app"}}); }

TEST(ParseContext, Issue) {
  const ContextView view = parse_context(kIssue);
  EXPECT_EQ(view.kind, Kind::issue);
  EXPECT_EQ(view.iid, 7);
  EXPECT_EQ(view.id, 84);
  EXPECT_EQ(view.title, "Fix the login page");
  EXPECT_EQ(view.web_url, "https://gitlab.example.com/group/app/-/issues/7");
  EXPECT_EQ(view.reference, "#7");
  EXPECT_EQ(view.full_reference, "group/app#7");
  EXPECT_EQ(view.project_id, "42");
  EXPECT_TRUE(view.target_branch.empty());
  EXPECT_TRUE(view.complete);
}

TEST(ParseContext, MergeRequest) {
  const ContextView view = parse_context(kMergeRequest);
  EXPECT_EQ(view.kind, Kind::merge_request);
  EXPECT_EQ(view.iid, 12);
  EXPECT_EQ(view.reference, "!12");
  EXPECT_EQ(view.source_branch, "feature/parser");
  EXPECT_EQ(view.target_branch, "develop");
}

TEST(ParseContext, Epic) {
  const ContextView view = parse_context(kEpic);
  EXPECT_EQ(view.kind, Kind::epic);
  EXPECT_EQ(view.iid, 3);
  EXPECT_EQ(view.reference, "&3");
  EXPECT_EQ(view.group_id, "1001");
}

TEST(ParseContext, KindFromTheShapeWhenFieldsAreMissing) {
  EXPECT_EQ(parse_context(R"({"iid": 5, "web_url": "https://h/g/p/-/merge_requests/5"})").kind, Kind::merge_request);
  EXPECT_EQ(parse_context(R"({"iid": 5, "web_url": "https://h/g/p/-/issues/5"})").kind, Kind::issue);
  EXPECT_EQ(parse_context(R"({"iid": 5, "web_url": "https://h/groups/g/-/epics/5"})").kind, Kind::epic);
  EXPECT_EQ(parse_context(R"({"iid": 5, "web_url": "https://h/g/p/-/work_items/5"})").kind, Kind::issue);
  EXPECT_EQ(parse_context(R"({"iid": 5, "web_url": "https://h/groups/g/-/work_items/5"})").kind, Kind::epic);
  EXPECT_EQ(parse_context(R"({"iid": 5, "group_id": 9})").kind, Kind::epic);
  EXPECT_EQ(parse_context(R"({"iid": 5, "references": {"short": "!5"}})").kind, Kind::merge_request);
  EXPECT_EQ(parse_context(R"({"iid": "5", "project_id": "42"})").kind, Kind::issue);
  EXPECT_EQ(parse_context(R"({"iid": 5, "project_id": 42})").reference, "#5");
}

TEST(ParseContext, WrappedEntity) {
  const ContextView view =
      parse_context(R"({"merge_request": {"iid": 4, "source_branch": "a", "target_branch": "b"}})");
  EXPECT_EQ(view.kind, Kind::merge_request);
  EXPECT_EQ(view.iid, 4);
}

TEST(ParseContext, NothingUsefulGivesAnEmptyView) {
  for (const char* text : {"", "   ", "null", "[]", "42", "\"text\"", "not json at all", "{", "{\"iid\":", "{}",
                           "{\"iid\": -3}", "{\"iid\": true}", "{\"iid\": 1e400}"}) {
    const ContextView view = parse_context(text);
    EXPECT_FALSE(view.kind) << text;
    EXPECT_EQ(view.iid, 0) << text;
  }
}

TEST(ParseContext, TruncatedContextKeepsTheMembersBeforeTheCut) {
  std::string text = kMergeRequest;
  text = text.substr(0, text.find("\"diff\"") + 20);  // cut inside the diff string
  const ContextView view = parse_context(text);
  EXPECT_FALSE(view.complete);
  EXPECT_EQ(view.kind, Kind::merge_request);
  EXPECT_EQ(view.iid, 12);
  EXPECT_EQ(view.title, "Draft: new parser");
  EXPECT_EQ(view.target_branch, "develop");
}

TEST(ParseContext, TruncatedInsideANumberDoesNotReadAnotherNumber) {
  const ContextView view = parse_context(R"({"title": "t", "iid": 12)");
  EXPECT_EQ(view.iid, 0);
  EXPECT_EQ(view.title, "t");
}

TEST(ParseContext, HugeContext) {
  std::string comments;
  for (int i = 0; i < 3000; ++i) comments += R"({"body": "a comment with \"quotes\" and \\ backslashes"},)";
  const std::string text = R"({"iid": 7, "project_id": 42, "title": "big", "issue_comments": [)" + comments + R"({}]})";
  ASSERT_GT(text.size(), 100000u);
  const ContextView whole = parse_context(text);
  EXPECT_TRUE(whole.complete);
  EXPECT_EQ(whole.iid, 7);
  const ContextView cut = parse_context(text.substr(0, 100000));
  EXPECT_FALSE(cut.complete);
  EXPECT_EQ(cut.iid, 7);
  EXPECT_EQ(cut.title, "big");
}

TEST(ParseContext, DeepNestingDoesNotExhaustTheStack) {
  const std::string deep =
      R"({"iid": 3, "project_id": 1, "x": )" + std::string(200000, '[') + std::string(200000, ']') + "}";
  const ContextView view = parse_context(deep);
  EXPECT_EQ(view.iid, 3);  // read from the members before the deep one
  EXPECT_EQ(parse_context(std::string(500000, '{')).iid, 0);
}

TEST(ParseContext, RandomBytesNeverCrash) {
  std::mt19937 random(12345);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 400);
  const std::string alphabet = "{}[]\":,\\ 0123456789truefalsenul-.eE";
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int size = length(random);
    for (int i = 0; i < size; ++i) {
      text += round % 2 ? static_cast<char>(byte(random))
                        : alphabet[static_cast<std::size_t>(byte(random)) % alphabet.size()];
    }
    if (round % 3 == 0)
      text = std::string(kIssue).substr(0, static_cast<std::size_t>(size) % std::string(kIssue).size()) + text;
    (void)parse_context(text);
    (void)resolve_noteable(text, "mention", ci_environment(), {});
  }
  SUCCEED();
}

TEST(ResolveNoteable, IssueWithItsDiscussion) {
  Environment env = ci_environment();
  env.set("AI_FLOW_DISCUSSION_ID", "0123456789abcdef0123456789abcdef01234567");
  const auto noteable = resolve_noteable(kIssue, "mention", env, {});
  ASSERT_TRUE(noteable);
  EXPECT_EQ(noteable->kind, Kind::issue);
  EXPECT_EQ(noteable->project, "42");
  EXPECT_EQ(noteable->iid, 7);
  EXPECT_EQ(noteable->discussion_id, "0123456789abcdef0123456789abcdef01234567");
  EXPECT_EQ(noteable->title, "Fix the login page");
}

TEST(ResolveNoteable, MergeRequestWithoutDiscussion) {
  const auto noteable = resolve_noteable(kMergeRequest, "assign_reviewer", ci_environment(), {});
  ASSERT_TRUE(noteable);
  EXPECT_EQ(noteable->kind, Kind::merge_request);
  EXPECT_EQ(noteable->iid, 12);
  EXPECT_FALSE(noteable->discussion_id);
}

TEST(ResolveNoteable, EpicUsesItsGroupAndId) {
  const auto noteable = resolve_noteable(kEpic, "mention", Environment(), {});
  ASSERT_TRUE(noteable);
  EXPECT_EQ(noteable->kind, Kind::epic);
  EXPECT_EQ(noteable->group, "1001");
  EXPECT_EQ(noteable->iid, 3);
  EXPECT_EQ(noteable->id, 901);
}

TEST(ResolveNoteable, GroupWorkItemIsAnEpicFoundByPathWithoutTrustingItsId) {
  const auto noteable = resolve_noteable(
      R"({"id": 777, "iid": 4, "web_url": "https://h/groups/top/sub/-/work_items/4", "title": "An epic"})", "work_item",
      Environment(), {});
  ASSERT_TRUE(noteable);
  EXPECT_EQ(noteable->kind, Kind::epic);
  EXPECT_EQ(noteable->group, "top/sub");
  EXPECT_EQ(noteable->id, 0);
}

TEST(ResolveNoteable, ProjectWorkItemIsAnIssue) {
  const auto noteable =
      resolve_noteable(R"({"iid": 9, "web_url": "https://h/g/p/-/work_items/9"})", "work_item", ci_environment(), {});
  ASSERT_TRUE(noteable);
  EXPECT_EQ(noteable->kind, Kind::issue);
  EXPECT_EQ(noteable->project, "42");
}

TEST(ResolveNoteable, ProjectFromTheEnvironmentWhenTheContextHasNone) {
  const Environment env(Vars{{"AI_FLOW_PROJECT_PATH", "group/sub/app"}});
  const auto noteable =
      resolve_noteable(R"({"iid": 2, "web_url": "https://h/group/sub/app/-/issues/2"})", "mention", env, {});
  ASSERT_TRUE(noteable);
  EXPECT_EQ(noteable->project, "group/sub/app");
}

TEST(ResolveNoteable, NoResourceMeansNothingToAnswer) {
  for (const char* context : {"", "null", "garbage", "{\"title\": \"no iid\"}"}) {
    EXPECT_FALSE(resolve_noteable(context, "scheduled", ci_environment(), {})) << context;
    EXPECT_FALSE(resolve_noteable(context, "pipeline_hooks", ci_environment(), {})) << context;
  }
  EXPECT_TRUE(resolve_noteable(kIssue, "mention", Environment(), {}));  // the issue's own project_id is enough
  EXPECT_FALSE(resolve_noteable(R"({"iid": 7})", "mention", Environment(), {}));  // no project anywhere
}

TEST(ResolveNoteable, IidFromTheInputForEventsThatPassIt) {
  Environment env = ci_environment();
  env.set("AI_FLOW_INPUT", "15");
  auto noteable = resolve_noteable("null", "merge_request_ready", env, {});
  ASSERT_TRUE(noteable);
  EXPECT_EQ(noteable->kind, Kind::merge_request);
  EXPECT_EQ(noteable->iid, 15);
  noteable = resolve_noteable("", "work_item", env, {});
  ASSERT_TRUE(noteable);
  EXPECT_EQ(noteable->kind, Kind::issue);
  EXPECT_FALSE(resolve_noteable("", "mention", env, {}));
  env.set("AI_FLOW_INPUT", "please fix 15");
  EXPECT_FALSE(resolve_noteable("", "merge_request", env, {}));
}

TEST(ResolveNoteable, MergeRequestEventSettlesAnAmbiguousContext) {
  const auto noteable = resolve_noteable(R"({"iid": 6, "project_id": 42})", "merge_request", Environment(), {});
  ASSERT_TRUE(noteable);
  EXPECT_EQ(noteable->kind, Kind::merge_request);
}

TEST(ResolveNoteable, OverridesForLocalRuns) {
  Environment env = ci_environment();
  env.set("AI_FLOW_DISCUSSION_ID", "abc");
  NoteableOverride mr;
  mr.merge_request_iid = 30;
  mr.project = "other/project";
  auto noteable = resolve_noteable(kIssue, "mention", env, mr);
  ASSERT_TRUE(noteable);
  EXPECT_EQ(noteable->kind, Kind::merge_request);
  EXPECT_EQ(noteable->iid, 30);
  EXPECT_EQ(noteable->project, "other/project");
  EXPECT_FALSE(noteable->discussion_id);  // the discussion belongs to issue #7

  NoteableOverride same_issue;
  same_issue.issue_iid = 7;
  noteable = resolve_noteable(kIssue, "mention", env, same_issue);
  ASSERT_TRUE(noteable);
  EXPECT_EQ(noteable->project, "42");
  EXPECT_EQ(noteable->discussion_id, "abc");
  EXPECT_EQ(noteable->title, "Fix the login page");

  NoteableOverride no_project;
  no_project.issue_iid = 1;
  EXPECT_FALSE(resolve_noteable("", "", Environment(), no_project));
}

}  // namespace
}  // namespace flowrun::gitlab
