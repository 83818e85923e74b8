#include <nlohmann/json.hpp>

#include "flowrun/run/run_report.h"

namespace flowrun::run {

std::string to_json(const RunReport& report) {
  using nlohmann::json;
  json commands = json::array();
  for (const auto& command : report.commands) {
    commands.push_back({{"index", command.index},
                        {"first_line", command.first_line},
                        {"state", command.state},
                        {"exit_code", command.exit_code},
                        {"signal", command.signal},
                        {"duration_seconds", command.duration_seconds}});
  }
  json files = json::array();
  for (const auto& file : report.git.files) {
    json entry = {{"path", file.path},
                  {"status", file.status},
                  {"binary", file.binary},
                  {"additions", file.additions},
                  {"deletions", file.deletions}};
    if (!file.old_path.empty()) entry["old_path"] = file.old_path;
    files.push_back(std::move(entry));
  }
  json document = {
      {"flow", {{"name", report.flow_name}, {"path", report.flow_path}}},
      {"dry_run", report.dry_run},
      {"outcome", report.outcome},
      {"exit_code", report.exit_code},
      {"started_at", report.started_at},
      {"duration_seconds", report.duration_seconds},
      {"event", report.event},
      {"missing_variables", report.missing_variables},
      {"diagnostics", report.diagnostics},
      {"commands", nullptr},
      {"failed_command", report.failed_command ? json(*report.failed_command) : json(nullptr)},
      {"last_command_seen", report.last_command_seen ? json(*report.last_command_seen) : json(nullptr)},
      {"shell_exit_code", report.shell_exit_code},
      {"internal_errors", report.internal_errors},
      {"shell_exited_early", report.shell_exited_early},
      {"output_tail", report.output_tail},
      {"git",
       {{"attempted", report.git.attempted},
        {"outcome", report.git.outcome},
        {"base_commit", report.git.base_commit},
        {"commit", report.git.commit},
        {"branch", report.git.branch},
        {"remote", report.git.remote},
        {"files", nullptr},
        {"excluded", report.git.excluded},
        {"submodules_changed", report.git.submodules_changed},
        {"patch_file", report.git.patch_file},
        {"error", report.git.error},
        {"push_attempts", report.git.push_attempts}}},
      {"report",
       {{"attempted", report.api.attempted},
        {"target", report.api.target},
        {"posted", report.api.posted},
        {"note_url", report.api.note_url},
        {"note_file", report.api.note_file},
        {"merge_request_url", report.api.merge_request_url},
        {"merge_request_existing", report.api.merge_request_existing},
        {"error", report.api.error}}},
      {"warnings", report.warnings},
  };
  // Moved in rather than listed above: an initializer list would copy each array, entry by entry.
  document["commands"] = std::move(commands);
  document["git"]["files"] = std::move(files);
  // `replace` turns bytes that are not UTF-8 into U+FFFD instead of throwing: command output is arbitrary.
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace flowrun::run
