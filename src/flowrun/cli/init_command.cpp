// `flowrun init AGENT`: writes a catalog flow into a project and says what is left to set up in GitLab.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "flowrun/catalog/catalog.h"
#include "flowrun/cli/commands.h"
#include "flowrun/core/build_info.h"
#include "flowrun/core/exit_codes.h"

namespace flowrun::cli {

namespace {

namespace fs = std::filesystem;

struct InitOptions {
  std::string agent;
  std::string dir;
  std::string image;
  std::string agent_version;
  bool force = false;
  bool list = false;
};

// The repository root above `start` (a folder holding .git), or `start` itself outside a repository.
fs::path project_root(const fs::path& start) {
  for (fs::path dir = start; !dir.empty(); dir = dir.parent_path()) {
    std::error_code ec;
    if (fs::exists(dir / ".git", ec)) return dir;
    if (dir == dir.parent_path()) break;
  }
  return start;
}

// The catalog files start with a comment block listing each variable ("#   NAME   what it is").
std::vector<std::pair<std::string, std::string>> documented_variables(std::string_view yaml) {
  std::vector<std::pair<std::string, std::string>> variables;
  static const std::regex line_pattern(R"(^#\s{3}([A-Z_][A-Z0-9_]*)\s+(.+)$)");
  std::istringstream in{std::string(yaml)};
  std::string line;
  std::smatch match;
  while (std::getline(in, line) && line.starts_with('#')) {
    if (std::regex_match(line, match, line_pattern)) variables.emplace_back(match[1], match[2]);
  }
  return variables;
}

std::string image_of(const std::string& yaml) {
  static const std::regex image_line(R"((?:^|\n)image: ([^\n]*))");
  std::smatch match;
  return std::regex_search(yaml, match, image_line) ? match[1].str() : std::string("the flow's image");
}

std::string with_image(const std::string& yaml, const std::string& image) {
  static const std::regex image_line(R"((^|\n)image: [^\n]*)");
  return std::regex_replace(yaml, image_line, "$1image: " + image, std::regex_constants::format_first_only);
}

// The handoff's npm package (`npx --yes flowrun@X.Y.Z run`) pinned to this flowrun's own version: the flow hands its
// job to the flowrun that wrote it.
std::string with_own_version(std::string yaml) {
  static const std::regex handoff(R"(\bnpx [^\n]*?\bflowrun@([0-9][0-9A-Za-z.+-]*) run\b)");
  std::smatch match;
  if (std::regex_search(yaml, match, handoff)) {
    yaml.replace(static_cast<std::size_t>(match.position(1)), static_cast<std::size_t>(match.length(1)),
                 build_info::version);
  }
  return yaml;
}

// The pinned agent CLI (`npm install ... PACKAGE@X.Y.Z`) moved to `version`; nullopt when the flow installs no
// pinned npm package.
std::optional<std::string> with_agent_version(const std::string& yaml, const std::string& version) {
  static const std::regex pinned(R"((npm install [^\n]*?(?:@[a-z0-9._-]+/)?[a-z0-9._-]+)@[0-9][0-9A-Za-z.+-]*)");
  if (!std::regex_search(yaml, pinned)) return std::nullopt;
  return std::regex_replace(yaml, pinned, "$1@" + version, std::regex_constants::format_first_only);
}

int list_agents() {
  for (const auto& flow : catalog::flows()) std::cout << flow.name << "\t" << flow.title << "\n";
  return to_int(ExitCode::ok);
}

int write_flow(const InitOptions& options) {
  auto flow = catalog::find(options.agent);
  if (!flow) {
    std::cerr << "flowrun init: no catalog flow named '" << options.agent << "'; choose one of:";
    for (const auto& known : catalog::flows()) std::cerr << " " << known.name;
    std::cerr << " (flowrun init --list)\n";
    return to_int(ExitCode::usage);
  }
  if (!options.image.empty() && options.image.find_first_of("\n\r") != std::string::npos) {
    std::cerr << "flowrun init: --image must be a single line\n";
    return to_int(ExitCode::usage);
  }
  fs::path dir = options.dir.empty() ? project_root(fs::current_path()) / ".gitlab/duo/flows" : fs::path(options.dir);
  fs::path target = dir / (std::string(flow->name) + ".yaml");
  std::error_code ec;
  if (fs::exists(target, ec) && !options.force) {
    std::cerr << "flowrun init: " << target.string()
              << " already exists; nothing was written (use --force to overwrite it)\n";
    return to_int(ExitCode::usage);
  }
  fs::create_directories(dir, ec);
  if (ec) {
    std::cerr << "flowrun init: cannot create " << dir.string() << ": " << ec.message() << "\n";
    return to_int(ExitCode::usage);
  }
  std::string yaml = with_own_version(std::string(flow->yaml));
  if (!options.image.empty()) yaml = with_image(yaml, options.image);
  if (!options.agent_version.empty()) {
    static const std::regex version_pattern(R"([0-9][0-9A-Za-z.+-]*)");
    if (!std::regex_match(options.agent_version, version_pattern)) {
      std::cerr << "flowrun init: --agent-version takes a version such as 2.1.332, not '" << options.agent_version
                << "'\n";
      return to_int(ExitCode::usage);
    }
    auto moved = with_agent_version(yaml, options.agent_version);
    if (!moved) {
      std::cerr << "flowrun init: the " << flow->name << " flow installs no pinned npm package, so --agent-version "
                << "does not apply (its CLI comes with the image)\n";
      return to_int(ExitCode::usage);
    }
    yaml = *moved;
  }
  {
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out << yaml;
    if (!out) {
      std::cerr << "flowrun init: cannot write " << target.string() << "\n";
      return to_int(ExitCode::usage);
    }
  }
  fs::path relative = fs::relative(target, project_root(fs::absolute(dir)), ec);
  std::string config_path = ec || relative.empty() ? target.string() : relative.string();
  std::cout << "Wrote " << target.string() << " (" << flow->title << ").\n\n"
            << "Still to set up in GitLab (see the README, \"Using flowrun in a GitLab project\"):\n"
            << "1. A service account for the agent, with a personal access token (scopes api, write_repository,\n"
            << "   ai_features), added to the project with the Developer role.\n"
            << "2. CI/CD variables (Settings > CI/CD > Variables: masked, not protected, \"Expand variable\n"
            << "   reference\" cleared):\n";
  for (const auto& [name, what] : documented_variables(flow->yaml))
    std::cout << "     " << name << "  " << what << "\n";
  std::cout << "3. A flow trigger (Automate > Flow triggers > Create flow trigger): event type Mention, the service\n"
            << "   account, config path " << config_path << "\n"
            << "No image to build: the job runs in " << image_of(yaml) << " and its first command fetches flowrun "
            << build_info::version << " from npm.\n"
            << "To skip the agent's install at every job, build an image with the agent inside (docker/README.md)\n"
            << "and pass its name with --image.\n"
            << "Check the file with: flowrun validate " << config_path << "\n";
  return to_int(ExitCode::ok);
}

}  // namespace

void add_init_command(CLI::App& app, int& exit_code) {
  static InitOptions o;
  auto* sub = app.add_subcommand("init", "Write a catalog flow for an agent into the project (.gitlab/duo/flows/)");
  sub->add_option("agent", o.agent, "The agent: claude, codex, opencode, amazon_q or gemini (see --list)");
  sub->add_option("--dir", o.dir, "Write into this folder (default: .gitlab/duo/flows at the repository's root)");
  sub->add_option(
      "--image", o.image,
      "Use this container image instead of the catalog's stock Node image (e.g. one with the agent's CLI inside)");
  sub->add_option("--agent-version", o.agent_version,
                  "Install this version of the agent's CLI instead of the catalog's pinned one (e.g. 2.1.340)");
  sub->add_flag("--force", o.force, "Overwrite the flow file if it exists");
  sub->add_flag("--list", o.list, "List the catalog's agents and exit");
  sub->footer(
      "Exit status: 0 written (or listed), 2 unknown agent, the file exists (without --force), or it could "
      "not be written.");
  sub->callback([&exit_code] {
    if (o.list) {
      exit_code = list_agents();
      return;
    }
    if (o.agent.empty()) {
      std::cerr << "flowrun init: name an agent (flowrun init --list shows them)\n";
      exit_code = to_int(ExitCode::usage);
      return;
    }
    exit_code = write_flow(o);
  });
}

}  // namespace flowrun::cli
