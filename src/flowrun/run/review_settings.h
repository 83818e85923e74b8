#pragma once
// The settings of the review loop and of the checks before pushing, as the run plan resolves them (setting_table.cpp:
// push_to, draft, labels, protected_paths, allow_protected_paths, max_file_size).
#include <cstdint>
#include <string>
#include <vector>

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
};

}  // namespace flowrun::run
