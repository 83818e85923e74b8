#pragma once
// Starting a program: the one way flowrun and its tests start processes. The child gets exactly the environment and
// descriptors it is given, default signal dispositions and an empty signal mask whatever flowrun ignores or blocks,
// and its own process group, so that a timeout or a cancel reaches everything it started.
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace flowrun::core {

struct SpawnRequest {
  std::filesystem::path executable;      // a path, never looked up on a PATH
  std::string argv0;                     // the child's argv[0]; empty: the executable's path
  std::vector<std::string> arguments;    // argv[1...]
  std::vector<std::string> environment;  // "NAME=value", all of it: nothing is inherited
  std::filesystem::path workdir;         // empty: flowrun's own
  // flowrun's descriptors that become the child's 0, 1 and 2; -1 gives it /dev/null.
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  // More descriptors the child gets at the numbers `to`. Each `from` must be above every number the child is given.
  struct ExtraFd {
    int from;
    int to;
  };
  std::vector<ExtraFd> extra_fds;
};

struct SpawnResult {
  pid_t pid = -1;     // the leader of a new process group; the caller waits for it
  std::string error;  // why it did not start
};

// Every descriptor of flowrun not named in the request is closed in the child, even one opened without
// O_CLOEXEC. Thread-safe.
SpawnResult spawn_process(const SpawnRequest& request);

// A descriptor (close-on-exec) that becomes readable when the child `pid` exits, to wait for it with poll without
// reaping it; -1 when the kernel has no pidfd_open (before 5.3).
int open_process_fd(pid_t pid);

struct RunRequest {
  std::filesystem::path executable;
  std::string argv0;
  std::vector<std::string> arguments;
  std::vector<std::string> environment;
  std::filesystem::path workdir;
  std::optional<std::string> input;  // written to the child's stdin, which is then closed
  int stdin_fd = -1;                 // without `input`: this descriptor (e.g. a file) is its stdin; -1: /dev/null
  std::chrono::milliseconds timeout = std::chrono::seconds(60);
  // On timeout the group gets SIGTERM, then SIGKILL after this grace; zero: SIGKILL at once.
  std::chrono::milliseconds kill_grace{0};
  std::size_t output_limit = std::numeric_limits<std::size_t>::max();  // per stream; the rest is read and dropped
};

struct RunResult {
  bool started = false;
  std::string error;   // why it did not start
  int exit_code = -1;  // -1 when killed by a signal or not started
  int signal = 0;      // the signal that killed it
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs the program to completion, reading stdout and stderr concurrently. When it exits, whatever it left running
// in its process group is killed, so a stray background process cannot hold the output open.
RunResult run_process(const RunRequest& request);

}  // namespace flowrun::core
