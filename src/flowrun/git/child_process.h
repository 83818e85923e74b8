#pragma once
// Runs a program directly (no shell) with an explicit environment and collects its output, for the git command
// line push. Internal.
#include <chrono>
#include <string>
#include <vector>

namespace flowrun::git::detail {

struct ChildResult {
  bool started = false;
  int exit_code = -1;  // -1 when killed by a signal or not started
  bool timed_out = false;
  std::string out;
  std::string err;  // or why the program could not start
};

// `argv[0]` is looked up in PATH. The child gets exactly `environment` ("NAME=value" strings) and /dev/null as
// standard input; it is killed when still running after `timeout`.
ChildResult run_child(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                      std::chrono::seconds timeout);

}  // namespace flowrun::git::detail
