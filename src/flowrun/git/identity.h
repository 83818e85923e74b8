#pragma once
// Who the commit is attributed to.
//
// Each of name and email is resolved on its own; the first source that has a non-empty value wins:
//   1. the flow's configured identity (`flowrun.author`)
//   2. GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL for the author, GIT_COMMITTER_NAME / GIT_COMMITTER_EMAIL for the committer
//      (newer GitLab versions set these: the service account as author, the person who asked as committer)
//   3. user.name / user.email in the repository's own config (.git/config)
//   4. user.name / user.email in the global config: $GIT_CONFIG_GLOBAL if set, else $HOME/.gitconfig, then
//      $XDG_CONFIG_HOME/git/config (default $HOME/.config/git/config); HOME and XDG are read from the Environment
//   5. "flowrun" / "flowrun@localhost"
#include <filesystem>
#include <string>

#include "flowrun/core/environment.h"

namespace flowrun::git {

struct Identity {
  std::string name;
  std::string email;
};

Identity resolve_author(const Identity& configured, const Environment& env, const std::filesystem::path& workdir);
Identity resolve_committer(const Identity& configured, const Environment& env, const std::filesystem::path& workdir);

}  // namespace flowrun::git
