// The table of every `flowrun run` setting. Adding a setting means adding a row here and a field to RunPlan.
// The table is written with designated initializers that leave the rest of each row at its default.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include "flowrun/run/setting_table.h"

#include <stdexcept>

#include "flowrun/core/gitlab_environment.h"
#include "flowrun/git/target.h"

namespace flowrun::run {

namespace {

std::string where(const flow::SourcePosition& position, std::string_view key) {
  return position.file + ":" + std::to_string(position.line) + ":" + std::to_string(position.column) + " (flowrun." +
         std::string(key) + ")";
}

template <typename T>
std::vector<SourcedValue> from_located(const std::optional<flow::Located<T>>& value, std::string_view key) {
  if (!value) return {};
  if constexpr (std::is_same_v<T, std::string>) {
    return {{value->value, where(value->position, key)}};
  } else if constexpr (std::is_same_v<T, bool>) {
    return {{value->value ? "true" : "false", where(value->position, key)}};
  } else {
    return {{std::to_string(value->value), where(value->position, key)}};
  }
}

std::vector<SourcedValue> from_list(const std::vector<flow::Located<std::string>>& items, std::string_view key) {
  std::vector<SourcedValue> values;
  values.reserve(items.size());
  for (const auto& item : items) values.push_back({item.value, where(item.position, key)});
  return values;
}

std::optional<std::string> seconds_text(const std::optional<std::chrono::seconds>& value) {
  if (!value) return std::nullopt;
  return std::to_string(value->count());
}

std::optional<std::string> path_text(const std::optional<std::filesystem::path>& value) {
  if (!value) return std::nullopt;
  return value->string();
}

std::optional<std::string> flag_text(const std::optional<bool>& value) {
  if (!value) return std::nullopt;
  return *value ? "true" : "false";
}

std::optional<SourcedValue> first_variable(const Environment& env, std::initializer_list<std::string_view> names) {
  if (auto found = env.first_non_empty(names)) return SourcedValue{found->second, found->first};
  return std::nullopt;
}

std::optional<SourcedValue> from_variables(const Environment& env, const std::vector<std::string_view>& names) {
  for (auto name : names) {
    if (auto value = env.non_empty(name)) return SourcedValue{*value, std::string(name)};
  }
  return std::nullopt;
}

// The branch GitLab made for this run: a workload ref turned into the branch name it pushes to.
std::optional<SourcedValue> workload_branch(const Environment& env) {
  auto ref = env.non_empty("CI_WORKLOAD_REF");
  if (!ref) return std::nullopt;
  // Empty when it is not a usable ref, so the branch check refuses it.
  return SourcedValue{git::branch_for_workload_ref(*ref).value_or(""), "CI_WORKLOAD_REF"};
}

// The branch the job ran on, unless it is the workload ref itself (a merge request goes from that, not into it).
std::optional<SourcedValue> job_branch(const Environment& env) {
  for (std::string_view name : {"CI_COMMIT_BRANCH", "CI_COMMIT_REF_NAME"}) {
    auto value = env.non_empty(name);
    if (!value || value->rfind("workloads/", 0) == 0 || value->rfind("refs/", 0) == 0) continue;
    return SourcedValue{*value, std::string(name)};
  }
  return std::nullopt;
}

std::optional<SourcedValue> gitlab_server(const Environment& env) {
  if (auto api = env.non_empty("CI_API_V4_URL")) return SourcedValue{*api, "CI_API_V4_URL"};
  if (auto url = gitlab_environment::server_url(env)) return SourcedValue{*url, "GitLab's job variables"};
  return std::nullopt;
}

std::optional<SourcedValue> project_remote(const Environment& env) {
  if (auto url = git::remote_url(env, "")) return SourcedValue{*url, "GitLab's job variables"};
  return std::nullopt;
}

const std::vector<SettingRow> kTable = [] {
  std::vector<SettingRow> rows;
  rows.push_back(
      {.id = Setting::timeout,
       .name = "timeout",
       .kind = ValueKind::seconds,
       .flag = "--timeout",
       .variable = "FLOWRUN_TIMEOUT",
       .flow_key = "flowrun.timeout",
       .gitlab = "CI_JOB_TIMEOUT, less the time since CI_JOB_STARTED_AT",
       .fallback = "7200",
       .from_flags = [](const RunSettings& s) { return seconds_text(s.timeout); },
       .from_flow = [](const flow::FlowrunSettings& f) { return from_located(f.timeout_seconds, "timeout"); },
       .from_gitlab = [](const Environment& env) { return first_variable(env, {"CI_JOB_TIMEOUT"}); }});
  rows.push_back({.id = Setting::kill_grace,
                  .name = "kill_grace",
                  .kind = ValueKind::seconds,
                  .flag = "--kill-grace",
                  .variable = "FLOWRUN_KILL_GRACE",
                  .fallback = "10",
                  .from_flags = [](const RunSettings& s) { return seconds_text(s.kill_grace); }});
  rows.push_back({.id = Setting::artifacts_dir,
                  .name = "artifacts_dir",
                  .kind = ValueKind::path,
                  .flag = "--artifacts-dir",
                  .variable = "FLOWRUN_ARTIFACTS_DIR",
                  .derived = ".flowrun in the work tree",
                  .from_flags = [](const RunSettings& s) { return path_text(s.artifacts_dir); }});
  rows.push_back({.id = Setting::log_file,
                  .name = "log_file",
                  .kind = ValueKind::path,
                  .flag = "--log-file",
                  .variable = "FLOWRUN_LOG_FILE",
                  .derived = "flowrun.log in the artifacts folder",
                  .from_flags = [](const RunSettings& s) { return path_text(s.log_file); }});
  rows.push_back({.id = Setting::report_file,
                  .name = "report_file",
                  .kind = ValueKind::path,
                  .flag = "--report",
                  .variable = "FLOWRUN_REPORT_FILE",
                  .derived = "report.json in the artifacts folder",
                  .from_flags = [](const RunSettings& s) { return path_text(s.report_file); }});
  rows.push_back({.id = Setting::junit_file,
                  .name = "junit_file",
                  .kind = ValueKind::path,
                  .flag = "--junit",
                  .variable = "FLOWRUN_JUNIT_FILE",
                  .derived = "none: no JUnit report",
                  .from_flags = [](const RunSettings& s) { return path_text(s.junit_file); }});
  rows.push_back({.id = Setting::branch,
                  .name = "branch",
                  .kind = ValueKind::branch,
                  .flag = "--branch",
                  .variable = "FLOWRUN_BRANCH",
                  .flow_key = "flowrun.branch",
                  .gitlab = "CI_WORKLOAD_REF",
                  .derived = "none: nothing is pushed",
                  .from_flags = [](const RunSettings& s) { return s.branch; },
                  .from_flow = [](const flow::FlowrunSettings& f) { return from_located(f.branch, "branch"); },
                  .from_gitlab = workload_branch});
  rows.push_back({.id = Setting::remote_url,
                  .name = "remote_url",
                  .kind = ValueKind::url,
                  .flag = "--remote",
                  .variable = "FLOWRUN_REMOTE_URL",
                  .gitlab = "the server URL (CI_SERVER_URL, GITLAB_BASE_URL, CI_PROJECT_URL, ...) and CI_PROJECT_PATH",
                  .derived = "none: commit locally only",
                  .from_flags = [](const RunSettings& s) { return s.remote_url; },
                  .from_gitlab = project_remote});
  rows.push_back({.id = Setting::push,
                  .name = "push",
                  .kind = ValueKind::flag,
                  .flag = "--no-push",
                  .variable = "FLOWRUN_PUSH",
                  .fallback = "true",
                  .from_flags = [](const RunSettings& s) { return flag_text(s.push); }});
  rows.push_back(
      {.id = Setting::push_on_failure,
       .name = "push_on_failure",
       .kind = ValueKind::flag,
       .flag = "--push-on-failure",
       .variable = "FLOWRUN_PUSH_ON_FAILURE",
       .flow_key = "flowrun.push_on_failure",
       .fallback = "false",
       .from_flags = [](const RunSettings& s) { return flag_text(s.push_on_failure); },
       .from_flow = [](const flow::FlowrunSettings& f) { return from_located(f.push_on_failure, "push_on_failure"); }});
  rows.push_back({.id = Setting::push_attempts,
                  .name = "push_attempts",
                  .kind = ValueKind::count,
                  .variable = "FLOWRUN_PUSH_ATTEMPTS",
                  .fallback = "4",
                  .minimum = 1,
                  .maximum = 20});
  rows.push_back({.id = Setting::push_any_branch,
                  .name = "push_any_branch",
                  .kind = ValueKind::flag,
                  .variable = "FLOWRUN_PUSH_ANY_BRANCH",
                  .fallback = "false"});
  rows.push_back({.id = Setting::exclude,
                  .name = "exclude",
                  .kind = ValueKind::list,
                  .flag = "--exclude",
                  .variable = "FLOWRUN_EXCLUDE",
                  .flow_key = "flowrun.exclude",
                  .derived = "none",
                  .from_flags = [](const RunSettings& s) -> std::optional<std::string> {
                    std::string joined;
                    for (const auto& glob : s.exclude) joined += (joined.empty() ? "" : ",") + glob;
                    if (joined.empty()) return std::nullopt;
                    return joined;
                  },
                  .from_flow = [](const flow::FlowrunSettings& f) { return from_list(f.exclude, "exclude"); }});
  rows.push_back(
      {.id = Setting::commit_message,
       .name = "commit_message",
       .kind = ValueKind::text,
       .flow_key = "flowrun.commit_message",
       .derived = "the built-in template",
       .from_flow = [](const flow::FlowrunSettings& f) { return from_located(f.commit_message, "commit_message"); }});
  rows.push_back({.id = Setting::reference,
                  .name = "reference",
                  .kind = ValueKind::text,
                  .variable = "FLOWRUN_REFERENCE",
                  .gitlab = "CI_PROJECT_PATH",
                  .fallback = "the project",
                  .from_gitlab = [](const Environment& env) { return first_variable(env, {"CI_PROJECT_PATH"}); }});
  // The flow's `flowrun.author` names both the author and the committer; GitLab names the service account as author
  // and the person who asked as committer.
  rows.push_back(
      {.id = Setting::author_name,
       .name = "author_name",
       .kind = ValueKind::text,
       .flow_key = "flowrun.author.name",
       .gitlab = "GIT_AUTHOR_NAME, DUO_WORKFLOW_GIT_AUTHOR_USER_NAME",
       .derived = "the repository's user.name, else the global one, else flowrun",
       .from_flow = [](const flow::FlowrunSettings& f) { return from_located(f.author_name, "author.name"); },
       .from_gitlab =
           [](const Environment& env) { return from_variables(env, gitlab_environment::author_name_variables()); }});
  rows.push_back(
      {.id = Setting::author_email,
       .name = "author_email",
       .kind = ValueKind::text,
       .flow_key = "flowrun.author.email",
       .gitlab = "GIT_AUTHOR_EMAIL, DUO_WORKFLOW_GIT_AUTHOR_EMAIL",
       .derived = "the repository's user.email, else the global one, else flowrun@localhost",
       .from_flow = [](const flow::FlowrunSettings& f) { return from_located(f.author_email, "author.email"); },
       .from_gitlab =
           [](const Environment& env) { return from_variables(env, gitlab_environment::author_email_variables()); }});
  rows.push_back(
      {.id = Setting::committer_name,
       .name = "committer_name",
       .kind = ValueKind::text,
       .flow_key = "flowrun.author.name",
       .gitlab = "GIT_COMMITTER_NAME, DUO_WORKFLOW_GIT_USER_NAME",
       .derived = "the repository's user.name, else the global one, else flowrun",
       .from_flow = [](const flow::FlowrunSettings& f) { return from_located(f.author_name, "author.name"); },
       .from_gitlab =
           [](const Environment& env) { return from_variables(env, gitlab_environment::committer_name_variables()); }});
  rows.push_back(
      {.id = Setting::committer_email,
       .name = "committer_email",
       .kind = ValueKind::text,
       .flow_key = "flowrun.author.email",
       .gitlab = "GIT_COMMITTER_EMAIL, DUO_WORKFLOW_GIT_USER_EMAIL",
       .derived = "the repository's user.email, else the global one, else flowrun@localhost",
       .from_flow = [](const flow::FlowrunSettings& f) { return from_located(f.author_email, "author.email"); },
       .from_gitlab =
           [](const Environment& env) {
             return from_variables(env, gitlab_environment::committer_email_variables());
           }});
  rows.push_back({.id = Setting::base_commit,
                  .name = "base_commit",
                  .kind = ValueKind::text,
                  .variable = "FLOWRUN_BASE_COMMIT",
                  .derived = "HEAD when the commands start"});
  rows.push_back({.id = Setting::gitlab_url,
                  .name = "gitlab_url",
                  .kind = ValueKind::url,
                  .flag = "--gitlab-url",
                  .variable = "FLOWRUN_GITLAB_URL",
                  .gitlab = "CI_API_V4_URL, else the server URL (CI_SERVER_URL, GITLAB_BASE_URL, CI_PROJECT_URL, ...)",
                  .derived = "none: the note is only logged",
                  .from_flags = [](const RunSettings& s) { return s.gitlab_url; },
                  .from_gitlab = gitlab_server});
  rows.push_back(
      {.id = Setting::ca_file,
       .name = "ca_file",
       .kind = ValueKind::path,
       .variable = "FLOWRUN_CA_FILE",
       .gitlab = "CI_SERVER_TLS_CA_FILE",
       .derived = "the system's CA certificates, else those the release bundle carries",
       .from_gitlab = [](const Environment& env) { return first_variable(env, {"CI_SERVER_TLS_CA_FILE"}); }});
  rows.push_back({.id = Setting::gitlab_budget,
                  .name = "gitlab_budget",
                  .kind = ValueKind::seconds,
                  .variable = "FLOWRUN_GITLAB_BUDGET",
                  .fallback = "120"});
  rows.push_back(
      {.id = Setting::merge_request,
       .name = "merge_request",
       .kind = ValueKind::choice,
       .flag = "--merge-request",
       .variable = "FLOWRUN_MERGE_REQUEST",
       .flow_key = "flowrun.merge_request",
       .fallback = "auto",
       .choices = {"auto", "always", "never"},
       .from_flags = [](const RunSettings& s) { return s.merge_request_mode; },
       .from_flow = [](const flow::FlowrunSettings& f) { return from_located(f.merge_request, "merge_request"); }});
  rows.push_back({.id = Setting::target_branch,
                  .name = "target_branch",
                  .kind = ValueKind::branch,
                  .variable = "FLOWRUN_TARGET_BRANCH",
                  .gitlab = "CI_COMMIT_BRANCH, CI_COMMIT_REF_NAME (not a workload ref)",
                  .derived = "the merge request's source branch, else the project's default branch",
                  .from_gitlab = job_branch});
  rows.push_back({.id = Setting::default_branch,
                  .name = "default_branch",
                  .kind = ValueKind::branch,
                  .gitlab = "CI_DEFAULT_BRANCH",
                  .derived = "main and master are both treated as default",
                  .from_gitlab = [](const Environment& env) { return first_variable(env, {"CI_DEFAULT_BRANCH"}); }});
  // The review loop and the checks before pushing.
  rows.push_back({.id = Setting::push_to,
                  .name = "push_to",
                  .kind = ValueKind::choice,
                  .variable = "FLOWRUN_PUSH_TO",
                  .flow_key = "flowrun.push_to",
                  .fallback = "merge-request",
                  .choices = {"merge-request", "workload-branch"},
                  .from_flow = [](const flow::FlowrunSettings& f) { return from_located(f.push_to, "push_to"); }});
  rows.push_back({.id = Setting::draft,
                  .name = "draft",
                  .kind = ValueKind::flag,
                  .variable = "FLOWRUN_DRAFT",
                  .flow_key = "flowrun.draft",
                  .fallback = "true",
                  .from_flow = [](const flow::FlowrunSettings& f) { return from_located(f.draft, "draft"); }});
  rows.push_back({.id = Setting::labels,
                  .name = "labels",
                  .kind = ValueKind::list,
                  .variable = "FLOWRUN_LABELS",
                  .flow_key = "flowrun.labels",
                  .derived = "none",
                  .from_flow = [](const flow::FlowrunSettings& f) { return from_list(f.labels, "labels"); }});
  rows.push_back(
      {.id = Setting::protected_paths,
       .name = "protected_paths",
       .kind = ValueKind::list,
       .variable = "FLOWRUN_PROTECTED_PATHS",
       .flow_key = "flowrun.protected_paths",
       .derived = "CI configuration, .gitlab/duo/**, CODEOWNERS (always), and these",
       .from_flow = [](const flow::FlowrunSettings& f) { return from_list(f.protected_paths, "protected_paths"); }});
  rows.push_back({.id = Setting::allow_protected_paths,
                  .name = "allow_protected_paths",
                  .kind = ValueKind::list,
                  .variable = "FLOWRUN_ALLOW_PROTECTED_PATHS",
                  .flow_key = "flowrun.allow_protected_paths",
                  .derived = "none",
                  .from_flow = [](const flow::FlowrunSettings& f) {
                    return from_list(f.allow_protected, "allow_protected_paths");
                  }});
  rows.push_back(
      {.id = Setting::max_file_size,
       .name = "max_file_size",
       .kind = ValueKind::count,
       .variable = "FLOWRUN_MAX_FILE_SIZE",
       .flow_key = "flowrun.max_file_size",
       .fallback = "5242880",
       .minimum = 1,
       .maximum = 1LL << 40,
       .from_flow = [](const flow::FlowrunSettings& f) { return from_located(f.max_file_size, "max_file_size"); }});
  return rows;
}();

}  // namespace

const std::vector<SettingRow>& setting_table() { return kTable; }

const SettingRow& setting_row(Setting id) {
  for (const auto& row : kTable) {
    if (row.id == id) return row;
  }
  throw std::logic_error("a setting has no row in the setting table");
}

}  // namespace flowrun::run
