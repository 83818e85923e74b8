#pragma once
// `flowrun validate` as data: which files to check, their findings (loader and schema first, then the checks
// of the commands, run for all flows at once), and the exit code they lead to.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "flowrun/flow/diagnostic.h"

namespace flowrun::flow {

// One flow file to check.
struct FlowSource {
  std::string display_path;         // as shown in findings ("<stdin>" for standard input)
  std::filesystem::path path;       // empty for standard input
  std::optional<std::string> text;  // the bytes, when already read (standard input)
};

struct CollectedSources {
  std::vector<FlowSource> sources;
  std::string error;         // set when there is nothing to check: says where flowrun looked and what to do
  bool wants_stdin = false;  // `-` was given: the caller reads standard input into the source shown "<stdin>"
};

// PATH arguments to sources: a file as given, a folder's `.yaml`/`.yml` files, `-` for standard input. No
// argument: every flow of `.gitlab/duo/flows/` found from `cwd`, shown relative to `cwd`. A path that does not
// exist stays a source, so that it is reported as unreadable like any other.
CollectedSources collect_sources(const std::vector<std::string>& arguments, const std::filesystem::path& cwd);

struct ValidateOptions {
  bool use_shellcheck = true;
};

struct FileReport {
  std::string display_path;
  std::filesystem::path path;           // empty for standard input
  std::vector<Diagnostic> diagnostics;  // sorted by line and column
};

// Loads every source and checks the commands of all loaded flows together. Reports are sorted by path.
std::vector<FileReport> validate_sources(const std::vector<FlowSource>& sources, const ValidateOptions& options);

// 0 when nothing fails, 1 for errors (and warnings with `strict`), 2 when a file could not be read at all.
int validation_exit_code(const std::vector<FileReport>& reports, bool strict);

}  // namespace flowrun::flow
