#pragma once
// A program kept running while a test uses it (the fake GitLab server): started in its own process group, its
// stdout and stderr collected by a reader thread, stopped (stdin closed, SIGTERM, then SIGKILL) on destruction.
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace flowrun::testing {

class BackgroundProcess {
 public:
  // Throws std::runtime_error when the program cannot be started.
  BackgroundProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                    const std::filesystem::path& cwd);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // The first complete stdout line that starts with `prefix`, waiting at most `timeout`; nullopt when none came
  // (timeout, or the program closed its stdout).
  std::optional<std::string> wait_for_line(const std::string& prefix, std::chrono::milliseconds timeout);

  std::string stdout_text() const;
  std::string stderr_text() const;
  // Whether the program has exited (without reaping it).
  bool exited() const;

  // Closes stdin, sends SIGTERM to the group, waits up to `grace`, then SIGKILLs the group; idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace flowrun::testing
