#pragma once
// Process exit codes of every flowrun subcommand. Documented in README.md ("Exit codes"); keep both in step.
namespace flowrun {

enum class ExitCode : int {
  ok = 0,
  failed = 1,               // validate: findings that fail; run: a command failed
  usage = 2,                // bad arguments, unreadable input: flowrun could not do its job
  invalid_flow = 3,         // run: the flow file has errors
  missing_variables = 4,    // run: variables listed in the flow are missing or empty
  timed_out = 5,            // run: the commands ran out of time
  cancelled = 6,            // run: SIGTERM/SIGINT (job cancelled)
  git_failed = 7,           // run: commit or push failed (the work is kept locally and as a patch)
  report_failed = 8,        // run: the note or merge request could not be posted
  agent_stopped_early = 9,  // run: the agent said it stopped before its work was done (its work is still pushed)
  push_refused = 10,        // run: the checks before pushing refused the changes (kept as a local commit and patch)
  internal = 70,            // a bug in flowrun
};

constexpr int to_int(ExitCode code) { return static_cast<int>(code); }

}  // namespace flowrun
