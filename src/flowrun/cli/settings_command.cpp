// `flowrun settings`: the table of every `flowrun run` setting and where each comes from, as the plan resolves it.
// The README's table is this command's output, so the two cannot drift apart.
#include <CLI/CLI.hpp>
#include <iostream>

#include "flowrun/cli/commands.h"
#include "flowrun/core/exit_codes.h"
#include "flowrun/run/setting_table.h"

namespace flowrun::cli {

namespace {

std::string code(std::string_view text) { return text.empty() ? "" : "`" + std::string(text) + "`"; }

std::string kind_text(const run::SettingRow& row) {
  switch (row.kind) {
    case run::ValueKind::text:
      return "text";
    case run::ValueKind::seconds:
      return "seconds";
    case run::ValueKind::count:
      return std::to_string(row.minimum) + "-" + std::to_string(row.maximum);
    case run::ValueKind::flag:
      return "true/false";
    case run::ValueKind::choice: {
      std::string choices;
      for (auto choice : row.choices) choices += (choices.empty() ? "" : " \\| ") + std::string(choice);
      return choices;
    }
    case run::ValueKind::branch:
      return "branch";
    case run::ValueKind::url:
      return "URL or host";
    case run::ValueKind::path:
      return "path";
    case run::ValueKind::list:
      return "list (adds up)";
  }
  return "text";
}

void print_markdown_table() {
  std::cout << "| setting | value | flag | variable | `flowrun:` key | GitLab's variables | default |\n"
               "|---|---|---|---|---|---|---|\n";
  for (const auto& row : run::setting_table()) {
    std::string fallback = row.fallback.empty() ? std::string(row.derived) : code(row.fallback);
    std::string flow_key = row.flow_key.empty() ? "" : code(row.flow_key.substr(std::string_view("flowrun.").size()));
    std::cout << "| " << row.name << " | " << kind_text(row) << " | " << code(row.flag) << " | " << code(row.variable)
              << " | " << flow_key << " | " << row.gitlab << " | " << fallback << " |\n";
  }
}

}  // namespace

void add_settings_command(CLI::App& app, int& exit_code) {
  auto* sub = app.add_subcommand("settings", "Print every setting of `flowrun run` and where it comes from");
  sub->footer(
      "The first source that has a value wins: the flag, the FLOWRUN_* variable, the flow's `flowrun:` key, GitLab's "
      "job variables, the default. A list adds up every source. A value that cannot be used stops the run before "
      "anything runs, named with its source; `flowrun run --dry-run` shows each value with the source it came from.");
  sub->callback([&exit_code] {
    print_markdown_table();
    std::cout.flush();
    exit_code = to_int(std::cout ? ExitCode::ok : ExitCode::failed);
  });
}

}  // namespace flowrun::cli
