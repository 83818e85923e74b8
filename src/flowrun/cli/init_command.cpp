// Placeholder: replaced by the real 'init' subcommand.
#include <CLI/CLI.hpp>

#include "flowrun/cli/commands.h"
#include "flowrun/core/exit_codes.h"

namespace flowrun::cli {

void add_init_command(CLI::App& app, int& exit_code) {
  auto* sub = app.add_subcommand("init", "Not available yet");
  sub->callback([&exit_code] { exit_code = to_int(ExitCode::internal); });
}

}  // namespace flowrun::cli
