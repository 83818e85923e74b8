#include "test_flows.h"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace flowrun::flow::testing {
namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::size_t leading_spaces(std::string_view text) {
  std::size_t count = 0;
  while (count < text.size() && text[count] == ' ') ++count;
  return count;
}

FlowCommand command_from(const YAML::Node& node, const std::string& yaml, const std::vector<std::string>& lines) {
  FlowCommand command;
  command.text = node.as<std::string>();
  const YAML::Mark mark = node.Mark();
  command.position.line = mark.line + 1;
  command.position.column = mark.column + 1;
  const char first = static_cast<std::size_t>(mark.pos) < yaml.size() ? yaml[static_cast<std::size_t>(mark.pos)] : '\0';
  command.is_block_scalar = first == '|' || first == '>';
  if (!command.is_block_scalar) {
    command.first_line = mark.line + 1;
    command.first_column = mark.column + 1 + ((first == '"' || first == '\'') ? 1 : 0);
    return command;
  }
  // The text starts on the line after the indicator, at the block's indentation.
  command.first_line = mark.line + 2;
  command.first_column = 1;
  std::istringstream text(command.text);
  int index = 0;
  for (std::string text_line; std::getline(text, text_line); ++index) {
    if (text_line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string& file_line = lines.at(static_cast<std::size_t>(command.first_line - 1 + index));
    command.first_column = static_cast<int>(leading_spaces(file_line) - leading_spaces(text_line)) + 1;
    break;
  }
  return command;
}

}  // namespace

Flow flow_from_yaml(const std::string& yaml, const std::string& display_path) {
  const YAML::Node root = YAML::Load(yaml);
  const auto lines = split_lines(yaml);
  Flow flow;
  flow.display_path = display_path;
  flow.name = std::filesystem::path(display_path).stem().string();
  if (root["image"]) flow.image.value = root["image"].as<std::string>();
  for (const auto& item : root["commands"]) flow.commands.push_back(command_from(item, yaml, lines));
  for (const auto& item : root["variables"]) {
    Located<std::string> variable;
    variable.value = item.as<std::string>();
    variable.position = {display_path, item.Mark().line + 1, item.Mark().column + 1};
    flow.variables.push_back(variable);
  }
  return flow;
}

Flow flow_from_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  Flow flow = flow_from_yaml(text.str(), path.filename().string());
  flow.path = path;
  return flow;
}

Flow flow_of(const std::vector<std::string>& commands, const std::vector<std::string>& variables) {
  std::string yaml = "image: node:22-slim\ncommands:\n";
  for (const auto& command : commands) {
    yaml += "  - |\n";
    std::istringstream in(command);
    for (std::string line; std::getline(in, line);) yaml += line.empty() ? "\n" : "    " + line + "\n";
  }
  if (!variables.empty()) {
    yaml += "variables:\n";
    for (const auto& variable : variables) yaml += "  - " + variable + "\n";
  }
  return flow_from_yaml(yaml);
}

std::vector<Diagnostic> check(const Flow& flow, bool use_shellcheck) {
  CommandCheckOptions options;
  options.use_shellcheck = use_shellcheck;
  return check_commands({&flow}, options).at(0);
}

std::vector<Diagnostic> with_rule(const std::vector<Diagnostic>& diagnostics, std::string_view rule) {
  std::vector<Diagnostic> result;
  for (const auto& diagnostic : diagnostics) {
    if (diagnostic.rule == rule) result.push_back(diagnostic);
  }
  return result;
}

std::vector<std::string> places(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> result;
  for (const auto& diagnostic : diagnostics) {
    result.push_back(std::to_string(diagnostic.position.line) + ":" + std::to_string(diagnostic.position.column));
  }
  return result;
}

std::string describe(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& diagnostic : diagnostics) out += format_text(diagnostic) + "\n";
  return out;
}

std::filesystem::path unique_temp_path(std::string_view stem) {
  static std::atomic<int> counter{0};
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  return std::filesystem::temp_directory_path() / (std::string(stem) + "-" + std::to_string(::getpid()) + "-" +
                                                   std::to_string(now) + "-" + std::to_string(counter++));
}

}  // namespace flowrun::flow::testing
