#include <gtest/gtest.h>

#include "flowrun/gitlab/merge_request.h"

namespace flowrun::gitlab {
namespace {

ContextView issue_seven() {
  ContextView view;
  view.kind = Noteable::Kind::issue;
  view.iid = 7;
  view.title = "Login page crashes";
  view.reference = "#7";
  view.full_reference = "group/app#7";
  return view;
}

TEST(MergeRequestText, TitleFromTheTaskWithoutTheAgentMention) {
  const auto text = merge_request_text(issue_seven(), "@claude, please fix the crash\nmore details", "claude",
                                       "https://gitlab.example.com/group/app/-/jobs/5", false);
  EXPECT_EQ(text.title, "please fix the crash");
  EXPECT_EQ(
      text.description,
      "Requested in group/app#7, made by flow `claude`.\n\n[Job log](https://gitlab.example.com/group/app/-/jobs/5)");
}

TEST(MergeRequestText, TitleFromTheIssueWhenTheInputIsAnIid) {
  EXPECT_EQ(merge_request_text(issue_seven(), "7", "claude", "", false).title, "Login page crashes");
  EXPECT_EQ(merge_request_text(issue_seven(), "", "claude", "", false).title, "Login page crashes");
  EXPECT_EQ(merge_request_text(issue_seven(), "@claude", "claude", "", false).title, "Login page crashes");
}

TEST(MergeRequestText, FallbackTitleAndDescription) {
  const auto text = merge_request_text(ContextView{}, "", "codex", "", false);
  EXPECT_EQ(text.title, "Changes from flow codex");
  EXPECT_EQ(text.description, "Changes made by flow `codex`.");
}

TEST(MergeRequestText, TitleIsNeutralizedAndBounded) {
  const auto text = merge_request_text(ContextView{}, "/merge @all " + std::string(400, 'x'), "f", "", false);
  EXPECT_TRUE(text.title.starts_with("\u200B/merge @\u200Dall"));
  EXPECT_LE(text.title.size(), 255u);
}

TEST(MergeRequestText, ClosesTheIssueOnlyWhenAsked) {
  EXPECT_EQ(merge_request_text(issue_seven(), "x", "f", "", false).description.find("Closes"), std::string::npos);
  EXPECT_TRUE(merge_request_text(issue_seven(), "x", "f", "", true).description.ends_with("\n\nCloses group/app#7"));
  ContextView merge_request = issue_seven();
  merge_request.kind = Noteable::Kind::merge_request;
  merge_request.full_reference = "group/app!3";
  EXPECT_EQ(merge_request_text(merge_request, "x", "f", "", true).description.find("Closes"), std::string::npos);
}

TEST(MergeRequestText, StrangeReferencesAndUrlsAreLeftOut) {
  ContextView view = issue_seven();
  view.full_reference = "#7 /merge";
  const auto text = merge_request_text(view, "x", "f", "javascript:alert(1)", true);
  EXPECT_EQ(text.description, "Changes made by flow `f`.");
}

}  // namespace
}  // namespace flowrun::gitlab
