// `flowrun list`: the flows of the project (name, path, image, number of commands, variables).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "flowrun/cli/commands.h"
#include "flowrun/core/exit_codes.h"
#include "flowrun/flow/discovery.h"
#include "flowrun/flow/flow_listing.h"

namespace flowrun::cli {
namespace {

struct ListArguments {
  std::string format = "text";
  std::string folder;
};

int run_list(const ListArguments& arguments) {
  std::error_code error;
  const std::filesystem::path cwd = std::filesystem::current_path(error);
  if (error) {
    std::cerr << "flowrun list: cannot tell the current directory: " << error.message() << "\n";
    return to_int(ExitCode::usage);
  }
  std::filesystem::path folder;
  if (!arguments.folder.empty()) {
    folder = std::filesystem::path(arguments.folder);
    if (!std::filesystem::is_directory(folder, error)) {
      std::cerr << "flowrun list: " << arguments.folder << " is not a folder: give the folder that holds the flows\n";
      return to_int(ExitCode::usage);
    }
  } else if (auto found = flow::find_flows_dir(cwd)) {
    folder = *found;
  } else {
    auto root = flow::find_repository_root(cwd);
    std::cerr << "flowrun list: no " << flow::flows_folder << "/ folder "
              << (root ? "in the repository at " + root->string()
                       : "at or above " + cwd.string() + " (no git repository)")
              << ": create " << flow::flows_folder << "/<name>.yaml (flowrun init), or give the folder to list\n";
    return to_int(ExitCode::usage);
  }
  auto flows = flow::list_flows(flow::list_flow_files(folder), cwd);
  if (arguments.format == "json") {
    std::cout << flow::render_flow_list_json(flows);
  } else if (flows.empty()) {
    std::cerr << "flowrun list: no .yaml or .yml file in " << folder.string() << "\n";
  } else {
    std::cout << flow::render_flow_table(flows);
  }
  return to_int(ExitCode::ok);
}

}  // namespace

void add_list_command(CLI::App& app, int& exit_code) {
  auto arguments = std::make_shared<ListArguments>();
  auto* sub =
      app.add_subcommand("list", "List the flows of the project: name, commands, image, variables, status, path");
  sub->footer(
      "Lists the .yaml and .yml files of .gitlab/duo/flows/ at the root of the git repository around the current\n"
      "directory. STATUS counts the findings of the loader and the schema; `flowrun validate` checks more.\n"
      "Exit status: 0 listed (even when some flows have errors), 2 no flows folder found.");
  sub->add_option("FOLDER", arguments->folder, "A folder of flows to list instead of the project's");
  sub->add_option("--format", arguments->format, "text: an aligned table; json: {\"flows\": [...]}")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->callback([arguments, &exit_code] { exit_code = run_list(*arguments); });
}

}  // namespace flowrun::cli
