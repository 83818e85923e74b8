#include "flowrun/run/review_settings.h"

#include <charconv>

#include "flowrun/core/text.h"
#include "flowrun/git/push_checks.h"

namespace flowrun::run {
namespace {

std::vector<std::string> values_of(const std::vector<flow::Located<std::string>>& located) {
  std::vector<std::string> values;
  for (const auto& item : located) values.push_back(item.value);
  return values;
}

}  // namespace

ReviewSettings resolve_review_settings(const flow::FlowrunSettings& flow_settings, const Environment& env) {
  ReviewSettings settings;
  if (auto value = env.non_empty("FLOWRUN_PUSH_TO")) {
    if (*value == "merge-request") {
      settings.push_to = PushTo::merge_request;
    } else if (*value == "workload-branch") {
      settings.push_to = PushTo::workload_branch;
    } else {
      settings.errors.push_back("FLOWRUN_PUSH_TO must be merge-request or workload-branch, not \"" + *value +
                                "\"; pushing to the merge request's branch");
    }
  } else if (flow_settings.push_to) {
    settings.push_to =
        flow_settings.push_to->value == "workload-branch" ? PushTo::workload_branch : PushTo::merge_request;
  }

  if (auto value = env.non_empty("FLOWRUN_DRAFT")) {
    if (*value == "true" || *value == "1" || *value == "yes") {
      settings.draft = true;
    } else if (*value == "false" || *value == "0" || *value == "no") {
      settings.draft = false;
    } else {
      settings.errors.push_back("FLOWRUN_DRAFT must be true or false, not \"" + *value +
                                "\"; opening merge requests as drafts");
    }
  } else if (flow_settings.draft) {
    settings.draft = flow_settings.draft->value;
  }

  if (auto value = env.non_empty("FLOWRUN_LABELS")) {
    settings.labels = text::split_comma_list(*value);
  } else {
    settings.labels = values_of(flow_settings.labels);
  }

  settings.protected_paths = git::default_protected_paths();
  for (auto& glob : values_of(flow_settings.protected_paths)) settings.protected_paths.push_back(std::move(glob));
  for (auto& glob : text::split_comma_list(env.get("FLOWRUN_PROTECTED_PATHS").value_or("")))
    settings.protected_paths.push_back(std::move(glob));
  settings.allowed_protected = values_of(flow_settings.allow_protected);
  for (auto& glob : text::split_comma_list(env.get("FLOWRUN_ALLOW_PROTECTED_PATHS").value_or("")))
    settings.allowed_protected.push_back(std::move(glob));

  if (auto value = env.non_empty("FLOWRUN_MAX_FILE_SIZE")) {
    std::uint64_t bytes = 0;
    const auto [end, status] = std::from_chars(value->data(), value->data() + value->size(), bytes);
    if (status != std::errc() || end != value->data() + value->size() || bytes == 0) {
      settings.errors.push_back("FLOWRUN_MAX_FILE_SIZE must be a number of bytes of at least 1, not \"" + *value +
                                "\"; using " + std::to_string(settings.max_file_bytes));
    } else {
      settings.max_file_bytes = bytes;
    }
  } else if (flow_settings.max_file_size) {
    settings.max_file_bytes = static_cast<std::uint64_t>(flow_settings.max_file_size->value);
  }
  return settings;
}

}  // namespace flowrun::run
