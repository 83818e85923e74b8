#pragma once
// Everything `flowrun run` can be told on its command line. A setting left empty falls back, in order, to its
// FLOWRUN_* variable, the flow's `flowrun:` settings, the CI job's variables, and a default: see setting_table.h.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace flowrun::run {

struct RunSettings {
  std::string flow;               // a path, or a flow name under .gitlab/duo/flows/; empty: the only flow there
  std::filesystem::path workdir;  // where the commands run; empty: CI_PROJECT_DIR, else the current directory
  bool dry_run = false;

  // Local stand-ins for the job's variables.
  std::optional<std::string> input;  // --input: AI_FLOW_INPUT
  std::optional<std::filesystem::path> input_file;
  std::optional<std::filesystem::path> context_file;  // AI_FLOW_CONTEXT
  std::optional<std::string> event;                   // AI_FLOW_EVENT
  std::vector<std::filesystem::path> env_files;       // dotenv files; later files win, and they win over the process

  // Outputs.
  std::optional<std::filesystem::path> log_file;
  std::optional<std::filesystem::path> report_file;
  std::optional<std::filesystem::path> junit_file;
  std::optional<std::filesystem::path> note_file;
  std::optional<std::filesystem::path> artifacts_dir;

  // Time.
  std::optional<std::chrono::seconds> timeout;
  std::optional<std::chrono::seconds> kill_grace;

  // Git.
  std::optional<std::string> branch;
  std::optional<std::string> remote_url;
  std::vector<std::string> exclude;
  std::optional<bool> push;             // --no-push
  std::optional<bool> push_on_failure;  // --push-on-failure

  // GitLab.
  std::optional<std::string> gitlab_url;
  std::optional<long long> issue_iid;
  std::optional<long long> merge_request_iid;
  std::optional<std::string> merge_request_mode;  // auto | always | never
  bool no_report = false;  // --no-report: do not post to GitLab (the note is still rendered and logged)
};

}  // namespace flowrun::run
