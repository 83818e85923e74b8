#include "flowrun/gitlab/note.h"

#include <gtest/gtest.h>

#include "flowrun/core/text.h"

namespace flowrun::gitlab {
namespace {

using Outcome = NoteModel::Outcome;
using std::chrono::milliseconds;

NoteModel base_model(Outcome outcome) {
  NoteModel model;
  model.outcome = outcome;
  model.flow_name = "claude";
  model.duration = milliseconds(192'000);
  model.job_url = "https://gitlab.example.com/group/app/-/jobs/55";
  model.pipeline_url = "https://gitlab.example.com/group/app/-/pipelines/9";
  return model;
}

NoteModel succeeded_model() {
  NoteModel model = base_model(Outcome::succeeded);
  model.branch = "workloads/0123abcdef0";
  model.commit_sha = "89abcdef0123456789abcdef0123456789abcdef";
  model.files = {{"src/login.cpp", "modified", 40, 5}, {"docs/LOGIN.md", "added", 2, 0}};
  model.merge_request_url = "https://gitlab.example.com/group/app/-/merge_requests/12";
  return model;
}

TEST(RenderNote, Succeeded) {
  EXPECT_EQ(render_note(succeeded_model(), "job-55"),
            "\u2705 **Succeeded** in 3 min 12 s \u2014 flow `claude`\n\n"
            "Pushed `89abcdef0123` to branch `workloads/0123abcdef0`: 2 files changed (+42 -5).\n\n"
            "- `src/login.cpp` \u2014 modified, +40 -5\n"
            "- `docs/LOGIN.md` \u2014 added, +2 -0\n\n"
            "Merge request: https://gitlab.example.com/group/app/-/merge_requests/12\n\n"
            "[Job log](https://gitlab.example.com/group/app/-/jobs/55) \u00B7 "
            "[Pipeline](https://gitlab.example.com/group/app/-/pipelines/9)\n\n"
            "<!-- flowrun:job-55 -->");
}

TEST(RenderNote, SucceededWithAnExistingMergeRequestAndManyFiles) {
  NoteModel model = succeeded_model();
  model.merge_request_existing = true;
  model.files.clear();
  for (int i = 0; i < 11; ++i) model.files.push_back({"file" + std::to_string(i) + ".txt", "added", 1, 0});
  const std::string note = render_note(model, "m");
  EXPECT_NE(note.find("Pushed `89abcdef0123` to branch `workloads/0123abcdef0`: 11 files changed (+11 -0).\n\n"
                      "<details><summary>11 files changed (+11 -0)</summary>\n\n- `file0.txt` \u2014 added, +1 -0\n"),
            std::string::npos)
      << note;
  EXPECT_NE(note.find("- `file10.txt` \u2014 added, +1 -0\n\n</details>"), std::string::npos) << note;
  EXPECT_NE(
      note.find("Merge request (already open, now updated): https://gitlab.example.com/group/app/-/merge_requests/12"),
      std::string::npos);
}

TEST(RenderNote, NoChanges) {
  NoteModel model = base_model(Outcome::no_changes);
  model.duration = milliseconds(850);
  model.pipeline_url.clear();
  EXPECT_EQ(render_note(model, "m"),
            "\u2611\uFE0F **Finished without changes** in 850 ms \u2014 flow `claude`\n\n"
            "The agent changed no files, so there was nothing to commit.\n\n"
            "[Job log](https://gitlab.example.com/group/app/-/jobs/55)\n\n"
            "<!-- flowrun:m -->");
}

TEST(RenderNote, CommandFailed) {
  NoteModel model = base_model(Outcome::command_failed);
  model.failing_command = FailingCommand{2, "claude -p \"$AI_FLOW_INPUT\"", 1, std::nullopt};
  model.output_tail = {"Error: model overloaded", "exit status 1"};
  EXPECT_EQ(render_note(model, "m"),
            "\u274C **A command failed** after 3 min 12 s \u2014 flow `claude`\n\n"
            "Command 2, `claude -p \"$AI_FLOW_INPUT\"`, exited with code 1.\n\n"
            "<details><summary>Last 2 lines of output</summary>\n\n"
            "```text\nError: model overloaded\nexit status 1\n```\n\n"
            "</details>\n\n"
            "[Job log](https://gitlab.example.com/group/app/-/jobs/55) \u00B7 "
            "[Pipeline](https://gitlab.example.com/group/app/-/pipelines/9)\n\n"
            "<!-- flowrun:m -->");
}

TEST(RenderNote, CommandKilledBySignal) {
  NoteModel model = base_model(Outcome::command_failed);
  model.failing_command = FailingCommand{1, "npm test", std::nullopt, 9};
  EXPECT_NE(render_note(model, "m").find("Command 1, `npm test`, was stopped by signal 9 (SIGKILL)."),
            std::string::npos);
}

TEST(RenderNote, TimedOut) {
  NoteModel model = base_model(Outcome::timed_out);
  model.duration = milliseconds(7'200'000);
  model.failing_command = FailingCommand{3, "opencode run", std::nullopt, 15};
  model.output_tail = {"thinking..."};
  EXPECT_EQ(render_note(model, "m"),
            "\u23F1\uFE0F **Timed out** after 2 h 0 min \u2014 flow `claude`\n\n"
            "Command 3, `opencode run`, was still running when the time ran out.\n\n"
            "<details><summary>Last 1 line of output</summary>\n\n"
            "```text\nthinking...\n```\n\n"
            "</details>\n\n"
            "[Job log](https://gitlab.example.com/group/app/-/jobs/55) \u00B7 "
            "[Pipeline](https://gitlab.example.com/group/app/-/pipelines/9)\n\n"
            "<!-- flowrun:m -->");
}

TEST(RenderNote, CancelledKeepsWhatWasPushed) {
  NoteModel model = base_model(Outcome::cancelled);
  model.failing_command = FailingCommand{1, "claude", std::nullopt, 15};
  model.branch = "workloads/abc";
  model.commit_sha = "0123456789abcdef";
  model.files = {{"a.txt", "modified", 1, 1}};
  EXPECT_EQ(render_note(model, "m"),
            "\U0001F6AB **Cancelled** after 3 min 12 s \u2014 flow `claude`\n\n"
            "Command 1, `claude`, was running when the job was cancelled.\n\n"
            "Pushed `0123456789ab` to branch `workloads/abc`: 1 file changed (+1 -1).\n\n"
            "- `a.txt` \u2014 modified, +1 -1\n\n"
            "[Job log](https://gitlab.example.com/group/app/-/jobs/55) \u00B7 "
            "[Pipeline](https://gitlab.example.com/group/app/-/pipelines/9)\n\n"
            "<!-- flowrun:m -->");
}

TEST(RenderNote, InvalidFlow) {
  NoteModel model = base_model(Outcome::invalid_flow);
  model.duration = milliseconds(40);
  model.job_url.clear();
  model.pipeline_url.clear();
  model.notes = {".gitlab/duo/flows/claude.yaml:3:1: unknown key 'command' (did you mean 'commands'?)"};
  EXPECT_EQ(render_note(model, "m"),
            "\u26A0\uFE0F **The flow file is not valid** after 40 ms \u2014 flow `claude`\n\n"
            "Nothing ran. Run `flowrun validate` on the flow file to see the same findings locally.\n\n"
            "- .gitlab/duo/flows/claude.yaml:3:1: unknown key 'command' (did you mean 'commands'?)\n\n"
            "<!-- flowrun:m -->");
}

TEST(RenderNote, MissingVariables) {
  NoteModel model = base_model(Outcome::missing_variables);
  model.duration = milliseconds(12);
  model.job_url.clear();
  model.pipeline_url.clear();
  model.missing_variables = {"ANTHROPIC_API_KEY", "GITLAB_TOKEN_CLAUDE"};
  EXPECT_EQ(render_note(model, "m"),
            "\u26A0\uFE0F **Variables are missing** after 12 ms \u2014 flow `claude`\n\n"
            "These variables are listed in the flow but missing or empty, so nothing ran: `ANTHROPIC_API_KEY`, "
            "`GITLAB_TOKEN_CLAUDE`.\nSet them in the project's Settings > CI/CD > Variables; a protected variable only "
            "reaches protected branches and tags.\n\n"
            "<!-- flowrun:m -->");
}

TEST(RenderNote, GitFailed) {
  NoteModel model = base_model(Outcome::git_failed);
  model.duration = milliseconds(65'000);
  model.branch = "workloads/abc";
  model.files = {{"a.txt", "modified", 3, 1}};
  model.push_error = "push to workloads/abc was rejected: pre-receive hook declined";
  model.patch_artifact = ".flowrun/changes.patch";
  model.job_url.clear();
  model.pipeline_url.clear();
  EXPECT_EQ(render_note(model, "m"),
            "\u274C **The changes could not be pushed** after 1 min 5 s \u2014 flow `claude`\n\n"
            "The commands succeeded, but Git failed:\n\n"
            "```text\npush to workloads/abc was rejected: pre-receive hook declined\n```\n\n"
            "Changed, not pushed: 1 file changed (+3 -1).\n\n"
            "- `a.txt` \u2014 modified, +3 -1\n\n"
            "The changes were not pushed; they are kept as the patch `.flowrun/changes.patch` in the job's `.flowrun` "
            "folder (add it to the job's artifacts to download it).\n\n"
            "<!-- flowrun:m -->");
}

TEST(RenderNote, ASmallPatchTravelsInTheNoteByteExact) {
  NoteModel model = base_model(Outcome::git_failed);
  model.files = {{"a.txt", "modified", 1, 1}};
  model.patch_artifact = "flowrun-changes.patch";
  model.patch_text = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old @all\n+new\n";
  const std::string note = render_note(model, "m");
  // Verbatim inside its fence: `git apply` needs the hunk headers and lines exactly as they are.
  EXPECT_NE(note.find("```diff\n" + model.patch_text + "```\n"), std::string::npos) << note;
}

// The note as GitLab's quick-action and mention parsers see it: fenced code blocks and code spans removed
// (CommonMark: a fence closes at a line of at least as many backticks; a span at the next run of exactly as many).
std::string without_code(std::string_view note) {
  std::string out;
  std::size_t fence = 0;
  for (std::string_view line : text::split_lines(note)) {
    const std::size_t ticks = std::min(line.find_first_not_of('`'), line.size());
    if (fence > 0) {
      if (ticks >= fence && line.find_first_not_of('`') == std::string_view::npos) fence = 0;
      continue;
    }
    if (ticks >= 3) {
      fence = ticks;
      continue;
    }
    std::size_t i = 0;
    while (i < line.size()) {
      if (line[i] != '`') {
        out += line[i++];
        continue;
      }
      const std::size_t run = std::min(line.find_first_not_of('`', i), line.size()) - i;
      std::size_t close = i + run;
      bool closed = false;
      while ((close = line.find(std::string(run, '`'), close)) != std::string_view::npos) {
        const std::size_t after = close + run;
        if ((after >= line.size() || line[after] != '`') && line[close - 1] != '`') {
          closed = true;
          break;
        }
        close = std::min(line.find_first_not_of('`', close), line.size());
      }
      if (!closed) {
        out += std::string(line.substr(i, run));
        i += run;
        continue;
      }
      out += "CODE";
      i = close + run;
    }
    out += '\n';
  }
  EXPECT_EQ(fence, 0u) << "a code block is left open";
  return out;
}

// Agent-controlled text in every field a note shows: nothing of it may act.
TEST(RenderNote, AgentOutputCannotActOrBreakOut) {
  NoteModel model = base_model(Outcome::command_failed);
  model.flow_name = "x` @all";
  model.failing_command = FailingCommand{1, "echo '/merge' `@all`", 1, std::nullopt};
  model.output_tail = {"/merge", "@all please look",   "```", "</details>", "<details open><summary>fake</summary>",
                       "-->",    "<!-- flowrun:m -->", "````"};
  model.files = {{"/approve\n@here <b>.txt", "added", 1, 0}};
  model.branch = "@all/branch";
  model.commit_sha = "abc";
  model.notes = {"/close\n@group hello </details> -->", "  /unassign", "```\n/merge"};
  model.merge_request_url = "javascript:alert(1)";
  const std::string note = render_note(model, "m");
  const std::string prose = without_code(note);

  for (std::string_view line : text::split_lines(prose)) {
    EXPECT_FALSE(line.starts_with("/")) << "quick action: " << line << "\nin:\n" << prose;
  }
  for (std::size_t at = prose.find('@'); at != std::string::npos; at = prose.find('@', at + 1)) {
    EXPECT_TRUE(std::string_view(prose).substr(at + 1).starts_with("\u200D")) << "mention at " << at << " in:\n"
                                                                              << prose;
  }
  // Only our own HTML: one <details> pair with its <summary>, and the marker comment that ends the note.
  EXPECT_EQ(prose.find("<details open"), std::string::npos) << prose;
  EXPECT_EQ(prose.find("fake"), std::string::npos) << prose;
  EXPECT_EQ(prose.find("javascript:"), std::string::npos) << prose;
  std::size_t opened = 0, closed = 0, tags = 0;
  for (std::size_t at = prose.find("<details>"); at != std::string::npos; at = prose.find("<details>", at + 1))
    ++opened;
  for (std::size_t at = prose.find("</details>"); at != std::string::npos; at = prose.find("</details>", at + 1))
    ++closed;
  for (std::size_t at = prose.find('<'); at != std::string::npos; at = prose.find('<', at + 1)) ++tags;
  EXPECT_EQ(opened, 1u) << prose;
  EXPECT_EQ(closed, 1u) << prose;
  EXPECT_EQ(tags, 5u) << prose;  // <details>, <summary>, </summary>, </details>, <!--
  EXPECT_EQ(prose.find("-->"), prose.rfind("-->"));
  EXPECT_TRUE(note.ends_with("\n\n<!-- flowrun:m -->"));
  // The output is all there, inside a fence longer than any backtick run in it; since GitLab's quick-action
  // extractor ends a code block at a line of three backticks, the lines are defused inside the fence too.
  EXPECT_NE(note.find("`````text\n\u200b/merge\n@\u200dall please look\n```\n</details>\n"), std::string::npos) << note;
}

TEST(MarkerComment, CannotCloseTheComment) {
  EXPECT_EQ(marker_comment("job-55"), "<!-- flowrun:job-55 -->");
  EXPECT_EQ(marker_comment("a-->b <c>"), "<!-- flowrun:a-__b__c_ -->");
  const std::string hostile = marker_comment("x --> <script>");
  EXPECT_EQ(hostile.find("-->"), hostile.size() - 3);
  EXPECT_EQ(hostile.find('<', 1), std::string::npos);
}

TEST(NoteBudget, AHugeFileListIsCutAndTheNoteStaysUnderGitLabsLimit) {
  NoteModel model;
  model.outcome = NoteModel::Outcome::succeeded;
  model.branch = "workloads/abc";
  model.commit_sha = "0123456789abcdef0123456789abcdef01234567";
  for (int i = 0; i < 50'000; ++i) {
    model.files.push_back({"node_modules/some-package/lib/file-" + std::to_string(i) + ".js", "added", 10, 0});
  }
  for (int i = 0; i < 20'000; ++i) model.patch_text += "+" + std::string(99, 'x') + "\n";
  // Larger than the budget: the patch is dropped, not cut mid-way.
  const std::string note = render_note(model, "job:1");
  EXPECT_LT(note.size(), 1'000'000u);
  EXPECT_NE(note.find("file-199.js"), std::string::npos);
  EXPECT_EQ(note.find("file-200.js"), std::string::npos);
  EXPECT_NE(note.find("and 49800 more"), std::string::npos);
  EXPECT_EQ(note.find("xxxxxxxxxx"), std::string::npos);
}

TEST(NoteFiles, NamesThatHideOrReorderTextAreShownEscaped) {
  NoteModel model;
  model.branch = "workloads/abc";
  model.commit_sha = "0123456789abcdef0123456789abcdef01234567";
  model.files.push_back({"invoice-\u202Efdp.exe", "added", 0, 0});
  model.files.push_back({std::string("bell\x07name"), "added", 0, 0});
  const std::string note = render_note(model, "job:1");
  EXPECT_EQ(note.find("\u202E"), std::string::npos);
  EXPECT_NE(note.find("invoice-\\u202Efdp.exe"), std::string::npos) << note;
  EXPECT_NE(note.find("bell\\x07name"), std::string::npos) << note;
}

TEST(FormatDuration, HumanUnits) {
  EXPECT_EQ(format_duration(milliseconds(0)), "0 ms");
  EXPECT_EQ(format_duration(milliseconds(999)), "999 ms");
  EXPECT_EQ(format_duration(milliseconds(1000)), "1 s");
  EXPECT_EQ(format_duration(milliseconds(59'999)), "59 s");
  EXPECT_EQ(format_duration(milliseconds(60'000)), "1 min 0 s");
  EXPECT_EQ(format_duration(milliseconds(3'599'000)), "59 min 59 s");
  EXPECT_EQ(format_duration(milliseconds(3'660'000)), "1 h 1 min");
  EXPECT_EQ(format_duration(milliseconds(-5)), "0 ms");
}

}  // namespace
}  // namespace flowrun::gitlab
