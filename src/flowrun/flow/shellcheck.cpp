#include "flowrun/flow/shellcheck.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "flowrun/flow/command_checks.h"
#include "flowrun/flow/secret_checks.h"
#include "flowrun/flow/shell_syntax.h"

namespace flowrun::flow {
namespace {

constexpr auto kShellcheckTimeout = std::chrono::seconds(30);
constexpr const char* kExcludedCodes = "SC2154,SC1090,SC1091,SC2093";

const std::optional<std::string>& shellcheck_program() {
  static const std::optional<std::string> path = find_on_path("shellcheck");
  return path;
}

// shellcheck counts a tab as reaching the next multiple of 8; flowrun counts characters.
int character_column(std::string_view line, int shellcheck_column) {
  int visual = 1;
  int characters = 1;
  for (std::size_t i = 0; i < line.size() && visual < shellcheck_column; ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;  // inside a UTF-8 character
    visual = line[i] == '\t' ? ((visual - 1) / 8 + 1) * 8 + 1 : visual + 1;
    ++characters;
  }
  return characters;
}

// shellcheck's own output, read without trusting its shape: a missing or odd field gives the fallback.
int number_field(const nlohmann::json& object, const char* key, int fallback) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

std::string string_field(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_parse_failure(int code, const std::string& level) { return code >= 1000 && code < 2000 && level == "error"; }

Diagnostic not_run(const Flow& flow, const std::string& reason) {
  Diagnostic diagnostic;
  diagnostic.position.file = flow.display_path;
  diagnostic.severity = Severity::info;
  diagnostic.rule = "shellcheck";
  diagnostic.message = "shellcheck did not check the commands: " + reason + ".";
  return diagnostic;
}

}  // namespace

bool shellcheck_available() { return shellcheck_program().has_value(); }

std::vector<Diagnostic> run_shellcheck(const Flow& flow, bool bash_found_errors) {
  std::vector<Diagnostic> findings;
  const auto& program = shellcheck_program();
  if (!program || flow.commands.empty()) return findings;
  const JoinedScript script = join_commands(flow);
  const CheckerRun run = run_checker(
      *program, {"--norc", "--shell=bash", "--format=json", std::string("--exclude=") + kExcludedCodes, "-"},
      script.text, kShellcheckTimeout);
  if (!run.started) return {not_run(flow, run.failure)};
  if (run.timed_out) return {not_run(flow, "it did not finish within 30 s")};
  // 0: nothing found, 1: findings; anything else is shellcheck failing.
  if (run.exit_code != 0 && run.exit_code != 1) {
    return {not_run(flow, "it failed with exit status " + std::to_string(run.exit_code))};
  }
  const auto comments = nlohmann::json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  if (!comments.is_array()) return {not_run(flow, "its output could not be read")};

  const bool parse_failed = std::any_of(comments.begin(), comments.end(), [](const nlohmann::json& comment) {
    return comment.is_object() && is_parse_failure(number_field(comment, "code", 0), string_field(comment, "level"));
  });
  bool parse_failure_reported = false;
  for (const auto& comment : comments) {
    if (!comment.is_object()) continue;
    const int code = number_field(comment, "code", 0);
    const std::string level = string_field(comment, "level");
    const int line = number_field(comment, "line", 1);
    const int column = number_field(comment, "column", 1);
    std::string message = string_field(comment, "message");
    Severity severity = (level == "error" || level == "warning") ? Severity::warning : Severity::info;

    if (parse_failed && code >= 1000 && code < 2000) {
      // When shellcheck cannot parse the commands it checks nothing else. If bash cannot either, `shell-syntax`
      // already says where; otherwise say once that shellcheck gave up here, so nobody takes silence for a pass.
      if (bash_found_errors || parse_failure_reported || !is_parse_failure(code, level)) continue;
      parse_failure_reported = true;
      severity = Severity::info;
      message = "shellcheck cannot parse this (bash can), so it checked nothing else in these commands: " + message;
    }

    const auto [command_index, command_line] = script.locate(line);
    const FlowCommand& command = flow.commands[command_index];
    const int text_line_number = std::min(command_line, text_line_count(command.text));
    Diagnostic diagnostic;
    diagnostic.position = file_position(flow, command, text_line_number,
                                        character_column(text_line(command.text, text_line_number), column));
    diagnostic.severity = severity;
    diagnostic.rule = "shellcheck-SC" + std::to_string(code);
    diagnostic.message =
        without_literal_tokens(message) + " (see https://www.shellcheck.net/wiki/SC" + std::to_string(code) + ")";
    findings.push_back(std::move(diagnostic));
  }
  return findings;
}

}  // namespace flowrun::flow
