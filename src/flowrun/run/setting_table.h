#pragma once
// Every setting of `flowrun run`, in one table: its flag, its FLOWRUN_* variable, its key in the flow's `flowrun:`
// settings, what it falls back to in GitLab's job environment, its default and how its value is checked. The first
// source that has a value wins, in that order; the plan (run_plan.h) resolves the table once, before anything runs.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/core/environment.h"
#include "flowrun/flow/flow.h"
#include "flowrun/run/settings.h"

namespace flowrun::run {

enum class Setting {
  timeout,
  kill_grace,
  artifacts_dir,
  log_file,
  report_file,
  junit_file,
  branch,
  remote_url,
  push,
  push_on_failure,
  push_attempts,
  push_any_branch,
  exclude,
  commit_message,
  reference,
  author_name,
  author_email,
  committer_name,
  committer_email,
  base_commit,
  gitlab_url,
  ca_file,
  gitlab_budget,
  merge_request,
  target_branch,
  default_branch,
  push_to,
  draft,
  labels,
  protected_paths,
  allow_protected_paths,
  max_file_size,
};

// How a value is checked and what it becomes.
enum class ValueKind {
  text,     // any text
  seconds,  // a whole number of seconds, at least 1
  count,    // a whole number within [minimum, maximum]
  flag,     // true/false, 1/0, yes/no
  choice,   // one of `choices`
  branch,   // a valid branch name
  url,      // an http(s) URL or a host name
  path,     // a file or folder; relative to the current directory
  list,     // comma-separated; every source adds to it rather than replacing it
};

// A value as one source gave it, and where: "--timeout", "FLOWRUN_TIMEOUT", "flow.yaml:7:12 (flowrun.timeout)",
// "CI_JOB_TIMEOUT" or "default".
struct SourcedValue {
  std::string text;
  std::string source;
};

struct SettingRow {
  Setting id;
  std::string_view name;  // shown in --dry-run and in errors
  ValueKind kind;
  std::string_view flag;      // "" when there is none
  std::string_view variable;  // the FLOWRUN_* variable; "" when there is none
  std::string_view flow_key;  // under `flowrun:`; "" when there is none
  std::string_view gitlab;    // GitLab's variables it falls back to, for people; "" when none
  std::string_view fallback;  // the default value; "" when there is none or the plan derives it
  std::string_view derived;   // how the plan derives the default when `fallback` is empty, for people
  std::vector<std::string_view> choices = {};
  long long minimum = 1;
  long long maximum = 0;
  // The value given on the command line, in the table's text form.
  std::optional<std::string> (*from_flags)(const RunSettings&) = nullptr;
  // The values the flow sets (several only for a list), with where they are in the file.
  std::vector<SourcedValue> (*from_flow)(const flow::FlowrunSettings&) = nullptr;
  // The value GitLab's job environment gives, with the variable it came from.
  std::optional<SourcedValue> (*from_gitlab)(const Environment&) = nullptr;
};

const std::vector<SettingRow>& setting_table();
const SettingRow& setting_row(Setting id);

}  // namespace flowrun::run
