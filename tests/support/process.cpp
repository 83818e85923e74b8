#include "support/process.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "flowrun/core/process.h"
#include "support/child_process.h"
#include "support/temp_dir.h"

namespace flowrun::testing {

ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                          const std::filesystem::path& cwd, std::chrono::milliseconds timeout,
                          const std::string& stdin_data) {
  ProcessResult result;
  auto path_entry = env.find("PATH");
  const auto program = argv.empty()
                           ? std::nullopt
                           : find_executable(argv[0], path_entry != env.end() ? path_entry->second : "/usr/bin:/bin");
  if (!program) {
    result.exit_code = 127;
    result.err = (argv.empty() ? std::string() : argv[0]) + ": command not found\n";
    return result;
  }
  core::RunRequest request;
  describe_program(request, *program, argv, env, cwd);
  request.input = stdin_data;
  request.timeout = timeout;
  request.kill_grace = std::chrono::seconds(2);
  core::RunResult run = core::run_process(request);
  if (!run.started) {
    throw std::runtime_error("cannot start '" + program->string() + "' in " + request.workdir.string() + ": " +
                             run.error);
  }
  if (!run.error.empty()) throw std::runtime_error(run.error + " while running " + argv[0]);
  result.exit_code = run.exit_code;
  result.signal = run.signal;
  result.out = std::move(run.out);
  result.err = std::move(run.err);
  result.timed_out = run.timed_out;
  return result;
}

const std::filesystem::path& test_home() {
  static const TempDir home("flowrun-test-home-");
  static const bool written = [] {
    std::ofstream config(home.path() / ".gitconfig");
    config << "[init]\n\tdefaultBranch = main\n";
    return static_cast<bool>(config);
  }();
  if (!written) throw std::runtime_error("cannot write " + (home.path() / ".gitconfig").string());
  return home.path();
}

std::map<std::string, std::string> base_environment() {
  const char* path = std::getenv("PATH");
  return {
      {"PATH", (path != nullptr && *path != '\0') ? path : "/usr/local/bin:/usr/bin:/bin"},
      {"HOME", test_home().string()},
      {"LANG", "C.UTF-8"},
      {"GIT_CONFIG_NOSYSTEM", "1"},
      {"GIT_TERMINAL_PROMPT", "0"},
  };
}

}  // namespace flowrun::testing
