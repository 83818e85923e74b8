#pragma once
// Runs a flow's command list the way GitLab Runner runs a job's script: one bash process for all commands
// (so export, cd, functions and variables carry over), `$ command` echo lines, errexit and pipefail, empty stdin,
// the first failing command ends the session. Adds what a runner leaves to its executor: a status channel the
// commands cannot write to, a timeout and cancellation that stop the whole process tree (SIGTERM to the process
// group and the processes that left it, a grace period, then SIGKILL), and output streamed with bounded memory.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/exec/cancellation.h"

namespace flowrun::exec {

struct SessionOptions {
  std::vector<std::string> commands;               // the flow's commands, verbatim (multi-line ones too)
  std::map<std::string, std::string> environment;  // the complete environment of bash (nothing inherited)
  std::filesystem::path workdir;
  std::chrono::milliseconds timeout{0};                            // 0 = none
  std::chrono::milliseconds kill_grace{std::chrono::seconds(10)};  // SIGTERM -> SIGKILL
  // Complete lines are handed on as they arrive; an unfinished last line (a prompt, a progress bar) waits at most
  // this long for its end before it is handed on as it is. 0 hands every read on at once.
  std::chrono::milliseconds output_flush_interval{std::chrono::milliseconds(200)};
  bool color = false;              // green `$ command` echo lines
  std::string bash_path = "bash";  // looked up on the PATH of `environment` if it has no slash
  // Raw bytes of stdout and stderr (one pipe, so in the order written), called from the thread that called
  // run_session. Holds no reference to the bytes after it returns.
  std::function<void(std::string_view)> on_output;
  // Optional; called from the same thread as on_output, after all output written before the command and
  // before its `$ command` echo line.
  std::function<void(std::size_t index)> on_command_start;
};

enum class CommandState { not_run, succeeded, failed, interrupted };

struct CommandResult {
  std::size_t index = 0;
  std::string first_line;  // as in the echo line, without "$ "
  CommandState state = CommandState::not_run;
  // For a failed or interrupted command: the code bash exited with, or -1 when bash itself was killed by a signal.
  int exit_code = 0;
  // The signal that ended the command: the one that killed bash, or n when bash exited with 128+n (which is how
  // bash reports a command killed by signal n; an explicit `exit 137` reads the same). 0 otherwise.
  int signal = 0;
  std::chrono::milliseconds duration{0};
};

enum class SessionOutcome { succeeded, command_failed, timed_out, cancelled, failed_to_start };

struct SessionResult {
  SessionOutcome outcome = SessionOutcome::failed_to_start;
  std::vector<CommandResult> commands;  // one per command, in order
  std::optional<std::size_t> failed_index;
  int shell_exit_code = -1;  // as waitpid reported it: -1 when bash was killed by a signal or never ran
  int shell_signal = 0;
  std::chrono::milliseconds duration{0};
  // Why the session failed to start, or what else went wrong (e.g. bash failed after the last command).
  std::string error;
  bool shell_exited_early = false;  // a command ran `exit` (e.g. exit 0): later commands did not run
};

// Runs the commands and returns when bash has exited and its output was read to the end (or, when something
// that left the session keeps the output open, shortly after). Never throws for anything the commands do;
// exceptions from the callbacks propagate after the session's processes have been killed.
// Process-wide effects: an ignored SIGCHLD is reset to its default (the kernel would discard bash's exit status
// otherwise), and once bash is collected, orphans adopted by flowrun are reaped (see reaper.h), so do not run
// two sessions at once in one process that adopts orphans.
SessionResult run_session(const SessionOptions& options, const CancellationToken& cancel);

}  // namespace flowrun::exec
