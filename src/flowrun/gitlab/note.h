#pragma once
// What flowrun tells the person who asked, as a GitLab note: read in a second, details folded away.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/gitlab/markdown.h"

namespace flowrun::gitlab {

struct ChangedFile {
  std::string path;
  std::string status;  // "added", "modified", "deleted", "renamed", ...
  long additions = 0;
  long deletions = 0;
};

struct FailingCommand {
  int index = 0;                 // 1-based position in the flow's commands
  std::string first_line;        // the command's first line, as written in the flow
  std::optional<int> exit_code;  // when it exited
  std::optional<int> signal;     // when a signal ended it
};

// Everything the note may say, as plain data filled by the orchestrator. Text from the agent, its commands or the
// context may be placed here as is: render_note neutralizes it. Output lines must already be masked.
struct NoteModel {
  enum class Outcome {
    succeeded,          // commands passed; changes (if any) pushed
    no_changes,         // commands passed; nothing to commit
    command_failed,     // a command exited non-zero
    timed_out,          // the commands ran out of time
    cancelled,          // the job was cancelled
    invalid_flow,       // the flow file has errors; nothing ran
    missing_variables,  // variables listed in the flow are missing; nothing ran
    git_failed,         // commands passed but the commit or push failed
    internal_error,     // flowrun itself failed in a phase (the later phases still ran)
    stopped_early,      // commands passed but the agent said it stopped before its work was done
    push_refused,       // the checks before pushing refused the changes: kept, not pushed
  };
  Outcome outcome = Outcome::succeeded;
  std::string flow_name;
  std::chrono::milliseconds duration{0};
  std::string branch;  // where the changes were pushed
  std::string commit_sha;
  std::vector<ChangedFile> files;
  std::string merge_request_url;
  bool merge_request_existing = false;  // the merge request was already open before this run
  std::optional<FailingCommand> failing_command;
  std::vector<std::string> output_tail;  // last lines of output, already masked
  std::string job_url;
  std::string pipeline_url;
  std::string push_error;      // why the commit or push failed
  std::string patch_artifact;  // name of the patch file kept with the job's files
  std::string patch_text;      // the patch itself, when small enough to carry in the note (masked)
  std::vector<std::string> missing_variables;
  std::vector<std::string> refusals;  // what the checks before pushing refused, one line each (masked)
  std::vector<std::string> notes;     // further lines: validation findings, warnings
  std::string agent_message;          // the agent's final message (masked): first, neutralised and cut
  std::string agent_usage;            // "model · 3 turns · 1,234 in / 56 out tokens · $0.01 · 42 s"
  std::string stopped_early;          // why the agent stopped before its work was done (masked)
};

// The marker comment that ends every note of a run, "<!-- flowrun:<marker> -->", by which a later attempt finds the
// note to edit. Characters other than [A-Za-z0-9._:/-] in `marker` become '_' (so it cannot close the comment).
std::string marker_comment(std::string_view marker);

// The note's Markdown. First line: emoji, outcome and duration. Success: the branch, the changed files with +/- counts
// (folded in <details> above 10 files) and the merge request. Failure: the failing command, its exit code or signal
// and the last lines of output folded in <details>. Then links to the job and pipeline, and the marker comment last.
std::string render_note(const NoteModel& model, std::string_view marker);

// "850 ms", "42 s", "3 min 12 s", "2 h 5 min".
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace flowrun::gitlab
