// `flowrun validate [PATH...]`: checks flow files and prints the findings as text, JSON or a GitLab Code Quality
// report.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "flowrun/cli/commands.h"
#include "flowrun/core/environment.h"
#include "flowrun/core/exit_codes.h"
#include "flowrun/core/terminal.h"
#include "flowrun/flow/command_checks.h"
#include "flowrun/flow/flow.h"
#include "flowrun/flow/validation.h"
#include "flowrun/flow/validation_report.h"

namespace flowrun::cli {
namespace {

struct ValidateArguments {
  std::vector<std::string> paths;
  std::string format = "text";
  bool strict = false;
  bool no_shellcheck = false;
  bool quiet = false;
};

// Standard input, read up to one byte more than a flow file may hold (the loader then reports it too large).
std::string read_stdin() {
  std::string text;
  char buffer[65536];
  while (text.size() <= flow::max_flow_file_bytes && std::cin.read(buffer, sizeof buffer).gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
  }
  return text;
}

int run_validate(const ValidateArguments& arguments) {
  std::error_code error;
  const std::filesystem::path cwd = std::filesystem::current_path(error);
  if (error) {
    std::cerr << "flowrun validate: cannot tell the current directory: " << error.message() << "\n";
    return to_int(ExitCode::usage);
  }
  flow::CollectedSources collected = flow::collect_sources(arguments.paths, cwd);
  if (!collected.error.empty()) {
    std::cerr << "flowrun validate: " << collected.error << "\n";
    return to_int(ExitCode::usage);
  }
  for (auto& source : collected.sources) {
    if (source.display_path == "<stdin>" && source.path.empty()) source.text = read_stdin();
  }

  const bool use_shellcheck = !arguments.no_shellcheck;
  if (use_shellcheck && !flow::shellcheck_available() && !arguments.quiet) {
    std::cerr << "note: shellcheck not found: shell checks limited to bash -n (install shellcheck)\n";
  }
  std::vector<flow::FileReport> reports =
      flow::validate_sources(collected.sources, flow::ValidateOptions{.use_shellcheck = use_shellcheck});
  if (arguments.quiet) flow::drop_info(reports);

  const Environment environment = Environment::from_process();
  if (arguments.format == "json") {
    std::cout << flow::render_json(reports);
  } else if (arguments.format == "codequality") {
    std::cout << flow::render_codequality(reports);
  } else {
    std::cout << flow::render_text(reports, color_enabled(STDOUT_FILENO, environment));
  }
  std::cout.flush();
  if (!arguments.quiet) std::cerr << flow::summary_line(flow::summarize(reports)) << "\n";
  return flow::validation_exit_code(reports, arguments.strict);
}

}  // namespace

void add_validate_command(CLI::App& app, int& exit_code) {
  auto arguments = std::make_shared<ValidateArguments>();
  auto* sub = app.add_subcommand("validate",
                                 "Check flow files: YAML, the keys GitLab reads, flowrun's settings, and the commands");
  sub->footer(
      "With no PATH, checks every flow of .gitlab/duo/flows/ at the root of the git repository around the current\n"
      "directory. Findings go to standard output, sorted by file, line and column; the summary line to standard\n"
      "error. Exit status: 0 no failing finding, 1 errors (or warnings with --strict), 2 nothing to check, a bad\n"
      "option, or a file that could not be read.");
  sub->add_option("PATH", arguments->paths,
                  "Flow files, folders (their .yaml and .yml files), or - for standard input");
  sub->add_option("--format", arguments->format,
                  "text: one `file:line:col: severity: message [rule]` line per finding; json: files, findings and a "
                  "summary; codequality: a GitLab Code Quality report (JSON array)")
      ->check(CLI::IsMember({"text", "json", "codequality"}))
      ->capture_default_str();
  sub->add_flag("--strict", arguments->strict, "Warnings fail too (exit status 1)");
  sub->add_flag("--no-shellcheck", arguments->no_shellcheck,
                "Do not run shellcheck on the commands (bash -n still checks their syntax)");
  sub->add_flag("--quiet", arguments->quiet,
                "Print only errors and warnings: no info findings, no summary line, no note about shellcheck");
  sub->callback([arguments, &exit_code] { exit_code = run_validate(*arguments); });
}

}  // namespace flowrun::cli
