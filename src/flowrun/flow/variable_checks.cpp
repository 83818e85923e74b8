#include "flowrun/flow/variable_checks.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "flowrun/core/text.h"
#include "flowrun/flow/known_variables.h"

namespace flowrun::flow {
namespace {

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

bool is_identifier(std::string_view text) {
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text[0])) != 0) return false;
  return std::all_of(text.begin(), text.end(), is_name_char);
}

// `NAME` of `NAME=value`, `NAME+=value`, `NAME[1]=value` or a bare `NAME`; empty when it is none of those.
std::string name_of_assignment(std::string_view word) {
  std::size_t end = 0;
  while (end < word.size() && is_name_char(word[end])) ++end;
  const std::string_view name = word.substr(0, end);
  if (!is_identifier(name)) return {};
  if (end == word.size() || word[end] == '=' || word[end] == '[' || word.substr(end).starts_with("+=")) {
    return std::string(name);
  }
  return {};
}

void add_read_names(const std::vector<ShellWord>& words, std::vector<std::string>& names) {
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string& word = words[i].value;
    if (word.size() > 1 && word[0] == '-') {
      // The last letter of an option group may take the next word: -a names an array, -d -i -n -N -p -t -u
      // take a value.
      const char last = word.back();
      if (last == 'a' && i + 1 < words.size()) {
        names.push_back(words[i + 1].value);
        ++i;
      } else if (std::string_view("dinNptu").find(last) != std::string_view::npos) {
        ++i;
      }
      continue;
    }
    if (is_identifier(word)) names.push_back(word);
  }
}

void add_names_of_command(const SimpleCommand& command, std::vector<std::string>& names) {
  for (const auto& assignment : command.assignments) {
    if (auto name = name_of_assignment(assignment.value); !name.empty()) names.push_back(name);
  }
  if (command.words.empty()) return;
  const std::string& verb = command.words[0].value;
  const auto& words = command.words;
  if (verb == "export" || verb == "local" || verb == "declare" || verb == "readonly" || verb == "typeset") {
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (words[i].value.starts_with("-")) continue;
      if (auto name = name_of_assignment(words[i].value); !name.empty()) names.push_back(name);
    }
  } else if (verb == "read") {
    add_read_names(words, names);
  } else if ((verb == "for" || verb == "select") && words.size() > 1 && is_identifier(words[1].value)) {
    names.push_back(words[1].value);
  } else if (verb == "mapfile" || verb == "readarray") {
    names.push_back("MAPFILE");
    if (words.size() > 1 && is_identifier(words.back().value)) names.push_back(words.back().value);
  } else if (verb == "printf" && words.size() > 2 && words[1].value == "-v") {
    names.push_back(name_of_assignment(words[2].value));
  } else if (verb == "getopts" && words.size() > 2 && is_identifier(words[2].value)) {
    names.push_back(words[2].value);
  }
}

// After `source`, `.` or `eval`, any variable may have been set by text flowrun cannot see.
bool makes_variables_unknowable(const ShellScan& scan) {
  return std::any_of(scan.commands.begin(), scan.commands.end(), [](const SimpleCommand& command) {
    if (command.words.empty()) return false;
    const std::string& verb = command.words[0].value;
    return verb == "source" || verb == "." || verb == "eval";
  });
}

// Whether `name` occurs in `text` as a whole word, in any quoting: `printenv NAME` and `sh -c 'echo $NAME'` use it.
bool mentions(std::string_view text, std::string_view name) {
  for (std::size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    const bool starts = at == 0 || !is_name_char(text[at - 1]);
    const bool ends = at + name.size() >= text.size() || !is_name_char(text[at + name.size()]);
    if (starts && ends) return true;
  }
  return false;
}

std::string closest_name(const std::string& name, const std::set<std::string>& known) {
  std::string best;
  std::size_t best_distance = 3;  // farther than two edits is no longer a likely typo
  for (const auto& candidate : known) {
    const std::size_t distance = text::levenshtein(name, candidate);
    if (distance > 0 && distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace

std::vector<std::string> assigned_names(const ShellScan& scan) {
  std::vector<std::string> names;
  for (const auto& command : scan.commands) add_names_of_command(command, names);
  for (const auto& reference : scan.references) {
    if (reference.assigns_default) names.push_back(reference.name);
  }
  std::erase_if(names, [](const std::string& name) { return name.empty(); });
  return names;
}

std::vector<Diagnostic> check_variables(const Flow& flow, const std::vector<ShellScan>& scans) {
  std::vector<Diagnostic> findings;
  std::set<std::string> declared;
  for (const auto& variable : flow.variables) declared.insert(variable.value);
  // GitLab sets each `id_tokens` entry as a variable of that name in the job.
  for (const auto& token : flow.id_token_names) declared.insert(token.value);

  std::set<std::string> assigned;  // by this command or an earlier one
  std::set<std::string> reported;
  bool unknowable = false;
  const std::size_t count = std::min(scans.size(), flow.commands.size());
  for (std::size_t i = 0; i < count; ++i) {
    const ShellScan& scan = scans[i];
    // A name set anywhere in a command counts for all of it: loops read variables above where they set them.
    for (auto& name : assigned_names(scan)) assigned.insert(std::move(name));
    unknowable = unknowable || makes_variables_unknowable(scan);
    if (unknowable) continue;
    for (const auto& reference : scan.references) {
      if (reference.in_arithmetic) continue;  // arithmetic treats an unset name as 0, often on purpose
      const std::string& name = reference.name;
      if (declared.count(name) != 0 || assigned.count(name) != 0 || is_provided_variable(name)) continue;
      if (!reported.insert(name).second) continue;
      Diagnostic diagnostic;
      diagnostic.position = file_position(flow, flow.commands[i], reference.offset);
      diagnostic.severity = Severity::warning;
      diagnostic.rule = "undeclared-variable";
      diagnostic.message = "`$" + name +
                           "` is not listed under `variables`, not set by an earlier command, and not one GitLab "
                           "provides: GitLab passes a flow's job only the CI/CD variables listed there, so it is "
                           "empty here. ";
      std::set<std::string> known = declared;
      known.insert(assigned.begin(), assigned.end());
      if (auto suggestion = closest_name(name, known); !suggestion.empty()) {
        diagnostic.message += "Did you mean `$" + suggestion + "`? Otherwise add";
      } else {
        diagnostic.message += "Add";
      }
      diagnostic.message += " `" + name +
                            "` to `variables` (and define it in the project's CI/CD settings), or set "
                            "it in a command before this one.";
      findings.push_back(std::move(diagnostic));
    }
  }

  for (const auto& variable : flow.variables) {
    const bool used = std::any_of(flow.commands.begin(), flow.commands.end(),
                                  [&](const FlowCommand& command) { return mentions(command.text, variable.value); });
    if (used || variable.value.empty()) continue;
    // flowrun itself pushes and posts with the service account's token.
    if (variable.value.rfind("GITLAB_TOKEN", 0) == 0) continue;
    Diagnostic diagnostic;
    diagnostic.position = variable.position;
    diagnostic.position.file = flow.display_path;
    diagnostic.severity = Severity::info;
    diagnostic.rule = "unused-variable";
    diagnostic.message = "`" + variable.value +
                         "` is listed under `variables` but no command uses it. That is fine when a program the "
                         "commands start reads it from its environment (as claude reads ANTHROPIC_API_KEY); "
                         "otherwise remove it, so the job gets no secret it does not need.";
    findings.push_back(std::move(diagnostic));
  }
  return findings;
}

}  // namespace flowrun::flow
