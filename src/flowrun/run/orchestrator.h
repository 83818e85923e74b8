#pragma once
// `flowrun run`: preflight, commands, git, report — every phase after the commands runs even when they failed, timed
// out or were cancelled, so the person who asked always gets an answer and no work is lost.
#include "flowrun/core/environment.h"
#include "flowrun/run/settings.h"

namespace flowrun::run {

// Runs the flow and returns the process exit code (flowrun::ExitCode).
int run_flow(const RunSettings& settings, const Environment& process_environment);

}  // namespace flowrun::run
