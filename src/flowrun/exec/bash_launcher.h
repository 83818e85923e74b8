#pragma once
// Starting bash for a session through flowrun's one process launcher (core/process.h): in its own process group,
// with exactly the descriptors and environment the session gives it, and default signal dispositions whatever
// flowrun itself ignores or blocks. The session streams bash's output itself, so it only takes the spawn step.
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/core/process.h"

namespace flowrun::exec {

// Where execvp would find `name` for a shell in `workdir` whose PATH is `environment`'s (a default PATH when
// it has none). A name with a slash is taken as a path relative to flowrun's working directory. The result is
// absolute; nullopt when nothing executable is there.
std::optional<std::filesystem::path> find_executable(std::string_view name,
                                                     const std::map<std::string, std::string>& environment,
                                                     const std::filesystem::path& workdir);

// The PATH find_executable searched for `environment`.
std::string search_path(const std::map<std::string, std::string>& environment);

struct ShellLaunch {
  std::filesystem::path executable;  // absolute
  std::vector<std::string> arguments;
  const std::map<std::string, std::string>* environment = nullptr;  // all of it; nothing is inherited
  std::filesystem::path workdir;
  // flowrun's descriptors that become the child's: stdin, stdout and stderr (both output_fd), and two more.
  // Each must be above every target number (see kFirstFreeDescriptor).
  int stdin_fd = -1;
  int output_fd = -1;
  using Extra = core::SpawnRequest::ExtraFd;
  std::vector<Extra> extra_fds;
};

// Descriptors at or above this number never collide with the numbers a child is given.
inline constexpr int kFirstFreeDescriptor = 10;

struct LaunchResult {
  pid_t pid = -1;     // the leader of a new process group; the caller waits for it
  std::string error;  // why it did not start
};

LaunchResult launch_shell(const ShellLaunch& launch);

}  // namespace flowrun::exec
