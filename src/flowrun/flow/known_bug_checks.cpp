#include "flowrun/flow/known_bug_checks.h"

#include <algorithm>
#include <optional>
#include <string>

namespace flowrun::flow {
namespace {

// `git [global options] SUBCOMMAND ARGS...`
struct GitCall {
  const ShellWord* program = nullptr;
  const ShellWord* subcommand = nullptr;
  std::vector<const ShellWord*> args;
};

std::optional<GitCall> as_git_call(const SimpleCommand& command) {
  const auto words = effective_words(command);
  if (words.empty()) return std::nullopt;
  const std::string& program = words[0]->value;
  if (program != "git" && !program.ends_with("/git")) return std::nullopt;
  std::size_t i = 1;
  while (i < words.size() && words[i]->value.starts_with("-")) {
    const std::string& option = words[i]->value;
    const bool takes_value = option == "-C" || option == "-c" || option == "--git-dir" || option == "--work-tree" ||
                             option == "--namespace" || option == "--config-env";
    i += takes_value ? 2 : 1;
  }
  if (i >= words.size()) return std::nullopt;
  GitCall call;
  call.program = words[0];
  call.subcommand = words[i];
  call.args.assign(words.begin() + static_cast<std::ptrdiff_t>(i) + 1, words.end());
  return call;
}

// The arguments that are not options, skipping the values of the options listed in `options_with_value`.
std::vector<const ShellWord*> positional(const std::vector<const ShellWord*>& args,
                                         std::initializer_list<std::string_view> options_with_value) {
  std::vector<const ShellWord*> result;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& value = args[i]->value;
    if (value.starts_with("-") && value != "-") {
      if (std::find(options_with_value.begin(), options_with_value.end(), value) != options_with_value.end()) ++i;
      continue;
    }
    result.push_back(args[i]);
  }
  return result;
}

// The project path of a remote URL written literally (`group/project.git`), or nothing when the URL builds it
// from variables or is not a URL at all.
std::optional<std::string> literal_project_path(const ShellWord& url) {
  const std::string& value = url.value;
  std::string path;
  if (const auto scheme = value.find("://"); scheme != std::string::npos) {
    const auto slash = value.find('/', scheme + 3);
    if (slash == std::string::npos) return std::nullopt;
    path = value.substr(slash + 1);
  } else if (const auto at = value.find('@'); at != std::string::npos && value.find(':', at) != std::string::npos) {
    path = value.substr(value.find(':', at) + 1);  // scp-like: git@host:group/project.git
  } else {
    return std::nullopt;
  }
  path = path.substr(0, path.find_first_of("?#"));
  if (path.empty() || path.find('$') != std::string::npos || path.find('`') != std::string::npos) return std::nullopt;
  if (path.find('/') == std::string::npos && !path.ends_with(".git")) return std::nullopt;
  return path;
}

class KnownBugs {
 public:
  KnownBugs(const Flow& flow, std::vector<Diagnostic>& findings) : flow_(flow), findings_(findings) {}

  void check_command(std::size_t index, const ShellScan& scan) {
    for (const auto& simple : scan.commands) {
      check_test_operators(index, simple);
      const auto git = as_git_call(simple);
      if (!git) continue;
      const std::string& subcommand = git->subcommand->value;
      if (subcommand == "checkout") check_checkout(index, *git);
      if (subcommand == "add") note_tail_step(adds_, index, *git->program);
      if (subcommand == "commit") note_tail_step(commits_, index, *git->program);
      if (subcommand == "push") {
        note_tail_step(pushes_, index, *git->program);
        const auto targets = positional(git->args, {"-o", "--push-option", "--repo", "--receive-pack", "--exec"});
        if (!targets.empty()) check_remote_url(index, *targets.front(), "push");
      }
      if (subcommand == "remote" && !git->args.empty() && git->args[0]->value == "set-url") {
        const std::vector<const ShellWord*> rest(git->args.begin() + 1, git->args.end());
        const auto targets = positional(rest, {});
        if (targets.size() >= 2) check_remote_url(index, *targets[1], "remote set-url");
      }
    }
  }

