#pragma once
// Helpers for the tests that run real bash sessions.
#include <filesystem>
#include <string>
#include <vector>

#include "flowrun/exec/cancellation.h"
#include "flowrun/exec/shell_session.h"

namespace flowrun::exec::testing {

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);

// Options for a session in `workdir` with a small environment of its own.
SessionOptions session_options(const std::filesystem::path& workdir, std::vector<std::string> commands);

struct CapturedSession {
  SessionResult result;
  std::string output;  // everything on_output received, with "<start N>" where on_command_start was called
};

// Runs the session, recording output and command starts in one stream (on_output/on_command_start of
// `options` are replaced).
CapturedSession run_captured(SessionOptions options, const CancellationToken& cancel);
CapturedSession run_captured(SessionOptions options);

// pids listed one per line in `file`.
std::vector<int> read_pids(const std::filesystem::path& file);
// True when no process (not even a zombie) has the pid any more.
bool process_gone(int pid);

}  // namespace flowrun::exec::testing
