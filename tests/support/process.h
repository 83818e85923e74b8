#pragma once
// Running a program to completion with a complete, explicit environment: how tests run flowrun, git and bash.
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace flowrun::testing {

struct ProcessResult {
  int exit_code = -1;  // the exit status; -1 when the process was killed by a signal
  int signal = 0;      // the signal that killed it, 0 when it exited
  std::string out;
  std::string err;
  bool timed_out = false;  // the timeout fired and the process group was killed
};

// Runs argv (argv[0] looked up on env's PATH) in `cwd` with exactly `env` as its environment (nothing inherited),
// feeding `stdin_data` then closing stdin, collecting stdout and stderr concurrently. The program runs as the leader
// of its own process group. On timeout the group gets SIGTERM, then SIGKILL 2 s later. When the program exits,
// whatever it left running in its group is killed (so stray background jobs cannot hold the pipes open).
// A program not found on PATH gives exit code 127 and "<name>: command not found" on err, as a shell would.
ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                          const std::filesystem::path& cwd,
                          std::chrono::milliseconds timeout = std::chrono::seconds(60),
                          const std::string& stdin_data = "");

// PATH (this process's), HOME (a private temporary home, shared by the test binary, whose .gitconfig sets only
// init.defaultBranch=main), LANG=C.UTF-8, GIT_CONFIG_NOSYSTEM=1, GIT_TERMINAL_PROMPT=0. Callers add the rest.
std::map<std::string, std::string> base_environment();

// The private temporary home base_environment() uses.
const std::filesystem::path& test_home();

}  // namespace flowrun::testing
