#pragma once
// The merge request that carries the agent's changes: found when one is open for the branch, created otherwise.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/gitlab/client.h"
#include "flowrun/gitlab/target.h"

namespace flowrun::gitlab {

// `--merge-request auto|always|never` of `flowrun run`. When to ask for a merge request is the orchestrator's call
// (auto: after a successful run that pushed changes; always: also for the pushed work of a run whose commands
// failed); ensure_merge_request treats automatic and always alike (find, else create) and does nothing for never.
enum class MergeRequestMode { automatic, always, never };

struct MergeRequestResult {
  bool created = false;   // this call opened it
  bool existing = false;  // it was already open for the source branch
  long long iid = 0;
  std::string url;
  std::string error;  // empty when found, created or not wanted (mode never)
  bool ok() const { return error.empty(); }
};

// Returns the open merge request from `source_branch` (preferring one into `target_branch`), or opens one
// (POST /projects/:id/merge_requests with remove_source_branch=true: the branch exists only for this change).
// A 409 (another merge request already open) is answered by looking again. An empty `target_branch` means the
// project's default branch. `title` is made one plain line of at most 255 bytes (neutralize_single_line);
// `description` is Markdown used as is: build both with merge_request_text.
// What people expect of a new merge request besides its text.
struct MergeRequestDetails {
  bool draft = false;                   // the title starts "Draft: ", which is how GitLab marks a draft
  std::vector<long long> reviewer_ids;  // the person who asked, when known
  std::vector<std::string> labels;
};

MergeRequestResult ensure_merge_request(Client& client, std::string_view project, std::string_view source_branch,
                                        std::string_view target_branch, std::string_view title,
                                        std::string_view description, MergeRequestMode mode,
                                        const MergeRequestDetails& details = {});

struct MergeRequestText {
  std::string title;
  std::string description;
};

// Title: the first line of the task (AI_FLOW_INPUT) without the leading @mentions of the agent; when that is empty or
// only an iid (assign events pass the iid), the title of the issue or merge request that asked; else
// "Changes from flow <name>". Description: "Requested in <reference> by flow `<name>`." and a link to the job; the
// issue is closed on merge ("Closes #7") only when `close_issue` is true and the request came from an issue.
MergeRequestText merge_request_text(const ContextView& requested_in, std::string_view flow_input,
                                    std::string_view flow_name, std::string_view job_url, bool close_issue);

}  // namespace flowrun::gitlab
