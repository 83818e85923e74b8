#pragma once
// What one `flowrun run` did, as plain data: written as JSON (--report) and JUnit XML (--junit), and the source of the
// note. Every string in it is masked when it is written out, not here.
#include <optional>
#include <string>
#include <vector>

#include "flowrun/agent/agent_result.h"
#include "flowrun/exec/shell_session.h"
#include "flowrun/git/git.h"

namespace flowrun::run {

// How a run ended; each has one exit code (core/exit_codes.h) and one name in the JSON report.
enum class RunOutcome {
  succeeded,
  no_changes,
  command_failed,
  timed_out,
  cancelled,
  invalid_arguments,
  invalid_flow,
  invalid_settings,
  missing_variables,
  git_failed,
  push_refused,
  report_failed,
  stopped_early,
  internal_error,
  dry_run,
};

// The names written in the JSON and JUnit reports. Each is a switch over every value, so a value added to an enum
// without a name is a compiler warning (an error with FLOWRUN_WERROR), never a silent default.
std::string_view outcome_name(RunOutcome outcome);
std::string_view state_name(exec::CommandState state);

// What the git phase did: nothing when it did not run. Named in the report by git::to_string.
using GitOutcome = std::optional<git::Outcome>;

inline bool was_pushed(const GitOutcome& outcome) {
  return outcome == git::Outcome::pushed || outcome == git::Outcome::pushed_to_new_branch;
}
inline bool git_failed(const GitOutcome& outcome) {
  return outcome == git::Outcome::push_failed || outcome == git::Outcome::failed;
}

struct CommandReport {
  std::size_t index = 0;  // 0-based
  std::string first_line;
  exec::CommandState state = exec::CommandState::not_run;
  int exit_code = 0;  // -1 when killed by a signal
  int signal = 0;
  double duration_seconds = 0;
};

struct ChangedFileReport {
  std::string path;
  std::string old_path;
  std::string status;  // added | modified | deleted | renamed | typechange
  bool binary = false;
  int additions = 0;
  int deletions = 0;
};

// A change the checks before pushing refused (git/push_checks.h).
struct RefusalReport {
  std::string kind;  // secret | protected_path | too_large | link_outside | path_not_utf8
  std::string path;
  int line = 0;
  std::string description;
};

struct GitReport {
  bool attempted = false;
  GitOutcome outcome;
  std::string base_commit;
  std::string commit;
  std::string branch;
  std::string remote;  // without credentials
  std::vector<ChangedFileReport> files;
  std::vector<std::string> excluded;
  std::vector<std::string> submodules_changed;
  std::vector<RefusalReport> refusals;  // why nothing was pushed, when the checks refused it
  bool followed_up = false;             // pushed onto the source branch of the merge request that asked
  std::string follow_up_fallback;       // started from a merge request, but pushed to a workload branch: why
  std::string patch_file;
  std::string error;
  int push_attempts = 0;
};

struct ApiReport {
  bool attempted = false;
  std::string target;  // e.g. "issue group/project#7 (discussion 1a2b…)"
  bool posted = false;
  std::string note_url;
  std::string note_file;  // --note-file
  std::string merge_request_url;
  bool merge_request_existing = false;
  std::string error;
};

struct RunReport {
  std::string flow_name;
  std::string flow_path;
  bool dry_run = false;
  RunOutcome outcome = RunOutcome::succeeded;
  int exit_code = 0;
  std::string started_at;  // ISO 8601 UTC
  double duration_seconds = 0;
  std::string event;
  std::vector<std::string> missing_variables;
  std::vector<std::string> diagnostics;  // formatted validate findings that stopped the run
  std::vector<CommandReport> commands;
  std::optional<std::size_t> failed_command;  // the failed command, or the one stopped by a timeout or cancel
  // The last command seen starting: bash's exit status is attributed to it, even when it came from elsewhere
  // (a command's EXIT trap, `exit` in a function, a here-doc that ran across commands).
  std::optional<std::size_t> last_command_seen;
  int shell_exit_code = 0;  // bash's exit code, as GitLab Runner would report the job's (-1: killed by a signal)
  bool shell_exited_early = false;
  // flowrun's own failures, one per phase that hit one ("git: ..."); the run went on past each.
  std::vector<std::string> internal_errors;
  std::vector<std::string> output_tail;  // last lines of the commands' output, masked
  GitReport git;
  ApiReport api;
  std::optional<agent::AgentResult> agent;  // what the agent said about its run, when its commands left an answer
  std::vector<std::string> warnings;
};

std::string to_json(const RunReport& report);
std::string to_junit(const RunReport& report);

}  // namespace flowrun::run
