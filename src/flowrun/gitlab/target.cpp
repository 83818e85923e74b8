#include "flowrun/gitlab/target.h"

#include "flowrun/core/environment.h"
#include "flowrun/core/text.h"
#include "flowrun/gitlab/internal/json.h"
#include "flowrun/gitlab/internal/lenient_json.h"

namespace flowrun::gitlab {

namespace {

using nlohmann::json;
using Kind = Noteable::Kind;

constexpr std::size_t kMaxContextBytes = 16u << 20;

// The entity's members: the whole object when the text parses, else the members before the cut.
json context_members(std::string_view text, bool& complete) {
  complete = false;
  text = text::trim(text);
  if (text.empty() || text.size() > kMaxContextBytes) return json::object();
  if (auto parsed = internal::parse_json(text)) {
    if (!parsed->is_object()) return json::object();
    complete = true;
    return *parsed;
  }
  return internal::salvage_object_members(text);
}

// Some producers wrap the entity: {"merge_request": {...}}. Look inside when the top level has no iid.
const json& entity_of(const json& members) {
  if (members.contains("iid")) return members;
  for (std::string_view wrapper : {"merge_request", "issue", "epic", "work_item", "noteable"}) {
    auto it = members.find(wrapper);
    if (it != members.end() && it->is_object() && it->contains("iid")) return *it;
  }
  return members;
}

std::optional<Kind> kind_from_url(std::string_view url) {
  if (url.find("/-/merge_requests/") != std::string_view::npos) return Kind::merge_request;
  if (url.find("/-/issues/") != std::string_view::npos) return Kind::issue;
  if (url.find("/-/epics/") != std::string_view::npos) return Kind::epic;
  if (url.find("/-/work_items/") != std::string_view::npos) {
    // Group-level work items are epics; a project's work items (issues, tasks, incidents) are issues.
    return url.find("/groups/") != std::string_view::npos ? Kind::epic : Kind::issue;
  }
  return std::nullopt;
}

std::optional<Kind> kind_from_reference(std::string_view reference) {
  auto sigil = reference.find_last_of("#!&");
  if (sigil == std::string_view::npos) return std::nullopt;
  switch (reference[sigil]) {
    case '!':
      return Kind::merge_request;
    case '&':
      return Kind::epic;
    default:
      return Kind::issue;
  }
}

// "https://host/groups/a/b/-/epics/3" -> "a/b".
std::string group_path_from_url(std::string_view url) {
  auto start = url.find("/groups/");
  if (start == std::string_view::npos) return "";
  start += 8;
  auto end = url.find("/-/", start);
  if (end == std::string_view::npos) return "";
  return std::string(url.substr(start, end - start));
}

bool is_merge_request_event(std::string_view event) {
  return event.starts_with("merge_request") || event == "assign_reviewer";
}

std::optional<long long> parse_iid(std::string_view text) {
  text = text::trim(text);
  if (text.empty() || text.size() > 18) return std::nullopt;
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value > 0 ? std::optional<long long>(value) : std::nullopt;
}

std::string project_from_environment(const Environment& env) {
  if (auto found = env.first_non_empty({"CI_PROJECT_ID", "CI_PROJECT_PATH", "AI_FLOW_PROJECT_PATH"}))
    return std::string(text::trim(found->second));
  return "";
}

}  // namespace

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::issue:
      return "issue";
    case Kind::merge_request:
      return "merge request";
    case Kind::epic:
      return "epic";
  }
  return "issue";
}

std::string short_reference(Kind kind, long long iid) {
  const char sigil = kind == Kind::merge_request ? '!' : kind == Kind::epic ? '&' : '#';
  return sigil + std::to_string(iid);
}

