#include "flowrun/flow/secret_checks.h"

#include <algorithm>
#include <array>
#include <set>

#include "flowrun/core/secret_policy.h"
#include "flowrun/core/text.h"
#include "flowrun/core/token_shapes.h"

namespace flowrun::flow {
namespace {

std::string_view word_text(std::string_view text, const ShellWord& word) {
  return text.substr(word.offset, word.end - word.offset);
}

// The secrets that assignments copy into other variables (`export GITLAB_TOKEN=$GITLAB_TOKEN_CLAUDE`).
class SecretNames {
 public:
  bool contains(const std::string& name) const { return is_secret_name(name) || copies_.count(name) != 0; }

  void learn_from(const ShellScan& scan) {
    for (const auto& command : scan.commands) {
      for (const auto& word : command.assignments) learn_from_assignment(scan, word, command.depth);
      if (command.words.empty()) continue;
      const std::string& verb = command.words[0].value;
      if (verb != "export" && verb != "local" && verb != "declare" && verb != "readonly" && verb != "typeset") continue;
      for (std::size_t i = 1; i < command.words.size(); ++i) {
        learn_from_assignment(scan, command.words[i], command.depth);
      }
    }
  }

 private:
  void learn_from_assignment(const ShellScan& scan, const ShellWord& word, int depth) {
    const auto equals = word.value.find('=');
    if (equals == std::string::npos || equals == 0) return;
    std::string name = word.value.substr(0, equals);
    if (!name.empty() && name.back() == '+') name.pop_back();
    for (const auto& reference : scan.references) {
      if (reference.offset >= word.offset && reference.offset < word.end && reference.depth == depth &&
          contains(reference.name)) {
        copies_.insert(name);
        return;
      }
    }
  }

