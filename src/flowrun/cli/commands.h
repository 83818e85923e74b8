#pragma once
// One function per subcommand. Each adds its subcommand to the app; when the subcommand runs, its callback
// stores the process exit code in `exit_code`. CLI11 is included only by the .cpp files, never here.
namespace CLI {
class App;
}

namespace flowrun::cli {

void add_validate_command(CLI::App& app, int& exit_code);
void add_list_command(CLI::App& app, int& exit_code);
void add_schema_command(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
void add_init_command(CLI::App& app, int& exit_code);
void add_start_command(CLI::App& app, int& exit_code);
void add_privileges_command(CLI::App& app, int& exit_code);
void add_agent_log_command(CLI::App& app, int& exit_code);
void add_settings_command(CLI::App& app, int& exit_code);

// `flowrun --version`: flowrun's version and those of the libraries it was built with and runs with.
void print_version();

}  // namespace flowrun::cli
