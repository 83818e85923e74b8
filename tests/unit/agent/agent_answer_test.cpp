// The agent's words in GitLab: inert, cut with a pointer to the log, and the merge request's title and description.
#include "flowrun/gitlab/agent_answer.h"

#include <gtest/gtest.h>

#include "flowrun/gitlab/note.h"

namespace flowrun::gitlab {
namespace {

TEST(AgentAnswer, TheMessageIsInertAndCutWithALinkToTheLog) {
  std::string message = "/merge\n@all done\n" + std::string(9000, 'x');
  std::string markdown = agent_message_markdown(message, "https://gitlab.example.com/g/p/-/jobs/1", 6000);
  EXPECT_EQ(markdown.find("\n/merge"), std::string::npos);
  EXPECT_NE(markdown.rfind("\\/merge", 0), std::string::npos) << markdown.substr(0, 40);
  EXPECT_EQ(markdown.find("@all"), std::string::npos);
  EXPECT_LT(markdown.size(), 6300u);
  EXPECT_NE(markdown.find("[job log](https://gitlab.example.com/g/p/-/jobs/1)"), std::string::npos);
  EXPECT_EQ(agent_message_markdown("short", "https://x.example/1", 6000), "short");
}

TEST(AgentAnswer, TheMergeRequestTakesTheSummary) {
  MergeRequestText fallback{"please fix", "Requested in g/p#7, made by flow `claude`.\n\nCloses g/p#7"};
  auto text = merge_request_text_from_answer(fallback, "## Summary\n\nFixed the typo in the README heading.\n",
                                             "jane.doe", "https://gitlab.example.com/", "");
  EXPECT_EQ(text.title, "Fixed the typo in the README heading.");
  EXPECT_NE(text.description.find("Closes g/p#7"), std::string::npos);
  EXPECT_NE(text.description.find("Requested by [jane.doe](https://gitlab.example.com/jane.doe)."), std::string::npos)
      << text.description;
  EXPECT_NE(text.description.find("Fixed the typo"), std::string::npos);
  auto partial = merge_request_text_from_answer(fallback, "Fixed half of it.", "", "", "", "it reached its turn limit");
  EXPECT_EQ(partial.description.rfind("\u26A0\uFE0F The agent stopped early: it reached its turn limit. Review", 0), 0u)
      << partial.description;
  // No summary, no odd requester: the fallback stands.
  auto plain = merge_request_text_from_answer(fallback, "", "x](javascript:1)", "https://gitlab.example.com", "");
  EXPECT_EQ(plain.title, "please fix");
  EXPECT_EQ(plain.description, fallback.description);
}

}  // namespace
}  // namespace flowrun::gitlab

namespace flowrun::gitlab {
namespace {

TEST(AgentAnswerInTheNote, TheAnswerComesFirstThenUsageThenTheChanges) {
  NoteModel model;
  model.outcome = NoteModel::Outcome::succeeded;
  model.branch = "workloads/abc";
  model.commit_sha = "0123456789abcdef";
  model.files = {{"hello.txt", "added", 1, 0}};
  model.agent_message = "I created the file.\n/approve";
  model.agent_usage = "claude-sonnet \u00B7 2 turns";
  std::string note = render_note(model, "job:1");
  const auto answer = note.find("I created the file.");
  const auto usage = note.find("Usage: claude-sonnet");
  const auto changes = note.find("hello.txt");
  ASSERT_NE(answer, std::string::npos) << note;
  EXPECT_LT(answer, usage);
  EXPECT_LT(usage, changes);
  EXPECT_EQ(note.find("\n/approve"), std::string::npos) << note;
}

TEST(AgentAnswerInTheNote, StoppedEarlySaysWhyInTheHeadline) {
  NoteModel model;
  model.outcome = NoteModel::Outcome::stopped_early;
  model.stopped_early = "it reached its turn limit (30 turns)";
  std::string note = render_note(model, "job:1");
  EXPECT_EQ(note.rfind("\u26A0\uFE0F **Stopped early**: it reached its turn limit (30 turns) \u2014 after ", 0), 0u)
      << note;
  // When the commands failed, the agent's own error still shows.
  model.outcome = NoteModel::Outcome::command_failed;
  model.stopped_early = "the model API refused the credentials (HTTP 401): check the API key";
  note = render_note(model, "job:1");
  EXPECT_NE(note.find("The agent reported: the model API refused the credentials (HTTP 401)"), std::string::npos)
      << note;
}

}  // namespace
}  // namespace flowrun::gitlab