  std::set<std::string> copies_;
};

const VariableReference* first_secret_in(const ShellScan& scan, std::size_t from, std::size_t to, int depth,
                                         const SecretNames& secrets) {
  for (const auto& reference : scan.references) {
    if (reference.offset >= from && reference.offset < to && reference.depth == depth &&
        secrets.contains(reference.name)) {
      return &reference;
    }
  }
  return nullptr;
}

bool is_terminal_device(std::string_view target) {
  static constexpr std::array<std::string_view, 7> kDevices{
      "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/fd/1", "/dev/fd/2", "/proc/self/fd/1", "/proc/self/fd/2"};
  return std::find(kDevices.begin(), kDevices.end(), target) != kDevices.end();
}

// Whether what `command` writes to its standard output ends up in the job log: not when it goes to a file, into
// a pipe to a program that consumes it, or into a command substitution.
bool reaches_log(const ShellScan& scan, const SimpleCommand& command, int hops = 0) {
  enum class Output { log, elsewhere };
  Output output = Output::log;
  for (const auto& redirection : command.redirections) {
    if (redirection.fd != 1 && redirection.fd != -1) continue;
    const std::string& op = redirection.op;
    const std::string& target = redirection.target.value;
    if (op == ">" || op == ">>" || op == ">|" || op == "&>" || op == "&>>") {
      output = is_terminal_device(target) ? Output::log : Output::elsewhere;
    } else if (op == ">&") {
      output = (target == "1" || target == "2") ? Output::log : Output::elsewhere;
    }
  }
  if (output != Output::log) return false;
  if (!command.output_piped) return true;
  if (!command.pipes_into || hops > 8) return false;
  const SimpleCommand& receiver = scan.commands[*command.pipes_into];
  const auto words = effective_words(receiver);
  // tee and cat pass what they read on to their own output.
  if (!words.empty() && (words[0]->value == "tee" || words[0]->value == "cat"))
    return reaches_log(scan, receiver, hops + 1);
  return false;
}

// The secret `command` prints, if it prints one: echo/printf arguments, cat's here-document or here-string.
const VariableReference* printed_secret(const ShellScan& scan, const SimpleCommand& command,
                                        const SecretNames& secrets) {
  const auto words = effective_words(command);
  if (words.empty()) return nullptr;
  const std::string& verb = words[0]->value;
  if (verb == "echo" || verb == "printf") {
    if (verb == "printf" && words.size() > 1 && words[1]->value == "-v") return nullptr;  // into a variable
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (const auto* found = first_secret_in(scan, words[i]->offset, words[i]->end, command.depth, secrets)) {
        return found;
      }
    }
  }
  if (verb == "cat") {
    for (const auto& redirection : command.redirections) {
      const VariableReference* found = nullptr;
      if ((redirection.op == "<<" || redirection.op == "<<-") && redirection.body_expands) {
        found = first_secret_in(scan, redirection.body_offset, redirection.body_end, command.depth, secrets);
      } else if (redirection.op == "<<<") {
        found = first_secret_in(scan, redirection.target.offset, redirection.target.end, command.depth, secrets);
      }
      if (found != nullptr) return found;
    }
  }
  return nullptr;
}

void check_literal_tokens(const Flow& flow, const FlowCommand& command, std::vector<Diagnostic>& findings) {
  std::size_t from = 0;
  while (auto match = find_token(command.text, from)) {
    Diagnostic diagnostic;
    diagnostic.position = file_position(flow, command, match->offset);
    diagnostic.severity = Severity::warning;
    diagnostic.rule = "literal-secret";
    diagnostic.message = "A " + std::string(match->shape->name) +
                         " is written literally in this command: anyone who can read the repository or the job "
                         "log can use it. Revoke it, store it in a masked CI/CD variable, list that variable under "
                         "`variables` and use `$NAME` here instead.";
    findings.push_back(std::move(diagnostic));
    from = match->offset + match->length;
  }
}

void check_echoes(const Flow& flow, const FlowCommand& command, const ShellScan& scan, const SecretNames& secrets,
                  std::vector<Diagnostic>& findings) {
  for (const auto& simple : scan.commands) {
    if (simple.depth > 0) continue;  // its output is captured by a substitution, not printed
    const VariableReference* secret = printed_secret(scan, simple, secrets);
    if (secret == nullptr || !reaches_log(scan, simple)) continue;
    const std::string verb = effective_words(simple)[0]->value;
    Diagnostic diagnostic;
    diagnostic.position = file_position(flow, command, secret->offset);
    diagnostic.severity = Severity::warning;
    diagnostic.rule = "secret-echo";
    diagnostic.message = "`" + verb + "` prints `$" + secret->name +
                         "`, which holds a secret, into the job log: GitLab hides it there only if the variable is "
                         "masked, and nothing hides it in what is posted from the log. Don't print it: write it to a "
                         "file (`> file`) or pipe it to the program that needs it.";
    findings.push_back(std::move(diagnostic));
  }
}

void check_word_for_url_secret(const Flow& flow, const FlowCommand& command, const ShellScan& scan,
                               const ShellWord& word, const SecretNames& secrets, std::vector<Diagnostic>& findings) {
  const std::string_view raw = word_text(command.text, word);
  const auto scheme = raw.find("://");
  if (scheme == std::string_view::npos) return;
  const std::size_t authority_start = scheme + 3;
  const std::size_t authority_end = std::min(raw.find_first_of("/?#", authority_start), raw.size());
  const auto at_sign = raw.substr(0, authority_end).rfind('@');
  const bool has_userinfo = at_sign != std::string_view::npos && at_sign >= authority_start;
  const std::size_t password_start =
      has_userinfo ? std::min(raw.substr(0, at_sign).find(':', authority_start), at_sign) : 0;
  const auto query = raw.find('?', authority_start);
  const std::size_t query_end =
      std::min(raw.find('#', query == std::string_view::npos ? raw.size() : query), raw.size());

  for (const auto& reference : scan.references) {
    if (reference.offset < word.offset || reference.offset >= word.end) continue;
    const std::size_t at = reference.offset - word.offset;
    bool secret_in_url = false;
    if (has_userinfo && at >= authority_start && at < at_sign) {
      // Whatever sits in the password slot is a secret; in the user slot only a secret-named variable is.
      secret_in_url = at > password_start || secrets.contains(reference.name);
    } else if (query != std::string_view::npos && at > query && at < query_end) {
      const auto parameter_start = raw.substr(0, at).find_last_of("?&") + 1;
      const auto equals = raw.substr(0, at).rfind('=');
      const std::string parameter = equals != std::string_view::npos && equals >= parameter_start
                                        ? text::to_lower(raw.substr(parameter_start, equals - parameter_start))
                                        : std::string();
      secret_in_url = secrets.contains(reference.name) || secret_policy::is_secret_parameter(parameter);
    }
    if (!secret_in_url) continue;
    Diagnostic diagnostic;
    diagnostic.position = file_position(flow, command, reference.offset);
    diagnostic.severity = Severity::warning;
    diagnostic.rule = "secret-in-url";
    diagnostic.message = "`$" + reference.name +
                         "` is put into a URL: the token ends up in logs, process lists and .git/config. flowrun "
                         "pushes the agent's changes itself and keeps the token out of URLs; elsewhere pass it in a "
                         "header (`PRIVATE-TOKEN:` or `Authorization:`) or through a git credential helper.";
    findings.push_back(std::move(diagnostic));
  }
}

void check_urls(const Flow& flow, const FlowCommand& command, const ShellScan& scan, const SecretNames& secrets,
                std::vector<Diagnostic>& findings) {
  for (const auto& simple : scan.commands) {
    for (const auto& word : simple.assignments) check_word_for_url_secret(flow, command, scan, word, secrets, findings);
    for (const auto& word : simple.words) check_word_for_url_secret(flow, command, scan, word, secrets, findings);
    for (const auto& redirection : simple.redirections) {
      check_word_for_url_secret(flow, command, scan, redirection.target, secrets, findings);
    }
  }
}

}  // namespace

bool is_secret_name(std::string_view name) {
  // CI_REPOSITORY_URL holds the job token inside the URL: printing it prints the token.
  if (name == "CI_REPOSITORY_URL" || secret_policy::is_injected_credential(name)) return true;
  return secret_policy::is_secret_name(name) && !secret_policy::names_a_secret_elsewhere(name);
}

std::string without_literal_tokens(std::string text) {
  static constexpr std::string_view kMask = "[MASKED]";
  std::size_t from = 0;
  while (auto match = find_token(text, from)) {
    text.replace(match->offset, match->length, kMask);
    from = match->offset + kMask.size();
  }
  return text;
}

std::vector<Diagnostic> check_secrets(const Flow& flow, const std::vector<ShellScan>& scans) {
  std::vector<Diagnostic> findings;
  SecretNames secrets;
  const std::size_t count = std::min(scans.size(), flow.commands.size());
  for (std::size_t i = 0; i < count; ++i) {
    const FlowCommand& command = flow.commands[i];
    secrets.learn_from(scans[i]);
    check_literal_tokens(flow, command, findings);
    check_echoes(flow, command, scans[i], secrets, findings);
    check_urls(flow, command, scans[i], secrets, findings);
  }
  return findings;
}

}  // namespace flowrun::flow
