#include "flowrun/exec/bash_launcher.h"

// clang-format off
// <utility> before Boost.Asio: with C++20 and g++ 12 it needs std::exchange declared first.
#include <utility>
#include <boost/asio/io_context.hpp>
#include <boost/process/v2/default_launcher.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/start_dir.hpp>
#include <boost/process/v2/stdio.hpp>
// clang-format on

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <exception>

namespace flowrun::exec {
namespace bp2 = boost::process::v2;
namespace {

constexpr std::string_view kDefaultPath = "/usr/local/bin:/usr/bin:/bin";

bool is_executable_file(const std::filesystem::path& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

bp2::error_code last_error() { return bp2::error_code(errno, bp2::system_category()); }

// Closes [low, high] in the child; close_range when the kernel has it (5.9+), one by one otherwise.
void close_descriptor_range(int low, int high) {
  if (low > high) return;
#if defined(SYS_close_range)
  if (::syscall(SYS_close_range, static_cast<unsigned>(low), static_cast<unsigned>(high), 0U) == 0) return;
#endif
  for (int fd = low; fd <= high; ++fd) ::close(fd);
}

// The child's part of the launch, run between fork and exec: only async-signal-safe calls, no allocation.
struct ChildSetup {
  const char* const* environment;
  const std::vector<ShellLaunch::Extra>* extra_fds;

  bp2::error_code on_setup(bp2::posix::default_launcher& launcher, const bp2::filesystem::path&, const char* const*) {
    // The environment is set here rather than with bp2::process_environment, whose implementation must be
    // compiled into exactly one object of the whole program (impl/environment.ipp is not inline).
    launcher.env = environment;
    for (const ShellLaunch::Extra& extra : *extra_fds) launcher.fd_whitelist.push_back(extra.to);
    return {};
  }

  bp2::error_code on_exec_setup(bp2::posix::default_launcher& launcher, const bp2::filesystem::path&,
                                const char* const*) {
    // Its own process group, so a timeout or cancel can signal bash and everything it started at once.
    if (::setpgid(0, 0) != 0) return last_error();
    for (const ShellLaunch::Extra& extra : *extra_fds) {
      if (::dup2(extra.from, extra.to) < 0) return last_error();
    }
    // Ignored signals stay ignored across exec (SIGPIPE ignored by flowrun would break `yes | head` in bash),
    // and so does the signal mask: give bash the defaults.
    for (int signal_number = 1; signal_number < NSIG; ++signal_number) {
      if (signal_number == SIGKILL || signal_number == SIGSTOP) continue;
      struct sigaction action {};
      action.sa_handler = SIG_DFL;
      ::sigaction(signal_number, &action, nullptr);
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    close_all_but(launcher.fd_whitelist);
    return {};
  }

  // Every descriptor not on the list goes, even those opened without O_CLOEXEC by other parts of flowrun.
  // (Boost closes only above the highest listed one; its error pipe is on the list and must stay open.)
  static void close_all_but(const std::vector<int>& keep_list) {
    constexpr std::size_t kMaxKept = 32;
    int keep[kMaxKept];
    std::size_t count = 0;
    for (int fd : keep_list) {
      if (count == kMaxKept) return;  // cannot happen with a session's handful of descriptors
      std::size_t at = count++;
      for (; at > 0 && keep[at - 1] > fd; --at) keep[at] = keep[at - 1];
      keep[at] = fd;
    }
    struct rlimit limit {};
    int highest = 65535;
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < (1U << 30)) {
      highest = static_cast<int>(limit.rlim_cur) - 1;
    }
    int next = 0;
    for (std::size_t i = 0; i < count; ++i) {
      close_descriptor_range(next, keep[i] - 1);
      next = keep[i] + 1;
    }
    close_descriptor_range(next, highest);
  }
};

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
  std::vector<std::string> environment_entries;
  environment_entries.reserve(launch.environment->size());
  for (const auto& [name, value] : *launch.environment) environment_entries.push_back(name + "=" + value);
  std::vector<const char*> environment;
  environment.reserve(environment_entries.size() + 1);
  for (const std::string& entry : environment_entries) environment.push_back(entry.c_str());
  environment.push_back(nullptr);

  LaunchResult result;
  bp2::posix::default_launcher launcher;
  try {
    boost::asio::io_context context;
    bp2::error_code error;
    auto process = launcher(context.get_executor(), error, bp2::filesystem::path(launch.executable.native()),
                            launch.arguments, bp2::process_stdio{launch.stdin_fd, launch.output_fd, launch.output_fd},
                            bp2::process_start_dir(bp2::filesystem::path(launch.workdir.native())),
                            ChildSetup{environment.data(), &launch.extra_fds});
    if (error) {
      result.error = error.message();
    } else {
      result.pid = process.id();
      // flowrun waits for bash itself (it needs the raw wait status, and a process object would kill bash
      // when destroyed).
      process.detach();
    }
  } catch (const std::exception& exception) {
    result.error = exception.what();
    result.pid = -1;
  }
  if (result.pid < 0 && launcher.pid > 0) {
    // The child that could not exec bash has exited; collect it.
    while (::waitpid(launcher.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  return result;
}

}  // namespace flowrun::exec
