#include "flowrun/flow/validation.h"

#include <algorithm>

#include "flowrun/core/exit_codes.h"
#include "flowrun/flow/command_checks.h"
#include "flowrun/flow/discovery.h"
#include "flowrun/flow/flow.h"
#include "flowrun/flow/handoff.h"
#include "flowrun/flow/image_check.h"
#include "flowrun/flow/masking_checks.h"

namespace flowrun::flow {
namespace fs = std::filesystem;

namespace {

// Discovered flows are shown as a path from where the user stands, which an editor or terminal can open.
std::string shown_relative_to(const fs::path& path, const fs::path& cwd) {
  std::error_code error;
  fs::path relative = fs::proximate(path, cwd, error);
  return (error || relative.empty() ? path : relative).string();
}

}  // namespace

CollectedSources collect_sources(const std::vector<std::string>& arguments, const fs::path& cwd) {
  CollectedSources collected;
  if (arguments.empty()) {
    auto flows_dir = find_flows_dir(cwd);
    if (!flows_dir) {
      auto root = find_repository_root(cwd);
      collected.error = root ? "no flows to check: the repository at " + root->string() + " has no " + flows_folder +
                                   "/ folder; give the flow files or folders to check, or create " + flows_folder +
                                   "/<name>.yaml (flowrun init)"
                             : "no flows to check: " + cwd.string() +
                                   " is not inside a git repository, so there is no " + flows_folder +
                                   "/ to look in; give the flow files or folders to check";
      return collected;
    }
    for (const auto& file : list_flow_files(*flows_dir)) {
      collected.sources.push_back({shown_relative_to(file, cwd), file, std::nullopt});
    }
    if (collected.sources.empty()) {
      collected.error = "no flows to check: " + flows_dir->string() +
                        " has no .yaml or .yml file; add one, or give "
                        "the flow files to check";
    }
    return collected;
  }
  for (const auto& argument : arguments) {
    if (argument == "-") {
      if (!collected.wants_stdin) collected.sources.push_back({"<stdin>", {}, std::nullopt});
      collected.wants_stdin = true;
      continue;
    }
    fs::path path(argument);
    fs::path resolved = path.is_absolute() ? path : cwd / path;
    std::error_code error;
    if (fs::is_directory(resolved, error)) {
      auto files = list_flow_files(resolved);
      if (files.empty()) {
        collected.error = "no .yaml or .yml file in the folder " + argument + ": give flow files or a folder of them";
        return collected;
      }
      for (const auto& file : files)
        collected.sources.push_back({(path / file.filename()).string(), file, std::nullopt});
      continue;
    }
    collected.sources.push_back({argument, resolved, std::nullopt});
  }
  return collected;
}

std::vector<FileReport> validate_sources(const std::vector<FlowSource>& sources, const ValidateOptions& options) {
  std::vector<FileReport> reports;
  std::vector<LoadResult> loaded;
  reports.reserve(sources.size());
  loaded.reserve(sources.size());
  for (const auto& source : sources) {
    LoadResult result = source.text ? load_flow_text(*source.text, source.display_path)
                                    : load_flow_file(source.path, source.display_path);
    reports.push_back(FileReport{source.display_path, source.path, std::move(result.diagnostics)});
    loaded.push_back(std::move(result));
  }

  std::vector<const Flow*> flows;
  std::vector<std::size_t> owners;
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    if (loaded[i].flow) {
      flows.push_back(&*loaded[i].flow);
      owners.push_back(i);
      // The `exec flowrun run` line, checked the same way `flowrun run` checks it before running.
      for (auto& diagnostic : check_handoff(*loaded[i].flow)) reports[i].diagnostics.push_back(std::move(diagnostic));
      for (auto& diagnostic : describe_masking(*loaded[i].flow))
        reports[i].diagnostics.push_back(std::move(diagnostic));
      for (auto& diagnostic : check_image(*loaded[i].flow)) reports[i].diagnostics.push_back(std::move(diagnostic));
    }
  }
  if (!flows.empty()) {
    auto findings = check_commands(flows, CommandCheckOptions{.use_shellcheck = options.use_shellcheck});
    for (std::size_t i = 0; i < findings.size() && i < owners.size(); ++i) {
      auto& diagnostics = reports[owners[i]].diagnostics;
      for (auto& diagnostic : findings[i]) diagnostics.push_back(std::move(diagnostic));
    }
  }
  for (auto& report : reports) sort_diagnostics(report.diagnostics);
  std::stable_sort(reports.begin(), reports.end(),
                   [](const FileReport& a, const FileReport& b) { return a.display_path < b.display_path; });
  return reports;
}

int validation_exit_code(const std::vector<FileReport>& reports, bool strict) {
  bool unreadable = false;
  bool failing = false;
  for (const auto& report : reports) {
    for (const auto& diagnostic : report.diagnostics) {
      unreadable = unreadable || diagnostic.rule == "file-unreadable";
      failing =
          failing || diagnostic.severity == Severity::error || (strict && diagnostic.severity == Severity::warning);
    }
  }
  if (unreadable) return to_int(ExitCode::usage);
  return to_int(failing ? ExitCode::failed : ExitCode::ok);
}

}  // namespace flowrun::flow
