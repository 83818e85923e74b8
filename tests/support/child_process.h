#pragma once
// Starting a child in its own process group with pipes for stdin/stdout/stderr, and waiting for it with a bound.
// Shared by run_process (run to completion) and BackgroundProcess (a server kept running during a test).
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/unique_fd.h"

namespace flowrun::testing {

struct ChildProcess {
  pid_t pid = -1;
  UniqueFd stdin_fd;   // write end; the child's stdin
  UniqueFd stdout_fd;  // read end
  UniqueFd stderr_fd;  // read end
  UniqueFd pidfd;      // readable once the child has exited; invalid when the kernel has no pidfd_open
};

// The executable argv[0] names: itself when it contains a '/', else the first match on `path_variable`
// (a PATH value). nullopt when there is none.
std::optional<std::filesystem::path> find_executable(const std::string& name, const std::string& path_variable);

// "NAME=value" entries of `env`, as core::SpawnRequest and core::RunRequest take them.
std::vector<std::string> environment_entries(const std::map<std::string, std::string>& env);

// Fills in what to run, and where, in a core::SpawnRequest or core::RunRequest: `program` (argv[0] resolved),
// argv as given (argv[0] included), exactly `env`, in `cwd` (empty: the current folder).
template <typename Request>
void describe_program(Request& request, const std::filesystem::path& program, const std::vector<std::string>& argv,
                      const std::map<std::string, std::string>& env, const std::filesystem::path& cwd) {
  request.executable = program;
  request.argv0 = argv.at(0);
  request.arguments.assign(argv.begin() + 1, argv.end());
  request.environment = environment_entries(env);
  request.workdir = cwd.empty() ? std::filesystem::path(".") : cwd;
}

// Starts argv[0] (resolved with the PATH in `env`) with exactly `env` as its environment, in `cwd`, as the leader of
// a new process group, with default signal dispositions (flowrun's launcher, core/process.h). Every pipe end in this
// process is close-on-exec, so other children never inherit them. Throws std::runtime_error naming the program when it
// cannot be started.
ChildProcess spawn_child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                         const std::filesystem::path& cwd);

// Waits up to `timeout` for the child to exit WITHOUT reaping it (so its pid and process group id stay reserved);
// true when it has exited.
bool wait_for_exit(const ChildProcess& child, std::chrono::milliseconds timeout);

// Reaps the exited (or about to exit) child; returns the raw wait status.
int reap(ChildProcess& child);

}  // namespace flowrun::testing
