#pragma once
// Runs a flow's command list the way GitLab Runner 19 runs a job's script: Runner's own script text (see
// runner_script.h) fed to bash on its standard input, as the Docker executor does. Adds what a runner leaves to its
// executor: per-command results read from markers in the output (see command_markers.h), a timeout and
// cancellation that stop the whole process tree (SIGTERM to the process group and the processes that left it, a
// grace period, then SIGKILL), the end of whatever the commands left running once bash exits (as when a step's
// container stops), and output streamed with bounded memory.
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

inline constexpr const char* kRunnerBash = "bash";

struct SessionOptions {
  std::vector<std::string> commands;               // the flow's commands, verbatim (multi-line ones too)
  std::map<std::string, std::string> environment;  // the complete environment of bash (nothing inherited)
  std::filesystem::path workdir;
  std::chrono::milliseconds timeout{0};                            // 0 = none
  std::chrono::milliseconds kill_grace{std::chrono::seconds(10)};  // SIGTERM -> SIGKILL on timeout or cancel
  // SIGTERM -> SIGKILL for what the commands left running after bash exited: short, as in a container whose
  // step has ended, where they would be gone at once.
  std::chrono::milliseconds leftover_grace{std::chrono::milliseconds(500)};
  // Complete lines are handed on as they arrive; an unfinished last line (a prompt, a progress bar) waits at most
  // this long for its end before it is handed on as it is. 0 hands every read on at once.
  std::chrono::milliseconds output_flush_interval{std::chrono::milliseconds(200)};
  bool color = false;  // green `$ command` echo lines
  // The default, kRunnerBash, is found as GitLab Runner finds it (/usr/local/bin, /usr/bin, /bin, then PATH);
  // another name without a slash is looked up on the PATH of `environment`.
  std::string bash_path = kRunnerBash;
  // Raw bytes of stdout and stderr (one pipe, so in the order written), called from the thread that called
  // run_session. Holds no reference to the bytes after it returns.
  std::function<void(std::string_view)> on_output;
  // Optional; called from the same thread as on_output, after all output written before the command's
  // `$ command` echo line and before that line.
  std::function<void(std::size_t index)> on_command_start;
};

// failed_ignored: the command returned non-zero, yet the shell went on to the next one (errexit off, `! cmd`,
// a condition): as in GitLab Runner, that is not a failure of the job.
enum class CommandState { not_run, succeeded, failed, failed_ignored, interrupted };

struct CommandResult {
  std::size_t index = 0;
  std::string first_line;  // its first line that is neither blank nor a comment
  CommandState state = CommandState::not_run;
  // For a failed or interrupted command: the code bash exited with, or -1 when bash itself was killed by a signal.
  // For failed_ignored: the status it returned.
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
  // The last command seen starting. When bash's status comes from elsewhere (a command's EXIT trap, `exit` in a
  // function, a here-doc that swallowed later commands), this is the command the status is attributed to.
  std::optional<std::size_t> last_seen_index;
  int shell_exit_code = -1;  // as waitpid reported it: -1 when bash was killed by a signal or never ran
  int shell_signal = 0;
  std::chrono::milliseconds duration{0};
  // Why the session failed to start, or what else went wrong (e.g. bash failed after the last command).
  std::string error;
  bool shell_exited_early = false;  // bash ended with 0 before the last command started (e.g. `exit 0`)
};

// Runs the commands and returns when bash has exited and its output was read to the end (or, when something
// that left the session keeps the output open, shortly after). Never throws for anything the commands do;
// exceptions from the callbacks propagate after the session's processes have been killed.
// Process-wide effects: an ignored SIGCHLD is reset to its default (the kernel would discard bash's exit status
// otherwise), and once bash is collected, orphans adopted by flowrun are reaped (see reaper.h), so do not run
// two sessions at once in one process that adopts orphans.
SessionResult run_session(const SessionOptions& options, const CancellationToken& cancel);

}  // namespace flowrun::exec
