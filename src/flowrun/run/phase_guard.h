#pragma once
// flowrun's own failure in one phase of a run (an exception, an internal inconsistency) must cost neither the agent's
// work nor the answer in the thread: it is caught at the phase's boundary, recorded, said in the log, and the phases
// after it run as usual. The run's outcome then says "internal error" (see orchestrator.cpp).
#include <functional>
#include <string>
#include <vector>

namespace flowrun::run {

// Runs `phase`. If it throws, appends "<name>: <message>" to `internal_errors` (the message passed through `mask`
// first: an exception's text may quote a secret), logs it, and returns false.
bool run_guarded(const std::string& name, const std::function<void()>& phase,
                 const std::function<std::string(const std::string&)>& mask, std::vector<std::string>& internal_errors);

}  // namespace flowrun::run
