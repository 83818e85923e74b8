#include "session_test_support.h"

#include <signal.h>
#include <stdlib.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace flowrun::exec::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "flowrun-exec-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

SessionOptions session_options(const std::filesystem::path& workdir, std::vector<std::string> commands) {
  SessionOptions options;
  options.commands = std::move(commands);
  options.environment = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", workdir.string()}, {"LC_ALL", "C"}};
  options.workdir = workdir;
  return options;
}

CapturedSession run_captured(SessionOptions options, const CancellationToken& cancel) {
  CapturedSession captured;
  options.on_output = [&captured](std::string_view bytes) { captured.output.append(bytes); };
  options.on_command_start = [&captured](std::size_t index) {
    captured.output += "<start " + std::to_string(index) + ">";
  };
  captured.result = run_session(options, cancel);
  return captured;
}

CapturedSession run_captured(SessionOptions options) {
  CancellationToken never;
  return run_captured(std::move(options), never);
}

std::vector<int> read_pids(const std::filesystem::path& file) {
  std::vector<int> pids;
  std::istringstream lines(read_file(file));
  for (int pid = 0; lines >> pid;) pids.push_back(pid);
  return pids;
}

bool process_gone(int pid) { return ::kill(pid, 0) == -1 && errno == ESRCH; }

}  // namespace flowrun::exec::testing
