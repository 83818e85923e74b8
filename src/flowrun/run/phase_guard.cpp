#include "flowrun/run/phase_guard.h"

#include <exception>

#include "flowrun/log/logger.h"

namespace flowrun::run {

bool run_guarded(const std::string& name, const std::function<void()>& phase,
                 const std::function<std::string(const std::string&)>& mask,
                 std::vector<std::string>& internal_errors) {
  std::string message;
  try {
    phase();
    return true;
  } catch (const std::exception& exception) {
    message = exception.what();
  } catch (...) {
    message = "an exception that is not a std::exception";
  }
  try {
    message = mask(message);
  } catch (...) {
    message = "(an error whose message could not be masked)";
  }
  internal_errors.push_back(name + ": " + message);
  try {
    log::error("flowrun hit an internal error in the " + name + " phase: " + message +
               "; the phases after it still run. Please report this.");
  } catch (...) {
    // The log itself failed: the report still carries the error.
  }
  return false;
}

}  // namespace flowrun::run
