#include "flowrun/flow/handoff.h"

#include <string_view>

namespace flowrun::flow {

namespace {

struct Invocation {
  bool is_handoff = false;
  bool uses_exec = false;
};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view skip_blanks(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  return text;
}

// Splits off the next word; `rest` keeps what follows it (starting with a blank, or empty).
std::string_view next_word(std::string_view& rest) {
  rest = skip_blanks(rest);
  std::size_t end = 0;
  while (end < rest.size() && !is_blank(rest[end])) ++end;
  const std::string_view word = rest.substr(0, end);
  rest.remove_prefix(end);
  return word;
}

// `flowrun` itself, or its npm package as npx names it: `flowrun@0.2.0`, `flowrun@latest`.
bool is_flowrun_package(std::string_view word) { return word == "flowrun" || word.starts_with("flowrun@"); }

// One line: `[exec] [path/]flowrun run [args]`, or `[exec] npx [options] flowrun[@VERSION] run [args]` (flowrun
// from its npm package). A plain scan, not a regular expression: a command may be a single word of any length.
Invocation classify(const std::string& text) {
  const std::size_t newline = text.find('\n');
  if (newline != std::string::npos && newline + 1 < text.size()) return {};
  std::string_view rest = std::string_view(text).substr(0, newline);
  std::string_view word = next_word(rest);
  const bool uses_exec = word == "exec";
  if (uses_exec) word = next_word(rest);
  std::string_view program = word.substr(word.rfind('/') == std::string_view::npos ? 0 : word.rfind('/') + 1);
  if (program == "npx") {
    do {
      word = next_word(rest);
    } while (word.starts_with("-"));
    if (!is_flowrun_package(word)) return {};
    program = "flowrun";
  }
  if (program != "flowrun") return {};
  if (next_word(rest) != "run") return {};
  return {true, uses_exec};
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
      findings.push_back(
          {at, Severity::error,
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
