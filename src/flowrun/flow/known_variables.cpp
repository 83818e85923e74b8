#include "flowrun/flow/known_variables.h"

#include <algorithm>
#include <array>

namespace flowrun::flow {
namespace {

// Whole families GitLab and GitLab Runner define; too many (and too version-dependent) to list one by one.
constexpr std::array<std::string_view, 9> kProvidedPrefixes{
    "CI_",             // predefined CI/CD variables, CI_WORKLOAD_REF among them
    "GITLAB_USER_",    // who triggered the pipeline
    "GIT_AUTHOR_",     // newer GitLab: the service account as author
    "GIT_COMMITTER_",  // and the person who asked as committer
    "FF_",             // GitLab Runner feature flags
    "RUNNER_",         // GitLab Runner settings
    "BASH_",           // BASH_VERSION, BASH_SOURCE, BASH_REMATCH, ...
    "LC_",             // locale categories
    "FLOWRUN_",        // flowrun run: FLOWRUN_ANSWER_FILE, FLOWRUN_ARTIFACTS_DIR for the commands
};

// The AI_FLOW_* variables are listed exactly, so that a misspelt one is reported.
constexpr std::array<std::string_view, 70> kProvidedNames{
    // GitLab, for a flow's job
    "AI_FLOW_CONTEXT",
    "AI_FLOW_INPUT",
    "AI_FLOW_EVENT",
    "AI_FLOW_DISCUSSION_ID",
    "AI_FLOW_GITLAB_TOKEN",
    "AI_FLOW_PROJECT_PATH",
    "AI_FLOW_GITLAB_HOSTNAME",
    "AI_FLOW_AI_GATEWAY_TOKEN",
    "AI_FLOW_AI_GATEWAY_HEADERS",
    // GitLab, for every job
    "GITLAB_CI",
    "GITLAB_FEATURES",
    "CHAT_CHANNEL",
    "CHAT_INPUT",
    "CHAT_USER_ID",
    "TRIGGER_PAYLOAD",
    // bash
    "BASH",
    "BASHOPTS",
    "BASHPID",
    "BASH_ARGC",
    "BASH_ARGV",
    "BASH_COMMAND",
    "BASH_SUBSHELL",
    "BASH_VERSINFO",
    "BASH_VERSION",
    "COLUMNS",
    "DIRSTACK",
    "EPOCHREALTIME",
    "EPOCHSECONDS",
    "EUID",
    "FUNCNAME",
    "GROUPS",
    "HOSTTYPE",
    "IFS",
    "LINENO",
    "LINES",
    "MACHTYPE",
    "OLDPWD",
    "OPTARG",
    "OPTERR",
    "OPTIND",
    "OSTYPE",
    "PIPESTATUS",
    "PPID",
    "PS1",
    "PS2",
    "PS3",
    "PS4",
    "PWD",
    "RANDOM",
    "REPLY",
    "SECONDS",
    "SHELLOPTS",
    "SHLVL",
    "SRANDOM",
    "UID",
    "_",
    // the operating system
    "HOME",
    "PATH",
    "USER",
    "LOGNAME",
    "SHELL",
    "HOSTNAME",
    "TMPDIR",
    "LANG",
    "LANGUAGE",
    "TERM",
    "TZ",
    "MAIL",
    // the node images every example flow runs in
    "NODE_VERSION",
    "YARN_VERSION",
};

bool is_positional_or_special(std::string_view name) {
  if (name.size() == 1 && std::string_view("@*#?$!-").find(name[0]) != std::string_view::npos) return true;
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool is_provided_variable(std::string_view name) {
  if (is_positional_or_special(name)) return true;
  if (std::find(kProvidedNames.begin(), kProvidedNames.end(), name) != kProvidedNames.end()) return true;
  return std::any_of(kProvidedPrefixes.begin(), kProvidedPrefixes.end(),
                     [name](std::string_view prefix) { return name.starts_with(prefix); });
}

}  // namespace flowrun::flow
