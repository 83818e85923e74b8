#include "flowrun/flow/handoff.h"

#include <regex>

namespace flowrun::flow {

namespace {

struct Invocation {
  bool is_handoff = false;
  bool uses_exec = false;
};

Invocation classify(const std::string& text) {
  // One line: `[exec] [path/]flowrun run [args]`, optionally followed by a comment.
  static const std::regex pattern(R"(^\s*(exec\s+)?([^\s]*/)?flowrun\s+run(\s.*)?$)");
  if (text.find('\n') != std::string::npos && text.find('\n') + 1 < text.size()) return {};
  std::smatch match;
  std::string line = text.substr(0, text.find('\n'));
  if (!std::regex_match(line, match, pattern)) return {};
  return {true, match[1].matched};
}

}  // namespace

std::optional<Handoff> find_handoff(const Flow& flow) {
  for (std::size_t i = 0; i < flow.commands.size(); ++i) {
    Invocation invocation = classify(flow.commands[i].text);
    if (invocation.is_handoff) return Handoff{i, invocation.uses_exec};
  }
  return std::nullopt;
}

std::vector<Diagnostic> check_handoff(const Flow& flow) {
  std::vector<Diagnostic> findings;
  bool seen = false;
  for (std::size_t i = 0; i < flow.commands.size(); ++i) {
    const FlowCommand& command = flow.commands[i];
    Invocation invocation = classify(command.text);
    if (!invocation.is_handoff) continue;
    SourcePosition at{command.position.file, command.first_line, command.first_column};
    if (seen) {
      findings.push_back({at, Severity::error,
                          "a second `flowrun run`: flowrun already runs this flow from the first one; remove this line",
                          "handoff-duplicate"});
      continue;
    }
    seen = true;
    if (!invocation.uses_exec) {
      findings.push_back({at, Severity::error,
                          "`flowrun run` without `exec`: when flowrun finishes, GitLab Runner's shell runs the commands "
                          "after this line a second time; write `exec flowrun run ...`",
                          "handoff-exec"});
    }
    if (i != 0) {
      findings.push_back({at, Severity::error,
                          "`flowrun run` is command " + std::to_string(i + 1) +
                              ": the commands before it run outside flowrun (no masking, no report, and not in a "
                              "local rehearsal); make it the first command",
                          "handoff-position"});
    }
  }
  return findings;
}

}  // namespace flowrun::flow
