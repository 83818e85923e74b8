#include "flowrun/run/commit_message.h"

#include <gtest/gtest.h>

namespace flowrun::run {
namespace {

TEST(CommitMessage, FillsPlaceholdersAndDropsEmptyTrailers) {
  std::map<std::string, std::string> values{{"flow", "claude"},         {"event", "mention"},
                                            {"task", "fix the typo"},   {"reference", "group/project#7"},
                                            {"pipeline_url", ""},       {"job_url", "https://gitlab.example/j/1"},
                                            {"branch", "workloads/abc"}};
  EXPECT_EQ(render_commit_message(default_commit_message_template, values),
            "claude: fix the typo\n\nChanges made by the claude flow (mention) for group/project#7.\n\n"
            "Job: https://gitlab.example/j/1\n");
}

TEST(CommitMessage, KeepsUnknownPlaceholdersAndEscapedBraces) {
  EXPECT_EQ(render_commit_message("{{literal}} {unknown} {flow}", {{"flow", "x"}}), "{literal} {unknown} x\n");
}

TEST(CoAuthor, JoinsTheClosingTrailersOrStartsItsOwnBlock) {
  EXPECT_EQ(with_co_author("fix: x\n\nBody.\n\nPipeline: http://p\nJob: http://j\n", "Ann <ann@example.com>"),
            "fix: x\n\nBody.\n\nPipeline: http://p\nJob: http://j\nCo-authored-by: Ann <ann@example.com>\n");
  EXPECT_EQ(with_co_author("fix: x\n\nA body: not only trailers\nsecond line", "Ann <ann@example.com>"),
            "fix: x\n\nA body: not only trailers\nsecond line\n\nCo-authored-by: Ann <ann@example.com>\n");
  EXPECT_EQ(with_co_author("Subject: alone", "Ann <ann@example.com>"),
            "Subject: alone\n\nCo-authored-by: Ann <ann@example.com>\n");
  EXPECT_EQ(with_co_author("fix\n", ""), "fix\n") << "nobody to credit";
  const std::string credited = "fix\n\nCo-authored-by: Ann <ann@example.com>\n";
  EXPECT_EQ(with_co_author(credited, "Ann <ann@example.com>"), credited);
}

TEST(TaskSummary, DropsTheMentionAndCutsOnACharacterBoundary) {
  EXPECT_EQ(task_summary("\n  @claude-bot @other please fix the build\nmore details"), "please fix the build");
  EXPECT_EQ(task_summary("@only-a-mention"), "");
  std::string long_task(70, 'a');
  long_task += "ééé";
  std::string summary = task_summary(long_task, 72);
  EXPECT_EQ(summary, std::string(70, 'a') + "é…");
}

}  // namespace
}  // namespace flowrun::run