namespace {

struct ReadContext {
  ContextView view;
  bool kind_guessed = false;  // only an iid said "issue": the event may know better
};

ReadContext read_context(std::string_view context_json) {
  ReadContext read;
  ContextView& view = read.view;
  const json members = context_members(context_json, view.complete);
  const json& entity = entity_of(members);

  view.iid = internal::integer_field(entity, "iid").value_or(0);
  if (view.iid < 0) view.iid = 0;
  view.id = internal::integer_field(entity, "id").value_or(0);
  view.title = internal::string_field(entity, "title");
  view.web_url = internal::string_field(entity, "web_url");
  view.source_branch = internal::string_field(entity, "source_branch");
  view.target_branch = internal::string_field(entity, "target_branch");
  view.project_id = internal::string_field(entity, "project_id");
  view.group_id = internal::string_field(entity, "group_id");

  std::string short_ref;
  std::string full_ref;
  if (auto references = entity.find("references"); references != entity.end() && references->is_object()) {
    short_ref = internal::string_field(*references, "short");
    full_ref = internal::string_field(*references, "full");
  }
  if (short_ref.empty()) short_ref = internal::string_field(entity, "reference");  // older entities

  if (!view.source_branch.empty() || !view.target_branch.empty())
    view.kind = Kind::merge_request;
  else if (auto from_url = kind_from_url(view.web_url))
    view.kind = from_url;
  else if (!view.group_id.empty() && view.project_id.empty())
    view.kind = Kind::epic;
  else if (auto from_reference = kind_from_reference(short_ref))
    view.kind = from_reference;
  else if (view.iid > 0) {
    view.kind = Kind::issue;
    read.kind_guessed = true;
  }

  if (view.kind && view.iid > 0) {
    view.reference = short_ref.empty() ? short_reference(*view.kind, view.iid) : short_ref;
    view.full_reference = full_ref.empty() ? view.reference : full_ref;
  }
  return read;
}

}  // namespace

ContextView parse_context(std::string_view context_json) { return read_context(context_json).view; }

std::optional<Noteable> resolve_noteable(std::string_view context_json, std::string_view event, const Environment& env,
                                         const NoteableOverride& override) {
  const ReadContext read = read_context(context_json);
  const ContextView& context = read.view;
  std::optional<std::string> discussion;
  if (auto id = env.non_empty("AI_FLOW_DISCUSSION_ID"); id && !text::trim(*id).empty())
    discussion = std::string(text::trim(*id));

  Noteable noteable;
  if (override.issue_iid || override.merge_request_iid) {
    noteable.kind = override.merge_request_iid ? Kind::merge_request : Kind::issue;
    noteable.iid = override.merge_request_iid ? *override.merge_request_iid : *override.issue_iid;
    if (noteable.iid <= 0) return std::nullopt;
    noteable.project = std::string(text::trim(override.project));
    if (noteable.project.empty()) noteable.project = project_from_environment(env);
    if (noteable.project.empty()) noteable.project = context.project_id;
    if (noteable.project.empty()) return std::nullopt;
    // The context and its discussion only belong to the override when they name the same thing.
    if (context.kind == noteable.kind && context.iid == noteable.iid) {
      noteable.web_url = context.web_url;
      noteable.title = context.title;
      noteable.discussion_id = discussion;
    }
    return noteable;
  }

  std::optional<Kind> kind = context.kind;
  long long iid = context.iid;
  if (iid > 0 && read.kind_guessed && is_merge_request_event(event)) kind = Kind::merge_request;
  if (iid <= 0) {
    auto input_iid = parse_iid(env.get("AI_FLOW_INPUT").value_or(""));
    if (!input_iid) return std::nullopt;
    if (is_merge_request_event(event))
      kind = Kind::merge_request;
    else if (event == "work_item")
      kind = Kind::issue;
    else
      return std::nullopt;
    iid = *input_iid;
  }
  if (!kind) return std::nullopt;

  noteable.kind = *kind;
  noteable.iid = iid;
  noteable.web_url = context.web_url;
  noteable.title = context.title;
  noteable.discussion_id = discussion;
  noteable.id = context.id;
  if (*kind == Kind::epic) {
    noteable.group = context.group_id;
    if (noteable.group.empty()) noteable.group = group_path_from_url(context.web_url);
    if (noteable.group.empty()) return std::nullopt;
    // Only a legacy epic entity's id addresses the epic notes API; a work item's id is another number.
    if (context.web_url.find("/-/work_items/") != std::string::npos) noteable.id = 0;
  } else {
    noteable.project = context.project_id;
    if (noteable.project.empty()) noteable.project = project_from_environment(env);
    if (noteable.project.empty()) return std::nullopt;
  }
  return noteable;
}

}  // namespace flowrun::gitlab
