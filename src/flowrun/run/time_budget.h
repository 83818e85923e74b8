#pragma once
// How long the commands may run: the job's time minus a reserve, so the git and report phases always get to run.
#include <chrono>
#include <optional>
#include <string>

namespace flowrun::run {

struct TimeBudget {
  std::chrono::seconds total{0};     // the run's whole time
  std::chrono::seconds reserve{0};   // kept back for git and report
  std::chrono::seconds commands{0};  // what the commands get
  std::string source;                // where `total` came from, for the log
};

// The run's time is the plan's `timeout` (see setting_table.h). When it is the job's own (CI_JOB_TIMEOUT or the
// default), the time the job already ran before flowrun started counts against it: `job_started_at` is GitLab's
// CI_JOB_STARTED_AT (RFC 3339 UTC). The reserve is 5% of the total, at least 30 s and at most 300 s, and never more
// than half the total.
TimeBudget compute_time_budget(std::chrono::seconds total, std::string source,
                               std::optional<std::string> job_started_at, std::chrono::system_clock::time_point now);

}  // namespace flowrun::run
