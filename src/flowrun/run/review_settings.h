#pragma once
// The settings of the review loop and of the checks before pushing, resolved in one place: a FLOWRUN_* variable wins
// over the flow's `flowrun:` key, which wins over the default. A bad value is an error that names where it came from;
// the default is used for it.
#include <cstdint>
#include <string>
#include <vector>

#include "flowrun/core/environment.h"
#include "flowrun/flow/flow.h"

namespace flowrun::run {

enum class PushTo { merge_request, workload_branch };

struct ReviewSettings {
  // A run started from a merge request pushes to its source branch (merge_request), or to the workload branch.
  PushTo push_to = PushTo::merge_request;
  bool draft = true;                           // merge requests flowrun opens are drafts
  std::vector<std::string> labels;             // of the merge requests flowrun opens
  std::vector<std::string> protected_paths;    // never pushed: git::default_protected_paths() and the flow's
  std::vector<std::string> allowed_protected;  // protected paths pushed all the same
  std::uint64_t max_file_bytes = 5 * 1024 * 1024;
  std::vector<std::string> errors;  // bad values, each naming its source
};

// FLOWRUN_PUSH_TO, FLOWRUN_DRAFT, FLOWRUN_LABELS, FLOWRUN_PROTECTED_PATHS, FLOWRUN_ALLOW_PROTECTED_PATHS (lists:
// comma-separated), FLOWRUN_MAX_FILE_SIZE; then flowrun.push_to, draft, labels, protected_paths,
// allow_protected_paths, max_file_size. Protected paths and allowed ones add up from both.
ReviewSettings resolve_review_settings(const flow::FlowrunSettings& flow_settings, const Environment& env);

}  // namespace flowrun::run
