#pragma once
// The bash script GitLab Runner 19.1+ writes for a job (shells/bash.go, shells/abstract.go): a short prelude,
// then ALL commands, each after its `$ command` echo line, as one script text run by `eval` in one subshell with
// stdin from /dev/null, then `exit 0`. Because it is one text, a command ending in `\` joins the next line, a
// here-doc may run across commands, and a command's own traps and `set` options behave as in the job.
// flowrun writes the same script; the only difference is an invisible marker inside each echo line's argument
// (see command_markers.h) that tells flowrun which command started and what the one before it returned.
#include <string>
#include <string_view>
#include <vector>

namespace flowrun::exec {

// Go's strings.TrimSpace, which Runner applies to every command: Unicode white space at both ends
// (so a trailing `\r`, or spaces after a here-doc's end word, are gone).
std::string_view runner_trim(std::string_view command);

// `text` as a bash ANSI-C quoted word ($'...') that decodes to exactly the same bytes.
std::string ansi_c_quoted(std::string_view text);

// The echo text Runner prints before a command, without colour and newline: "$ make test",
// "$ for f in *; do # collapsed multi-line command", or "" for a blank command.
std::string command_echo_text(std::string_view command);

// How reports name a command: its first line that is neither blank nor a comment (trimmed); for a command
// with no such line, its first line.
std::string command_title(std::string_view command);

struct ScriptOptions {
  bool color = true;         // Runner's bold green echo lines
  std::string marker_nonce;  // empty: Runner's script exactly, with no markers
};

// The whole script, as bash gets it on its standard input.
std::string build_runner_script(const std::vector<std::string>& commands, const ScriptOptions& options);

// The script text that `eval` runs, unquoted: for people (the dry run), and what build_runner_script quotes.
std::string runner_script_body(const std::vector<std::string>& commands, const ScriptOptions& options);

// The lines around the body: bash gets prelude, then `(trap 'exit 1' TERM; eval <quoted body>) < /dev/null`,
// then `exit 0`.
extern const char* const kRunnerPrelude;

}  // namespace flowrun::exec
