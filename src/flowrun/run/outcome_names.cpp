// The report's names for outcomes and command states. No `default:` in these switches: a new enumerator without a name
// must not compile cleanly.
#include "flowrun/run/run_report.h"

namespace flowrun::run {

std::string_view outcome_name(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::succeeded:
      return "succeeded";
    case RunOutcome::no_changes:
      return "no_changes";
    case RunOutcome::command_failed:
      return "command_failed";
    case RunOutcome::timed_out:
      return "timed_out";
    case RunOutcome::cancelled:
      return "cancelled";
    case RunOutcome::invalid_arguments:
      return "invalid_arguments";
    case RunOutcome::invalid_flow:
      return "invalid_flow";
    case RunOutcome::invalid_settings:
      return "invalid_settings";
    case RunOutcome::missing_variables:
      return "missing_variables";
    case RunOutcome::git_failed:
      return "git_failed";
    case RunOutcome::push_refused:
      return "push_refused";
    case RunOutcome::report_failed:
      return "report_failed";
    case RunOutcome::stopped_early:
      return "stopped_early";
    case RunOutcome::internal_error:
      return "internal_error";
    case RunOutcome::dry_run:
      return "dry_run";
  }
  return "internal_error";  // not reached: the value was not one of the enumerators
}

std::string_view state_name(exec::CommandState state) {
  switch (state) {
    case exec::CommandState::not_run:
      return "not_run";
    case exec::CommandState::succeeded:
      return "succeeded";
    case exec::CommandState::failed:
      return "failed";
    case exec::CommandState::failed_ignored:
      return "failed_ignored";
    case exec::CommandState::interrupted:
      return "interrupted";
  }
  return "not_run";
}

}  // namespace flowrun::run
