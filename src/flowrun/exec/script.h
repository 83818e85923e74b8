#pragma once
// The bash text of a session: GitLab Runner's prelude, then for each command a report on the status channel,
// the `$ command` echo line and the command itself, run through eval of a single-quoted copy so that its text,
// quoting and line structure reach bash exactly as written. Only the flow's commands go into the text; values
// such as $AI_FLOW_INPUT reach bash through its environment and never become part of the script.
#include <string>
#include <string_view>
#include <vector>

namespace flowrun::exec {

// `status_fd`: the status channel's descriptor in bash (see status_channel.h).
// `script_fd`: the descriptor bash reads this text from, closed by the prelude so commands do not inherit it;
// -1 when the text reaches bash another way.
std::string build_script(const std::vector<std::string>& commands, bool color, int status_fd, int script_fd = -1);

// The first line of a command as GitLab Runner shows it (surrounding whitespace removed).
std::string command_first_line(std::string_view command);

// The echo line printed before a command, without colour and without the newline:
// "$ make test", "$ for f in *; do # collapsed multi-line command", or "" for a blank command.
std::string command_echo_text(std::string_view command);

// `text` as one bash word between single quotes: 'it'\''s'.
std::string single_quoted(std::string_view text);

}  // namespace flowrun::exec
