#pragma once
// Where flowrun's answer goes: the issue, merge request or epic that asked, read from what GitLab injects into the job
// (AI_FLOW_CONTEXT, AI_FLOW_EVENT, AI_FLOW_DISCUSSION_ID, CI_PROJECT_*) or from --issue/--mr on a laptop.
#include <optional>
#include <string>
#include <string_view>

namespace flowrun {
class Environment;
}

namespace flowrun::gitlab {

struct Noteable {
  enum class Kind { issue, merge_request, epic };
  Kind kind = Kind::issue;
  std::string project;  // issues and merge requests: numeric id or full path (not URL-encoded)
  std::string group;    // epics: numeric id or full path of the group
  long long iid = 0;
  long long id = 0;                          // the global id when the context gave one; 0 otherwise
  std::optional<std::string> discussion_id;  // reply in this thread when set
  std::string web_url;
  std::string title;
};

struct NoteableOverride {
  std::optional<long long> issue_iid;          // --issue IID
  std::optional<long long> merge_request_iid;  // --mr IID
  std::string project;                         // --project ID|PATH; empty: from the context and environment
};

// What the context says, for the report and the merge request text. Empty fields when it does not say.
struct ContextView {
  std::optional<Noteable::Kind> kind;
  long long iid = 0;
  long long id = 0;  // the entity's global id
  std::string title;
  std::string web_url;
  std::string reference;       // short reference: "#7", "!12", "&3"
  std::string full_reference;  // "group/project#7"; falls back to the short one
  std::string source_branch;   // merge requests
  std::string target_branch;   // merge requests
  std::string project_id;      // as the context gives it (numeric)
  std::string group_id;        // epics
  bool complete = false;       // false when the JSON was cut short and only its first members were read
};

// Reads AI_FLOW_CONTEXT: the JSON of an issue, merge request or epic (GitLab's REST entity, plus comments or a diff).
// Never throws and never fails: empty, `null`, cut-off (read up to the cut), deeply nested or non-JSON text gives
// what could be read, possibly nothing. The kind comes from the shape: `source_branch`/`target_branch` => merge
// request; a web_url with /-/merge_requests/, /-/issues/, /-/epics/ or /-/work_items/ (group-level => epic);
// `group_id` without `project_id` => epic; references.short "!"/"#"/"&"; otherwise an issue when there is an iid.
ContextView parse_context(std::string_view context_json);

// The thing to answer on, or nullopt when there is none (scheduled and pipeline events carry no resource).
//  - `override` first: --issue / --mr with --project (else CI_PROJECT_ID, CI_PROJECT_PATH, AI_FLOW_PROJECT_PATH);
//  - then the context (parse_context), its project_id, or else the same variables;
//  - then, when the context has no iid, AI_FLOW_INPUT for the events where GitLab passes the iid there
//    (merge_request*, assign_reviewer: a merge request; work_item: an issue).
// `event` is AI_FLOW_EVENT; merge_request* events make an ambiguous context a merge request.
// AI_FLOW_DISCUSSION_ID becomes discussion_id, except when an override points somewhere else.
std::optional<Noteable> resolve_noteable(std::string_view context_json, std::string_view event, const Environment& env,
                                         const NoteableOverride& override);

// "issue", "merge request", "epic".
std::string_view kind_name(Noteable::Kind kind);

// "#7", "!12", "&3".
std::string short_reference(Noteable::Kind kind, long long iid);

}  // namespace flowrun::gitlab
