#include "flowrun/exec/bash_launcher.h"

#include <sys/stat.h>
#include <unistd.h>

#include "flowrun/core/process.h"

namespace flowrun::exec {
namespace {

constexpr std::string_view kDefaultPath = "/usr/local/bin:/usr/bin:/bin";

bool is_executable_file(const std::filesystem::path& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string search_path(const std::map<std::string, std::string>& environment) {
  const auto path = environment.find("PATH");
  return path == environment.end() ? std::string(kDefaultPath) : path->second;
}

std::optional<std::filesystem::path> find_executable(std::string_view name,
                                                     const std::map<std::string, std::string>& environment,
                                                     const std::filesystem::path& workdir) {
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string_view::npos) {
    std::error_code error;
    std::filesystem::path path = std::filesystem::absolute(std::filesystem::path(name), error);
    if (error || !is_executable_file(path)) return std::nullopt;
    return path;
  }
  const std::string path_variable = search_path(environment);
  std::string_view rest = path_variable;
  for (;;) {
    const std::size_t colon = rest.find(':');
    std::filesystem::path directory(rest.substr(0, colon));
    if (directory.empty()) directory = ".";  // an empty entry means the current directory, as in execvp
    if (directory.is_relative()) directory = workdir / directory;
    std::error_code error;
    std::filesystem::path candidate = std::filesystem::absolute(directory / std::string(name), error);
    if (!error && is_executable_file(candidate)) return candidate.lexically_normal();
    if (colon == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(colon + 1);
  }
}

LaunchResult launch_shell(const ShellLaunch& launch) {
  core::SpawnRequest request;
  request.executable = launch.executable;
  request.arguments = launch.arguments;
  request.environment.reserve(launch.environment->size());
  for (const auto& [name, value] : *launch.environment) request.environment.push_back(name + "=" + value);
  request.workdir = launch.workdir;
  request.stdin_fd = launch.stdin_fd;
  request.stdout_fd = launch.output_fd;
  request.stderr_fd = launch.output_fd;
  request.extra_fds = launch.extra_fds;
  const core::SpawnResult spawned = core::spawn_process(request);
  return LaunchResult{spawned.pid, spawned.error};
}

}  // namespace flowrun::exec
