#include "flowrun/exec/runner_script.h"

#include "flowrun/core/text.h"
#include "flowrun/exec/command_markers.h"

namespace flowrun::exec {
namespace {

constexpr std::string_view kGreen = "\x1b[32;1m";
constexpr std::string_view kReset = "\x1b[0;m";

std::string_view first_line_of(std::string_view text) { return text.substr(0, text.find('\n')); }

std::string_view ascii_trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\v\f");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t\r\v\f") - begin + 1);
}

}  // namespace

std::string_view runner_trim(std::string_view command) { return text::trim_go_space(command); }

std::string ansi_c_quoted(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string quoted = "$'";
  quoted.reserve(text.size() + 8);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '\\':
        quoted += "\\\\";
        break;
      case '\'':
        quoted += "\\'";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\t':
        quoted += "\\t";
        break;
      case '\r':
        quoted += "\\r";
        break;
      default:
        if (byte < 0x20 || byte == 0x7F) {
          // Always two hex digits, so a hex digit that follows is not taken into the escape.
          quoted += "\\x";
          quoted += kHex[byte >> 4];
          quoted += kHex[byte & 0xF];
        } else {
          quoted += c;
        }
    }
  }
  quoted += '\'';
  return quoted;
}

std::string command_echo_text(std::string_view command) {
  const std::string_view trimmed = runner_trim(command);
  if (trimmed.empty()) return "";
  std::string echo = "$ " + std::string(first_line_of(trimmed));
  if (trimmed.find('\n') != std::string_view::npos) echo += " # collapsed multi-line command";
  return echo;
}

std::string command_title(std::string_view command) {
  const std::string_view trimmed = runner_trim(command);
  std::string_view rest = trimmed;
  while (!rest.empty()) {
    const std::size_t newline = rest.find('\n');
    const std::string_view line = ascii_trim(rest.substr(0, newline));
    if (!line.empty() && line.front() != '#') return std::string(line);
    if (newline == std::string_view::npos) break;
    rest.remove_prefix(newline + 1);
  }
  return std::string(ascii_trim(first_line_of(trimmed)));
}

const char* const kRunnerPrelude =
    "trap 'exit 1' TERM\n"
    "set -o pipefail\n"
    "set -o errexit\n"
    "set +o noclobber\n";

std::string runner_script_body(const std::vector<std::string>& commands, const ScriptOptions& options) {
  std::string body;
  for (std::size_t index = 0; index < commands.size(); ++index) {
    const std::string_view command = runner_trim(commands[index]);
    std::string echo = command_echo_text(command);
    if (!echo.empty() && options.color) echo = std::string(kGreen) + echo + std::string(kReset);
    // Runner writes a bare `echo` for a blank command; with a marker the echo has an argument all the same.
    body += "echo";
    if (!options.marker_nonce.empty() || !echo.empty()) body += ' ';
    if (!options.marker_nonce.empty()) body += marker_word_prefix(options.marker_nonce, index);
    if (!echo.empty()) body += ansi_c_quoted(echo);
    body += '\n';
    body += command;
    body += '\n';
  }
  return body;
}

std::string build_runner_script(const std::vector<std::string>& commands, const ScriptOptions& options) {
  std::string script = kRunnerPrelude;
  script += "(trap 'exit 1' TERM; eval ";
  script += ansi_c_quoted(runner_script_body(commands, options));
  script += ") < /dev/null\nexit 0\n";
  return script;
}

}  // namespace flowrun::exec
