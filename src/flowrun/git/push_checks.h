#pragma once
// What must not leave the job even when the agent wrote it: checked on what would be committed, before the push.
// A change is refused when an added line holds a secret (a value the run masks, or a known token shape), when it
// touches a protected path (the CI configuration, the flows, CODEOWNERS, and paths the flow adds) the flow did not
// allow, when a file is larger than the limit, when a link points outside the work tree, or when a path is not valid
// UTF-8. A refused commit stays local with its patch (secrets masked in it); nothing is pushed.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace flowrun::git {

struct PushCheckRules {
  bool enabled = false;
  std::vector<std::string> protected_globs;  // exclusions.h syntax; default_protected_paths() plus the flow's
  std::vector<std::string> allowed_globs;    // protected paths that may be pushed all the same
  std::uint64_t max_file_bytes = 5 * 1024 * 1024;
  // The run's masker: an added line it changes holds a secret (a value the run knows as secret, or a token shape).
  std::function<std::string(std::string_view)> mask;
};

struct PushRefusal {
  enum class Kind { secret, protected_path, too_large, link_outside, path_not_utf8 };
  Kind kind = Kind::secret;
  std::string path;  // printable: bytes that are not UTF-8 are written \xNN
  int line = 0;      // secrets: the line in the new file (1-based)
  std::string detail;
};

// The CI configuration (.gitlab-ci.yml and included *.gitlab-ci.yml, .gitlab/ci/**, YAML under .gitlab/), the flows
// (.gitlab/duo/**) and CODEOWNERS (at the top, in docs/ and .gitlab/).
const std::vector<std::string>& default_protected_paths();

// "secret", "protected_path", "too_large", "link_outside", "path_not_utf8".
std::string_view to_string(PushRefusal::Kind kind);
PushRefusal::Kind refusal_kind_from_string(std::string_view text);

// One line for the log and the note: "config/app.env:3: an added line holds a secret (masked in the patch)".
std::string describe(const PushRefusal& refusal);

// `text` with bytes that are not UTF-8 written as \xNN.
std::string printable_path(std::string_view text);

}  // namespace flowrun::git
