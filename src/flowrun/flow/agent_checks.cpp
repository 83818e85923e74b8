#include "flowrun/flow/agent_checks.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace flowrun::flow {
namespace {

struct AgentCli {
  std::string_view program;       // the command's name
  std::string_view subcommand;    // the headless subcommand, or "" when a flag makes it headless
  std::string_view package;       // its npm package
  std::string_view reader;        // `flowrun agent-log READER`
  std::string_view machine_mode;  // the flags that make it print the event stream agent-log reads
};

constexpr std::array<AgentCli, 4> kAgents{{
    {"claude", "", "@anthropic-ai/claude-code", "claude", "--output-format stream-json --verbose"},
    {"codex", "exec", "@openai/codex", "codex", "--json"},
    {"gemini", "", "@google/gemini-cli", "gemini", "--output-format stream-json"},
    {"opencode", "run", "opencode-ai", "opencode", "--format json"},
}};

struct RemovedFlag {
  std::string_view program;
  std::string_view flag;
  std::string_view instead;
};

constexpr std::array<RemovedFlag, 1> kRemovedFlags{{
    {"codex", "--full-auto",
     "`--sandbox workspace-write` (edits in the work tree, commands sandboxed) or, in a job container that is the "
     "sandbox, `--dangerously-bypass-approvals-and-sandbox`"},
}};

std::string_view base_name(std::string_view program) {
  auto slash = program.rfind('/');
  return slash == std::string_view::npos ? program : program.substr(slash + 1);
}

const AgentCli* agent_of(const std::vector<const ShellWord*>& words) {
  if (words.empty()) return nullptr;
  for (const auto& agent : kAgents) {
    if (base_name(words[0]->value) == agent.program) return &agent;
  }
  return nullptr;
}

// The value of `--name VALUE`, `--name=VALUE` or `-s VALUE`; "" when the option is there without a value we can read;
// nullopt when it is absent.
std::optional<std::string> option_value(const std::vector<const ShellWord*>& words, std::string_view name,
                                        std::string_view short_name = "") {
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string& word = words[i]->value;
    if (word == name || (!short_name.empty() && word == short_name)) {
      return i + 1 < words.size() ? words[i + 1]->value : std::string();
    }
    if (word.starts_with(std::string(name) + "=")) return word.substr(name.size() + 1);
  }
  return std::nullopt;
}

bool has_word(const std::vector<const ShellWord*>& words, std::string_view value) {
  return std::any_of(words.begin() + 1, words.end(), [value](const ShellWord* word) { return word->value == value; });
}

// Whether this call runs the agent on a task (rather than `--version`, `--help`, `login`, `mcp ...`).
bool runs_a_task(const AgentCli& agent, const std::vector<const ShellWord*>& words) {
  if (has_word(words, "--version") || has_word(words, "-v") || has_word(words, "--help") || has_word(words, "-h")) {
    return false;
  }
  if (!agent.subcommand.empty()) return words.size() > 1 && words[1]->value == agent.subcommand;
  if (agent.program == "claude") return has_word(words, "--print") || has_word(words, "-p");
  return has_word(words, "--prompt") || has_word(words, "-p");  // gemini's headless mode
}

// The machine-readable mode the CLI is in, as flowrun's reader needs it.
bool in_machine_mode(const AgentCli& agent, const std::vector<const ShellWord*>& words) {
  if (agent.program == "claude") {
    return option_value(words, "--output-format") == "stream-json" && has_word(words, "--verbose");
  }
  if (agent.program == "codex") return has_word(words, "--json");
  if (agent.program == "gemini") return option_value(words, "--output-format", "-o") == "stream-json";
  return option_value(words, "--format") == "json";
}

bool pipes_into_agent_log(const ShellScan& scan, const SimpleCommand& command) {
  if (!command.pipes_into) return false;
  const auto next = effective_words(scan.commands[*command.pipes_into]);
  return next.size() >= 2 && base_name(next[0]->value) == "flowrun" && next[1]->value == "agent-log";
}

class AgentChecks {
 public:
  AgentChecks(const Flow& flow, const std::vector<ShellScan>& scans, std::vector<Diagnostic>& findings)
      : flow_(flow), findings_(findings) {
    for (const auto& command : flow.commands) {
      if (command.text.find("FLOWRUN_ANSWER_FILE") != std::string::npos) uses_answer_file_ = true;
      if (command.text.find("GEMINI_CLI_TRUST_WORKSPACE=true") != std::string::npos) gemini_trusted_ = true;
    }
    // `flowrun run` among the commands (the handoff): then flowrun writes the note this answer is for.
    for (const auto& scan : scans) {
      for (const auto& simple : scan.commands) {
        const auto words = effective_words(simple);
        if (words.size() >= 2 && base_name(words[0]->value) == "flowrun" && words[1]->value == "run") {
          run_by_flowrun_ = true;
        }
      }
    }
  }

