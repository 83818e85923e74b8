#include "flowrun/gitlab/merge_request.h"

#include <algorithm>

#include "flowrun/core/text.h"
#include "flowrun/gitlab/internal/json.h"
#include "flowrun/gitlab/internal/url_escape.h"
#include "flowrun/gitlab/markdown.h"
#include "flowrun/gitlab/reporter.h"

namespace flowrun::gitlab {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxTitleBytes = 255;

std::string project_path(std::string_view project) { return "/projects/" + encoded_api_id(project); }

MergeRequestResult result_from(const json& merge_request, bool existing) {
  MergeRequestResult result;
  result.existing = existing;
  result.created = !existing;
  result.iid = internal::integer_field(merge_request, "iid").value_or(0);
  result.url = internal::string_field(merge_request, "web_url");
  return result;
}

// The open merge request from `source`, preferably into `target`; nullopt when none (or the list is unreadable).
std::optional<json> find_open(Client& client, std::string_view project, std::string_view source,
                              std::string_view target, std::string* error) {
  Response response =
      client.get(project_path(project) + "/merge_requests?state=opened&source_branch=" + internal::url_escaped(source) +
                 "&per_page=100");
  if (!response.ok()) {
    if (error) *error = response.error;
    return std::nullopt;
  }
  auto list = internal::parse_json(response.body);
  if (!list || !list->is_array()) return std::nullopt;
  std::optional<json> any;
  for (const json& merge_request : *list) {
    if (!merge_request.is_object() || internal::string_field(merge_request, "source_branch") != source) continue;
    if (target.empty() || internal::string_field(merge_request, "target_branch") == target) return merge_request;
    if (!any) any = merge_request;
  }
  return any;
}

std::string default_branch(Client& client, std::string_view project, std::string& error) {
  Response response = client.get(project_path(project));
  if (!response.ok()) {
    error = "could not read project " + std::string(project) + " to find its default branch: " + response.error;
    return "";
  }
  auto parsed = internal::parse_json(response.body);
  std::string branch = parsed ? internal::string_field(*parsed, "default_branch") : "";
  if (branch.empty()) error = "project " + std::string(project) + " has no default branch to open a merge request into";
  return branch;
}

// "@claude please fix" -> "please fix".
std::string_view without_leading_mentions(std::string_view line) {
  line = text::trim(line);
  while (line.starts_with("@")) {
    auto space = line.find_first_of(" \t");
    if (space == std::string_view::npos) return {};
    line = text::trim(line.substr(space));
    if (line.starts_with(",") || line.starts_with(":")) line = text::trim(line.substr(1));
  }
  return line;
}

bool only_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A reference from the context, kept only when it looks like one ("group/project#7", "!12", "&3").
std::string safe_reference(std::string_view reference) {
  if (reference.empty() || reference.size() > 300) return "";
  for (char c : reference) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
                         c == '.' || c == '_' || c == '-' || c == '#' || c == '!' || c == '&';
    if (!allowed) return "";
  }
  return std::string(reference);
}

}  // namespace

MergeRequestResult ensure_merge_request(Client& client, std::string_view project, std::string_view source_branch,
                                        std::string_view target_branch, std::string_view title,
                                        std::string_view description, MergeRequestMode mode,
                                        const MergeRequestDetails& details) {
  if (mode == MergeRequestMode::never) return {};
  MergeRequestResult failed;
  if (project.empty() || source_branch.empty()) {
    failed.error = "no project or source branch to open a merge request from";
    return failed;
  }

  std::string lookup_error;
  if (auto open = find_open(client, project, source_branch, target_branch, &lookup_error)) {
    client.log("GitLab merge request already open for " + std::string(source_branch));
    return result_from(*open, true);
  }
  if (!lookup_error.empty())
    client.log("GitLab: could not list open merge requests (" + lookup_error + "); trying to open one");

  std::string target(target_branch);
  if (target.empty()) {
    target = default_branch(client, project, failed.error);
    if (target.empty()) return failed;
  }
  constexpr std::string_view kDraft = "Draft: ";
  const std::size_t room = kMaxTitleBytes - (details.draft ? kDraft.size() : 0);
  std::string clean_title = neutralize_single_line(title, room);
  if (clean_title.empty()) clean_title = neutralize_single_line("Changes from " + std::string(source_branch), room);
  if (details.draft) clean_title = std::string(kDraft) + clean_title;

  json request{{"source_branch", std::string(source_branch)},
               {"target_branch", target},
               {"title", clean_title},
               {"description", std::string(description)},
               {"remove_source_branch", true}};
  if (!details.reviewer_ids.empty()) request["reviewer_ids"] = details.reviewer_ids;
  if (!details.labels.empty()) {
    std::string labels;
    for (const auto& label : details.labels) labels += (labels.empty() ? "" : ",") + label;
    request["labels"] = labels;
  }
  Response created = client.post_json(project_path(project) + "/merge_requests", internal::dump(request),
                                      [&]() -> std::optional<Response> {
                                        auto open = find_open(client, project, source_branch, target, nullptr);
                                        if (!open) return std::nullopt;
                                        return Response{201, internal::dump(*open), ""};
                                      });
  if (created.ok()) {
    auto parsed = internal::parse_json(created.body);
    return result_from(parsed ? *parsed : json::object(), false);
  }
  if (created.status == 409) {
    if (auto open = find_open(client, project, source_branch, "", nullptr)) return result_from(*open, true);
  }
  failed.error = "could not open a merge request from " + std::string(source_branch) + " into " + target +
                 " in project " + std::string(project) + ": " + created.error;
  return failed;
}

MergeRequestText merge_request_text(const ContextView& requested_in, std::string_view flow_input,
                                    std::string_view flow_name, std::string_view job_url, bool close_issue) {
  MergeRequestText text;
  std::string_view task = without_leading_mentions(text::first_line(text::trim(flow_input)));
  if (!task.empty() && !only_digits(task)) text.title = neutralize_single_line(task, kMaxTitleBytes);
  if (text.title.empty()) text.title = neutralize_single_line(requested_in.title, kMaxTitleBytes);
  if (text.title.empty())
    text.title = neutralize_single_line("Changes from flow " + std::string(flow_name), kMaxTitleBytes);

  const std::string reference = safe_reference(requested_in.full_reference);
  const std::string flow = flow_name.empty() ? std::string("flowrun") : "flow " + inline_code(flow_name);
  text.description =
      reference.empty() ? "Changes made by " + flow + "." : "Requested in " + reference + ", made by " + flow + ".";
  if (job_url.starts_with("https://") || job_url.starts_with("http://")) {
    const bool plain = std::none_of(job_url.begin(), job_url.end(), [](char c) {
      return static_cast<unsigned char>(c) <= ' ' || c == '(' || c == ')' || c == '<' || c == '>';
    });
    if (plain) text.description += "\n\n[Job log](" + std::string(job_url) + ")";
  }
  if (close_issue && !reference.empty() && requested_in.kind == Noteable::Kind::issue)
    text.description += "\n\nCloses " + reference;
  return text;
}

}  // namespace flowrun::gitlab
