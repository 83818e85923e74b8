#pragma once
// How long the commands may run: the job's time minus a reserve, so the git and report phases always get to run.
#include <chrono>
#include <optional>
#include <string>

#include "flowrun/core/environment.h"

namespace flowrun::run {

struct TimeBudget {
  std::chrono::seconds total{0};     // the run's whole time
  std::chrono::seconds reserve{0};   // kept back for git and report
  std::chrono::seconds commands{0};  // what the commands get
  std::string source;                // where `total` came from, for the log
};

// First match: --timeout, FLOWRUN_TIMEOUT, the flow's `flowrun.timeout`, CI_JOB_TIMEOUT (less the time the job already
// ran, from CI_JOB_STARTED_AT), 7200 s (GitLab's timeout for flow jobs). The reserve is 5% of the total, at least 30 s
// and at most 300 s, and never more than half the total. `error` is set when a variable holds no number.
TimeBudget compute_time_budget(std::optional<std::chrono::seconds> flag, std::optional<long long> flow_setting,
                               const Environment& env, std::chrono::system_clock::time_point now, std::string& error);

}  // namespace flowrun::run
