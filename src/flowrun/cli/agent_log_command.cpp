// `flowrun agent-log AGENT`: the catalog flows pipe an agent CLI's JSON event stream through it. It prints each event
// as a readable line (tool calls, files edited, retries, the final usage) so the job log shows the agent working, and
// keeps the raw stream for `flowrun run` to read the agent's answer from when the commands end.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "flowrun/agent/agent_files.h"
#include "flowrun/agent/event_stream.h"
#include "flowrun/agent/stop_writers.h"
#include "flowrun/cli/commands.h"
#include "flowrun/core/environment.h"
#include "flowrun/core/exit_codes.h"
#include "flowrun/log/masker.h"
#include "flowrun/log/secret_set.h"

namespace flowrun::cli {

namespace {

struct AgentLogOptions {
  std::string agent;
  std::string events_file;
};

// The masker flowrun run uses for the same job: the variables it masks (named by flowrun run) and secret-looking names.
log::Masker job_masker() {
  Environment env = Environment::from_process();
  std::vector<std::string> names;
  std::string listed = env.get(agent::kMaskedVariablesVariable).value_or("");
  for (std::size_t start = 0; start < listed.size();) {
    std::size_t comma = std::min(listed.find(',', start), listed.size());
    if (comma > start) names.push_back(listed.substr(start, comma - start));
    start = comma + 1;
  }
  return log::Masker(log::collect_secrets(env, names, /*forced_masked=*/names).values);
}

int run_agent_log(const AgentLogOptions& options) {
  auto stream = agent::make_event_stream(options.agent);
  if (!stream) {
    std::cerr << "flowrun agent-log: no reader for agent '" << options.agent << "'; choose one of:";
    for (const auto& known : agent::known_agents()) std::cerr << " " << known;
    std::cerr << "\n";
    return to_int(ExitCode::usage);
  }
  std::filesystem::path events_path = options.events_file;
  if (events_path.empty()) {
    if (const char* dir = std::getenv(agent::kArtifactsDirVariable); dir && *dir) {
      events_path = agent::events_file(dir, options.agent);
    }
  }
  std::ofstream events;
  if (!events_path.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(events_path.parent_path(), ec);
    events.open(events_path, std::ios::binary | std::ios::trunc);
    if (!events) {
      std::cerr << "flowrun agent-log: cannot write " << events_path.string()
                << "; the agent's answer will be missing from the note\n";
    }
  }
  // Masked before anything is cut short or written: JSON-escaped forms are masked too, so the event stays JSON.
  const log::Masker masker = job_masker();
  std::string line;
  while (std::getline(std::cin, line)) {
    line = masker.mask(line);
    if (events) events << line << '\n' << std::flush;
    for (const auto& progress : stream->feed_line(line)) std::cout << progress << '\n';
    std::cout.flush();
    if (stream->hopeless()) {
      // The CLI would retry for minutes: end it (it ignores a closed pipe); the failure ends the command (pipefail).
      std::cout << "[" << options.agent << "] stopping the agent: " << stream->finish().stopped_early << std::endl;
      agent::stop_stdin_writers();
      return to_int(ExitCode::failed);
    }
  }
  agent::AgentResult result = stream->finish();
  if (!result.finished) std::cout << "[" << options.agent << "] " << result.stopped_early << std::endl;
  return to_int(ExitCode::ok);
}

}  // namespace

void add_agent_log_command(CLI::App& app, int& exit_code) {
  static AgentLogOptions o;
  auto* sub = app.add_subcommand(
      "agent-log",
      "Read an agent CLI's JSON event stream on stdin, print it as readable progress lines, and keep it "
      "for the note (pipe the CLI into it)");
  sub->add_option("agent", o.agent, "The CLI that writes the stream: claude, codex, gemini or opencode")->required();
  sub->add_option("--events-file", o.events_file,
                  "Keep the raw stream here (default: $FLOWRUN_ARTIFACTS_DIR/agent-AGENT.jsonl under flowrun run)");
  sub->footer(
      "Example: claude --print \"$prompt\" --output-format stream-json --verbose | flowrun agent-log claude\n"
      "Exit status: 0 (the pipeline's status is the CLI's, under pipefail), 2 unknown agent.");
  sub->callback([&exit_code] { exit_code = run_agent_log(o); });
}

}  // namespace flowrun::cli
