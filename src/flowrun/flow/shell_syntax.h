#pragma once
// The shell text of a flow's commands, read two ways without ever running it:
//  - scan_shell(): flowrun's own light reading (simple commands, words, variable references, redirections), enough
//    for the variable, secret and known-bug checks. It never fails: odd text gives a partial scan, not an error.
//  - ShellSyntaxCheck: bash's own verdict (`bash -n`), for many flows in few processes.
// Also here: where a place in a command's text sits in the YAML file, and the small process runner the
// syntax check and shellcheck share.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/flow/diagnostic.h"
#include "flowrun/flow/flow.h"

namespace flowrun::flow {

// ---- Reading shell text ---------------------------------------------------------------------------------------

struct ShellWord {
  std::size_t offset = 0;  // first byte of the word in the text
  std::size_t end = 0;     // one past its last byte
  std::string value;       // quotes and escapes removed; expansions kept as written (`$HOME/x`)
  bool literal = true;     // no expansion or substitution inside: `value` is exactly what the command receives
};

struct VariableReference {
  std::string name;              // `HOME`, `1`, `@`
  std::size_t offset = 0;        // the `$`
  int depth = 0;                 // how many $(...), `...` or <(...) it sits in
  bool in_arithmetic = false;    // inside $((...)) or ((...))
  bool assigns_default = false;  // ${NAME:=x} / ${NAME=x}: the expansion sets NAME
};

struct Redirection {
  std::string op;    // `>`, `>>`, `>|`, `&>`, `&>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `<&`, `<>`
  int fd = 1;        // the descriptor redirected; -1 for `&>` (stdout and stderr)
  ShellWord target;  // file, descriptor, here-string, or here-document delimiter
  // For a here-document: its body, and whether `$` expands in it (unquoted delimiter).
  std::size_t body_offset = 0;
  std::size_t body_end = 0;
  bool body_expands = false;
};

struct SimpleCommand {
  std::vector<ShellWord> assignments;  // `NAME=value` words before the command name
  std::vector<ShellWord> words;        // the command name and its arguments; leading reserved words dropped
  std::vector<Redirection> redirections;
  int depth = 0;                          // how many $(...), `...` or <(...) it runs in (its output is captured)
  bool output_piped = false;              // `command | next`
  std::optional<std::size_t> pipes_into;  // index in ShellScan::commands of `next`, when it is a simple command
};

struct ShellScan {
  std::vector<SimpleCommand> commands;        // in the order they end
  std::vector<VariableReference> references;  // every variable expansion outside single quotes, in text order
  std::optional<std::size_t> unclosed_quote;  // offset of a `'`, `"` or backquote never closed
};

ShellScan scan_shell(std::string_view text);

// The words of `command` after wrappers that run another command (`sudo`, `env A=1`, `command`, `exec`, `time`,
// `nohup`): `sudo git push` gives the words from `git` on. Empty when nothing is left.
std::vector<const ShellWord*> effective_words(const SimpleCommand& command);

// ---- Positions in the flow file -------------------------------------------------------------------------------

// 1-based line and column (in characters) of `offset` inside `text`.
struct TextPoint {
  int line = 1;
  int column = 1;
};
TextPoint text_point(std::string_view text, std::size_t offset);

// Where line `line`, column `column` of the command's text is in the flow file.
SourcePosition file_position(const Flow& flow, const FlowCommand& command, int line, int column);
SourcePosition file_position(const Flow& flow, const FlowCommand& command, std::size_t offset);
// A finding about the byte at `offset` of the flow's command number `command`.
Diagnostic command_finding(const Flow& flow, std::size_t command, std::size_t offset, Severity severity,
                           std::string rule, std::string message);

// Line `line` (1-based) of `text`, without its newline; empty past the end.
std::string_view text_line(std::string_view text, int line);
// How many lines `text` has: a final newline ends the last line rather than starting one; at least 1.
int text_line_count(std::string_view text);

// The commands of a flow as one script, the way GitLab Runner runs them in one bash session, and where each
// command starts in it.
// The commands as GitLab Runner joins them into one script text: each trimmed of white space at both ends, after a
// `:` line standing for its echo line.
struct JoinedScript {
  std::string text;
  std::vector<int> first_lines;  // 1-based line of each command in `text`
  // The command holding script line `line`, and that line's number inside the command's (untrimmed) text.
  std::pair<std::size_t, int> locate(int line) const;
  std::vector<int> leading_lines;  // per command: lines the trimming removed before its text
};
JoinedScript join_commands(const Flow& flow);

// A command's text as Runner runs it (trimmed), and how many lines the trimming removed before it.
std::string_view runner_text(const FlowCommand& command, int* leading_lines = nullptr);

// ---- Running a checker program --------------------------------------------------------------------------------

struct CheckerRun {
  bool started = false;    // false: the program could not be started (`failure` says why)
  bool timed_out = false;  // killed after the time limit
  int exit_code = -1;      // when it exited on its own
  std::string out;
  std::string err;
  std::string failure;
};

// Runs `program` (an absolute path) with `args` and `input` as its standard input, and collects its output.
// No shell is involved, the environment is only LC_ALL=C, and the child is killed when `timeout` passes.
CheckerRun run_checker(const std::string& program, const std::vector<std::string>& args, std::string_view input,
                       std::chrono::milliseconds timeout);

// The absolute path of an executable found on the process's PATH.
std::optional<std::string> find_on_path(std::string_view name);

// ---- bash's own verdict ---------------------------------------------------------------------------------------

struct ShellSyntaxState;

// `shell-syntax` findings: every command must parse on its own (`bash -O extglob -n`), and all of a flow's commands
// together as one script. Flows are checked in batches; `check_batch` may run on several threads at once.
class ShellSyntaxCheck {
 public:
  explicit ShellSyntaxCheck(const std::vector<const Flow*>& flows);
  ~ShellSyntaxCheck();
  ShellSyntaxCheck(const ShellSyntaxCheck&) = delete;
  ShellSyntaxCheck& operator=(const ShellSyntaxCheck&) = delete;

  std::size_t batch_count() const;
  void check_batch(std::size_t batch);
  // After every batch was checked.
  const std::vector<Diagnostic>& findings(std::size_t flow) const;

 private:
  std::unique_ptr<ShellSyntaxState> state_;
};

}  // namespace flowrun::flow
