// `flowrun schema`: prints the JSON Schema of a flow file, for editors and other validators.
#include <CLI/CLI.hpp>
#include <iostream>

#include "flowrun/cli/commands.h"
#include "flowrun/core/exit_codes.h"
#include "flowrun/flow/json_schema.h"

namespace flowrun::cli {

void add_schema_command(CLI::App& app, int& exit_code) {
  auto* sub = app.add_subcommand("schema", "Print the JSON Schema (draft-07) of a flow file");
  sub->footer(
      "Save it and point your editor at it, e.g. with the YAML language server:\n"
      "  flowrun schema > .gitlab/duo/flow.schema.json\n"
      "  # yaml-language-server: $schema=../flow.schema.json      (first line of a flow file)\n"
      "The schema flags unknown keys, which GitLab silently ignores: they are usually typos.");
  sub->callback([&exit_code] {
    std::cout << flow::flow_json_schema();
    std::cout.flush();
    exit_code = to_int(std::cout ? ExitCode::ok : ExitCode::failed);
  });
}

}  // namespace flowrun::cli