  void finish() {
    if (pushes_.empty()) return;
    // The whole tail starts at its first `git add`; a lone push at the push itself.
    Step anchor = *std::min_element(pushes_.begin(), pushes_.end());
    if (!adds_.empty() && !commits_.empty()) anchor = std::min(anchor, *std::min_element(adds_.begin(), adds_.end()));
    add(anchor.command, anchor.offset, Severity::info, "manual-git-tail",
        "A hand-written commit-and-push tail: flowrun commits and pushes the agent's changes itself (to the workload "
        "branch, with retries, the token kept out of URLs, and a report in the thread), so remove these commands "
        "(`git add`, `git commit`, `git push` and what decides whether to run them).");
  }

 private:
  struct Step {
    std::size_t command;
    std::size_t offset;
    bool operator<(const Step& other) const {
      return command != other.command ? command < other.command : offset < other.offset;
    }
  };

  void add(std::size_t command, std::size_t offset, Severity severity, const char* rule, std::string message) {
    findings_.push_back(command_finding(flow_, command, offset, severity, rule, std::move(message)));
  }

  static void note_tail_step(std::vector<Step>& steps, std::size_t command, const ShellWord& word) {
    steps.push_back({command, word.offset});
  }

  void check_checkout(std::size_t index, const GitCall& git) {
    for (const ShellWord* arg : git.args) {
      if (arg->value != "--branch" && !arg->value.starts_with("--branch=")) continue;
      add(index, arg->offset, Severity::error, "git-checkout-branch",
          "`git checkout` has no `--branch` option: git stops with exit status 129 (\"unknown option\"), and as the "
          "job runs with errexit it fails here. The option is `-b` (`git checkout -b NAME`), but flowrun commits "
          "and pushes the agent's changes to the workload branch itself, so this command can go.");
      return;
    }
  }

  // `[ --not X ]`, `[ ! --zero X ]`, `test --not X`, also after `-a` / `-o`.
  void check_test_operators(std::size_t index, const SimpleCommand& simple) {
    const auto words = effective_words(simple);
    if (words.empty() || (words[0]->value != "[" && words[0]->value != "test")) return;
    bool expecting_expression = true;
    for (std::size_t i = 1; i < words.size(); ++i) {
      const ShellWord& word = *words[i];
      if (!expecting_expression) {
        expecting_expression = word.literal && (word.value == "-a" || word.value == "-o");
        continue;
      }
      if (word.literal && word.value == "!") continue;
      if (word.literal && (word.value == "--not" || word.value == "--zero")) {
        add(index, word.offset, Severity::error, "test-not-operator",
            "`" + word.value + "` is no operator of `" + words[0]->value +
                "`: the test fails with exit status 2 (\"unary operator expected\") instead of answering, so the "
                "condition is never true; in the example flows' tail, new (untracked) files are never detected. "
                "To test that a string is not empty write `[ -n \"...\" ]` (`[ -z \"...\" ]` for empty).");
        return;
      }
      expecting_expression = false;
    }
  }

  void check_remote_url(std::size_t index, const ShellWord& url, const char* how) {
    const auto path = literal_project_path(url);
    if (!path) return;
    add(index, url.offset, Severity::warning, "hardcoded-git-remote",
        std::string("`git ") + how + "` names the project `" + *path +
            "` literally: copied to another project, or once the project moves, the flow pushes to the wrong "
            "place or fails. flowrun pushes to the project the job runs for by itself; remove the command, or "
            "build the URL from $CI_SERVER_HOST and $CI_PROJECT_PATH.");
  }

  const Flow& flow_;
  std::vector<Diagnostic>& findings_;
  std::vector<Step> adds_;
  std::vector<Step> commits_;
  std::vector<Step> pushes_;
};

}  // namespace

std::vector<Diagnostic> check_known_bugs(const Flow& flow, const std::vector<ShellScan>& scans) {
  std::vector<Diagnostic> findings;
  KnownBugs bugs(flow, findings);
  const std::size_t count = std::min(scans.size(), flow.commands.size());
  for (std::size_t i = 0; i < count; ++i) bugs.check_command(i, scans[i]);
  bugs.finish();
  return findings;
}

}  // namespace flowrun::flow