  void check_command(std::size_t index, const ShellScan& scan) {
    for (const auto& simple : scan.commands) {
      const auto words = effective_words(simple);
      check_install(index, words);
      const AgentCli* agent = agent_of(words);
      if (!agent) continue;
      check_removed_flags(index, *agent, words);
      if (!runs_a_task(*agent, words)) continue;
      if (agent->program == "gemini") check_trust(index, words);
      check_answer(index, *agent, words, pipes_into_agent_log(scan, simple));
    }
  }

 private:
  void add(std::size_t command, std::size_t offset, Severity severity, const char* rule, std::string message) {
    findings_.push_back(command_finding(flow_, command, offset, severity, rule, std::move(message)));
  }

  void check_removed_flags(std::size_t index, const AgentCli& agent, const std::vector<const ShellWord*>& words) {
    for (const auto& removed : kRemovedFlags) {
      if (removed.program != agent.program) continue;
      for (const ShellWord* word : words) {
        if (word->value != removed.flag) continue;
        add(index, word->offset, Severity::error, "agent-removed-flag",
            "`" + std::string(agent.program) + "` no longer has `" + std::string(removed.flag) +
                "`: it stops at once with \"unexpected argument\" (exit 2). Use " + std::string(removed.instead) + ".");
      }
    }
  }

  void check_trust(std::size_t index, const std::vector<const ShellWord*>& words) {
    if (gemini_trusted_ || has_word(words, "--skip-trust")) return;
    add(index, words[0]->offset, Severity::error, "agent-untrusted-folder",
        "Gemini CLI refuses to work in a folder it has not been told to trust, and a job's checkout is always new: it "
        "stops with exit 55. Add `--skip-trust` (or export GEMINI_CLI_TRUST_WORKSPACE=true before it).");
  }

  void check_install(std::size_t index, const std::vector<const ShellWord*>& words) {
    if (words.size() < 3 || base_name(words[0]->value) != "npm") return;
    const std::string& verb = words[1]->value;
    if (verb != "install" && verb != "i" && verb != "add" && verb != "in") return;
    for (std::size_t i = 2; i < words.size(); ++i) {
      const std::string& spec = words[i]->value;
      for (const auto& agent : kAgents) {
        if (!spec.starts_with(agent.package)) continue;
        std::string_view version = std::string_view(spec).substr(agent.package.size());
        if (!version.empty() && !version.starts_with("@")) continue;  // another package with a longer name
        if (version.size() > 1) version.remove_prefix(1);
        const bool exact = !version.empty() && version.front() >= '0' && version.front() <= '9' &&
                           version.find_first_of("^~<>=*x| ") == std::string_view::npos;
        if (exact) continue;
        add(index, words[i]->offset, Severity::warning, "agent-unpinned-install",
            "`" + spec +
                "` is not pinned to a version: each run installs whatever is newest (or, on an old Node, "
                "an older release npm still accepts), so the flags this flow uses can vanish overnight. Pin it, e.g. "
                "`" +
                std::string(agent.package) + "@X.Y.Z` (`npm view " + std::string(agent.package) +
                " version`), and move the pin on purpose (`flowrun init " + std::string(agent.reader) +
                " --force --agent-version X.Y.Z`).");
      }
    }
  }

  void check_answer(std::size_t index, const AgentCli& agent, const std::vector<const ShellWord*>& words, bool piped) {
    const std::string reader(agent.reader);
    if (piped && !in_machine_mode(agent, words)) {
      add(index, words[0]->offset, Severity::warning, "agent-output-format",
          "`flowrun agent-log " + reader + "` reads the event stream of `" + std::string(agent.program) + " " +
              std::string(agent.machine_mode) +
              "`, but this call is not in that mode: the job log shows its output "
              "as it is and the note loses the agent's answer and usage. Add `" +
              std::string(agent.machine_mode) + "`.");
      return;
    }
    if (piped || uses_answer_file_ || !run_by_flowrun_) return;
    add(index, words[0]->offset, Severity::warning, "agent-answer-lost",
        "The agent's answer never reaches flowrun, so the note can only show the last lines of output (and the job log "
        "stays silent until the agent ends). Run it in its machine-readable mode and pipe it into flowrun: `" +
            std::string(agent.program) + (agent.subcommand.empty() ? "" : " " + std::string(agent.subcommand)) +
            " ... " + std::string(agent.machine_mode) + " | flowrun agent-log " + reader +
            "` (or have a command write the answer to $FLOWRUN_ANSWER_FILE).");
  }

  const Flow& flow_;
  std::vector<Diagnostic>& findings_;
  bool uses_answer_file_ = false;
  bool gemini_trusted_ = false;
  bool run_by_flowrun_ = false;
};

}  // namespace

std::vector<Diagnostic> check_agents(const Flow& flow, const std::vector<ShellScan>& scans) {
  std::vector<Diagnostic> findings;
  AgentChecks checks(flow, scans, findings);
  const std::size_t count = std::min(scans.size(), flow.commands.size());
  for (std::size_t i = 0; i < count; ++i) checks.check_command(i, scans[i]);
  return findings;
}

}  // namespace flowrun::flow
