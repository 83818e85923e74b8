#include "flowrun/exec/script.h"

#include <string>

#include "flowrun/core/text.h"
#include "flowrun/exec/status_channel.h"

namespace flowrun::exec {
namespace {

// GitLab Runner's colours for the echo lines: bold green, then reset.
constexpr std::string_view kGreenFormat = R"('\033[32;1m%s\033[0;m\n')";
constexpr std::string_view kPlainFormat = R"('%s\n')";

// Status reports go to the channel with stderr silenced, so `set -x` in a command does not trace them.
// `builtin` keeps a command's functions named printf or read from taking their place.
void append_status_report(std::string& script, char tag, std::size_t index, int status_fd) {
  script += "{ builtin printf '";
  script += tag;
  script += " %d\\n' " + std::to_string(index) + " >&" + std::to_string(status_fd) + ";";
  if (tag == status::kStarted) {
    // Wait for flowrun's go-ahead; a private variable name leaves $REPLY of the commands alone.
    script += " builtin read -r -u " + std::to_string(status_fd) + " flowrun_go_ahead;";
    script += " builtin unset -v flowrun_go_ahead;";
  }
  script += " } 2>/dev/null\n";
}

}  // namespace

std::string single_quoted(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += R"('\'')";
    } else {
      quoted += c;
    }
  }
  quoted += '\'';
  return quoted;
}

std::string command_first_line(std::string_view command) { return std::string(text::first_line(text::trim(command))); }

std::string command_echo_text(std::string_view command) {
  const std::string_view trimmed = text::trim(command);
  if (trimmed.empty()) return "";
  std::string echo = "$ " + std::string(text::first_line(trimmed));
  if (trimmed.find('\n') != std::string_view::npos) echo += " # collapsed multi-line command";
  return echo;
}

std::string build_script(const std::vector<std::string>& commands, bool color, int status_fd, int script_fd) {
  const std::string status = std::to_string(status_fd);
  std::string script =
      "# The commands of a flow, run by flowrun in one bash session the way GitLab Runner runs a job's script.\n"
      "trap exit 1 TERM\n"
      "set -o pipefail\n"
      "set -o errexit\n"
      "set +o noclobber\n";
  if (script_fd >= 0) script += "exec " + std::to_string(script_fd) + "<&-\n";

  for (std::size_t index = 0; index < commands.size(); ++index) {
    const std::string& command = commands[index];
    script += "\n# command " + std::to_string(index + 1) + " of " + std::to_string(commands.size()) + "\n";
    append_status_report(script, status::kStarted, index, status_fd);
    // The echo line goes to stdout; stderr is silenced only so that `set -x` does not trace it.
    const std::string echo = command_echo_text(command);
    if (echo.empty()) {
      script += "{ builtin printf '\\n'; } 2>/dev/null\n";  // a blank command shows as an empty line, as in GitLab
    } else {
      script += "{ builtin printf ";
      script += color ? kGreenFormat : kPlainFormat;
      script += ' ' + single_quoted(echo) + "; } 2>/dev/null\n";
    }
    // The command runs without the status channel: `status_fd>&-` closes it for the command and its children.
    script += "{ eval " + single_quoted(command) + "; } " + status + ">&-\n";
    append_status_report(script, status::kFinished, index, status_fd);
  }
  return script;
}

}  // namespace flowrun::exec
