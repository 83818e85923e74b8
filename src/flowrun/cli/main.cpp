// flowrun: validate, rehearse and run GitLab CLI-agent flows.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>

#include "flowrun/cli/commands.h"
#include "flowrun/core/exit_codes.h"
#include "flowrun/core/parent_watch.h"

int main(int argc, char** argv) {
  flowrun::stop_with_parent_if_asked();
  CLI::App app{
      "flowrun runs a GitLab CLI-agent flow (.gitlab/duo/flows/<name>.yaml) inside its CI job: validates it, runs its\n"
      "commands as GitLab Runner would, commits and pushes what the agent changed, and answers in the thread that "
      "asked.",
      "flowrun"};
  app.require_subcommand(0, 1);
  app.set_version_flag(
      "--version",
      [] {
        flowrun::cli::print_version();
        std::exit(0);
        return std::string();
      },
      "Print flowrun's version and the versions of libgit2, yaml-cpp and libcurl, then exit");
  app.footer("Run 'flowrun <command> --help' for a command's options. Exit codes are listed in the README.");

  int exit_code = flowrun::to_int(flowrun::ExitCode::ok);
  flowrun::cli::add_validate_command(app, exit_code);
  flowrun::cli::add_list_command(app, exit_code);
  flowrun::cli::add_schema_command(app, exit_code);
  flowrun::cli::add_run_command(app, exit_code);
  flowrun::cli::add_init_command(app, exit_code);
  flowrun::cli::add_start_command(app, exit_code);
  flowrun::cli::add_privileges_command(app, exit_code);
  flowrun::cli::add_agent_log_command(app, exit_code);
  flowrun::cli::add_settings_command(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return flowrun::to_int(flowrun::ExitCode::usage);
  } catch (const std::exception& e) {
    std::cerr << "flowrun: internal error: " << e.what() << "\n";
    return flowrun::to_int(flowrun::ExitCode::internal);
  }
  if (app.get_subcommands().empty()) {
    std::cout << app.help();
    return flowrun::to_int(flowrun::ExitCode::usage);
  }
  return exit_code;
}
