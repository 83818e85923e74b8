#include <nlohmann/json.hpp>

#include "flowrun/run/run_report.h"

namespace flowrun::run {

namespace {

template <typename T>
nlohmann::json optional_value(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// null when the commands left no answer from the agent.
nlohmann::json agent_json(const std::optional<agent::AgentResult>& agent) {
  if (!agent) return nullptr;
  const agent::AgentUsage& usage = agent->usage;
  return {{"agent", agent->agent},
          {"final_message", agent->final_message},
          {"finished", agent->finished},
          {"stopped_early", agent->stopped_early},
          {"files_edited", agent->files_edited},
          {"usage",
           {{"model", usage.model},
            {"turns", optional_value(usage.turns)},
            {"input_tokens", optional_value(usage.input_tokens)},
            {"output_tokens", optional_value(usage.output_tokens)},
            {"cost_usd", optional_value(usage.cost_usd)},
            {"duration_seconds", optional_value(usage.duration_seconds)}}}};
}

}  // namespace

std::string to_json(const RunReport& report) {
  using nlohmann::json;
  json commands = json::array();
  for (const auto& command : report.commands) {
    commands.push_back({{"index", command.index},
                        {"first_line", command.first_line},
                        {"state", state_name(command.state)},
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
      {"outcome", outcome_name(report.outcome)},
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
        {"outcome", report.git.outcome ? git::to_string(*report.git.outcome) : ""},
        {"base_commit", report.git.base_commit},
        {"commit", report.git.commit},
        {"branch", report.git.branch},
        {"remote", report.git.remote},
        {"files", nullptr},
        {"excluded", report.git.excluded},
        {"submodules_changed", report.git.submodules_changed},
        {"patch_file", report.git.patch_file},
        {"error", report.git.error},
        {"push_attempts", report.git.push_attempts},
        {"followed_up", report.git.followed_up},
        {"follow_up_fallback", report.git.follow_up_fallback}}},
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
  json refusals = json::array();
  for (const auto& refusal : report.git.refusals) {
    refusals.push_back(
        {{"kind", refusal.kind}, {"path", refusal.path}, {"line", refusal.line}, {"description", refusal.description}});
  }
  document["git"]["refusals"] = std::move(refusals);
  document["agent"] = agent_json(report.agent);
  // `replace` turns bytes that are not UTF-8 into U+FFFD instead of throwing: command output is arbitrary.
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace flowrun::run
