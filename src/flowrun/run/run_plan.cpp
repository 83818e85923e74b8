// Resolving the setting table into a run plan: find each setting's value in its first source that has one, check it
// as its kind says, and keep where it came from.
#include "flowrun/run/run_plan.h"

#include <charconv>
#include <map>

#include "flowrun/core/ca_bundle.h"
#include "flowrun/core/text.h"
#include "flowrun/git/push_checks.h"
#include "flowrun/git/target.h"
#include "flowrun/gitlab/api_endpoint.h"

namespace flowrun::run {

namespace {

constexpr std::string_view kDefaultSource = "default";

std::vector<std::string> split_list(std::string_view value) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    auto item = text::trim(value.substr(start, comma - start));
    if (!item.empty()) items.emplace_back(item);
    start = comma + 1;
  }
  return items;
}

enum class Origin { flag, variable, flow, gitlab, fallback };

struct Found {
  SourcedValue value;
  Origin origin;
};

// The value of a one-value setting: the first source that has one.
std::optional<Found> find_value(const SettingRow& row, const RunSettings& flags,
                                const flow::FlowrunSettings& flow_settings, const Environment& env) {
  if (row.from_flags) {
    if (auto text = row.from_flags(flags)) return Found{{*text, std::string(row.flag)}, Origin::flag};
  }
  if (!row.variable.empty()) {
    if (auto text = env.non_empty(row.variable)) return Found{{*text, std::string(row.variable)}, Origin::variable};
  }
  if (row.from_flow) {
    auto values = row.from_flow(flow_settings);
    if (!values.empty()) return Found{values.front(), Origin::flow};
  }
  if (row.from_gitlab) {
    if (auto value = row.from_gitlab(env)) return Found{*value, Origin::gitlab};
  }
  if (!row.fallback.empty()) return Found{{std::string(row.fallback), std::string(kDefaultSource)}, Origin::fallback};
  return std::nullopt;
}

// A list adds up every source, the flow's entries first.
std::vector<SourcedValue> find_list(const SettingRow& row, const RunSettings& flags,
                                    const flow::FlowrunSettings& flow_settings, const Environment& env) {
  std::vector<SourcedValue> items;
  if (row.from_flow) items = row.from_flow(flow_settings);
  if (row.from_flags) {
    if (auto text = row.from_flags(flags)) {
      for (auto& item : split_list(*text)) items.push_back({item, std::string(row.flag)});
    }
  }
  if (!row.variable.empty()) {
    if (auto text = env.non_empty(row.variable)) {
      for (auto& item : split_list(*text)) items.push_back({item, std::string(row.variable)});
    }
  }
  return items;
}

std::optional<long long> whole_number(std::string_view text) {
  text = text::trim(text);
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> truth(std::string_view text) {
  const std::string lower = text::to_lower(text::trim(text));
  if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") return true;
  if (lower == "false" || lower == "0" || lower == "no" || lower == "off") return false;
  return std::nullopt;
}

// The checked value as text, or the reason it cannot be used.
struct Checked {
  std::string value;
  std::string problem;
};

Checked check(const SettingRow& row, const SourcedValue& given) {
  const std::string& text = given.text;
  switch (row.kind) {
    case ValueKind::text:
    case ValueKind::list:
      return {text, ""};
    case ValueKind::seconds: {
      auto number = whole_number(text);
      if (!number || *number < 1) return {"", "must be a whole number of seconds, at least 1"};
      return {std::to_string(*number), ""};
    }
    case ValueKind::count: {
      auto number = whole_number(text);
      if (!number || *number < row.minimum || *number > row.maximum) {
        return {"",
                "must be a whole number from " + std::to_string(row.minimum) + " to " + std::to_string(row.maximum)};
      }
      return {std::to_string(*number), ""};
    }
    case ValueKind::flag: {
      auto value = truth(text);
      if (!value) return {"", "must be true or false (or 1/0, yes/no)"};
      return {*value ? "true" : "false", ""};
    }
    case ValueKind::choice: {
      std::string allowed;
      for (auto choice : row.choices) {
        if (text == choice) return {text, ""};
        allowed += (allowed.empty() ? "" : ", ") + std::string(choice);
      }
      return {"", "must be one of " + allowed};
    }
    case ValueKind::branch:
      if (!git::is_valid_branch_name(text)) {
        return {"", "is not a valid branch name; use letters, digits, '/', '-', '_' and '.'"};
      }
      return {text, ""};
    case ValueKind::url: {
      if (row.id == Setting::gitlab_url) {
        auto api = gitlab::normalize_api_url(text);
        if (!api) return {"", "is not an http(s) URL or host name of a GitLab instance"};
        return {*api, ""};
      }
      if (text::trim(text).empty() || text.find_first_of(" \t\r\n") != std::string::npos) {
        return {"", "is not a URL"};
      }
      return {git::without_userinfo(text), ""};
    }
    case ValueKind::path:
      return {std::filesystem::absolute(text).string(), ""};
  }
  return {text, ""};
}

}  // namespace

PlanResult resolve_run_plan(const RunSettings& flags, const flow::FlowrunSettings& flow_settings,
                            const Environment& job_env, const std::filesystem::path& workdir) {
  PlanResult result;
  RunPlan& plan = result.plan;
  std::map<Setting, Found> values;                    // the checked values, by setting
  std::map<Setting, std::vector<std::string>> lists;  // the lists, every source's items
  std::vector<std::string> warnings;
  for (const SettingRow& row : setting_table()) {
    if (row.kind == ValueKind::list) {
      auto items = find_list(row, flags, flow_settings, job_env);
      std::string shown, sources;
      auto& list = lists[row.id];
      for (const auto& item : items) {
        list.push_back(item.text);
        shown += (shown.empty() ? "" : ", ") + item.text;
        if (sources.find(item.source) == std::string::npos) sources += (sources.empty() ? "" : " + ") + item.source;
      }
      plan.explained.push_back({std::string(row.name), shown, sources.empty() ? std::string(row.derived) : sources});
      continue;
    }
    auto found = find_value(row, flags, flow_settings, job_env);
    if (!found) {
      plan.explained.push_back({std::string(row.name), "", std::string(row.derived)});
      continue;
    }
    const SourcedValue* given = &found->value;
    Checked checked = check(row, *given);
    if (!checked.problem.empty()) {
      const std::string message =
          given->source + ": " + std::string(row.name) + " '" + given->text + "' " + checked.problem;
      if (row.id == Setting::branch && found->origin == Origin::gitlab) {
        // GitLab's own value: the commands still run and their work is committed locally.
        plan.branch_error =
            "CI_WORKLOAD_REF is not a usable branch or workload ref; pass --branch to choose where to "
            "push";
        plan.explained.push_back({std::string(row.name), "", plan.branch_error});
        continue;
      } else if (found->origin == Origin::gitlab) {
        // A job variable the flow's author cannot change: the default, said out loud.
        plan.explained.push_back({std::string(row.name), std::string(row.fallback), "default (" + message + ")"});
        if (!row.fallback.empty())
          values[row.id] = {{std::string(row.fallback), std::string(kDefaultSource)}, Origin::fallback};
        continue;
      } else {
        result.errors.push_back({message});
      }
      plan.explained.push_back({std::string(row.name), "", message});
      continue;
    }
    plan.explained.push_back({std::string(row.name), checked.value, given->source});
    values[row.id] = {{checked.value, given->source}, found->origin};
  }

  auto text_of = [&values](Setting id) -> std::optional<std::string> {
    auto found = values.find(id);
    if (found == values.end()) return std::nullopt;
    return found->second.value.text;
  };
  auto source_of = [&values](Setting id) {
    auto found = values.find(id);
    return found == values.end() ? std::string() : found->second.value.source;
  };
  auto number_of = [&text_of](Setting id, long long fallback) {
    auto text = text_of(id);
    return text ? whole_number(*text).value_or(fallback) : fallback;
  };
  auto flag_of = [&text_of](Setting id, bool fallback) {
    auto text = text_of(id);
    return text ? *text == "true" : fallback;
  };

  plan.timeout = std::chrono::seconds(number_of(Setting::timeout, 7200));
  plan.timeout_source = source_of(Setting::timeout);
  plan.timeout_from_job = plan.timeout_source == "CI_JOB_TIMEOUT" || plan.timeout_source == kDefaultSource;
  plan.kill_grace = std::chrono::seconds(number_of(Setting::kill_grace, 10));

  plan.artifacts_dir = text_of(Setting::artifacts_dir).value_or((workdir / ".flowrun").string());
  plan.log_file = text_of(Setting::log_file).value_or((plan.artifacts_dir / "flowrun.log").string());
  plan.report_file = text_of(Setting::report_file).value_or((plan.artifacts_dir / "report.json").string());
  if (auto junit = text_of(Setting::junit_file)) plan.junit_file = *junit;
  // Derived defaults are shown with the value they came to.
  auto show_derived = [&plan](Setting id, const std::filesystem::path& value) {
    const SettingRow& row = setting_row(id);
    for (auto& setting : plan.explained) {
      if (setting.name == row.name && setting.value.empty()) {
        setting.value = value.string();
        setting.source = "default: " + std::string(row.derived);
      }
    }
  };
  show_derived(Setting::artifacts_dir, plan.artifacts_dir);
  show_derived(Setting::log_file, plan.log_file);
  show_derived(Setting::report_file, plan.report_file);

  plan.branch = text_of(Setting::branch);
  const std::string branch_source = source_of(Setting::branch);
  plan.branch_named = plan.branch && branch_source != "CI_WORKLOAD_REF";
  if (!plan.branch && plan.branch_error.empty()) {
    plan.branch_error =
        "no branch to push to: CI_WORKLOAD_REF is not set (GitLab sets it in a flow's job); pass --branch NAME";
  }
  plan.remote_url = text_of(Setting::remote_url).value_or("");
  plan.push = flag_of(Setting::push, true);
  plan.push_on_failure = flag_of(Setting::push_on_failure, false);
  plan.push_attempts = static_cast<int>(number_of(Setting::push_attempts, 4));
  plan.push_any_branch = flag_of(Setting::push_any_branch, false);
  plan.commit_message_template = text_of(Setting::commit_message);
  plan.reference = text_of(Setting::reference).value_or("the project");
  plan.author_name = text_of(Setting::author_name);
  plan.author_email = text_of(Setting::author_email);
  plan.committer_name = text_of(Setting::committer_name);
  plan.committer_email = text_of(Setting::committer_email);
  // The person who asked, as GitLab names them, is credited in the commit message too.
  auto from_job = [&values](Setting id) {
    auto found = values.find(id);
    return found != values.end() && found->second.origin == Origin::gitlab;
  };
  if (from_job(Setting::committer_name) && from_job(Setting::committer_email) &&
      plan.committer_email != plan.author_email) {
    plan.co_author = *plan.committer_name + " <" + *plan.committer_email + ">";
  }
  plan.base_commit = text_of(Setting::base_commit).value_or("");
  plan.default_branch = text_of(Setting::default_branch);

  plan.gitlab_url = text_of(Setting::gitlab_url);
  // With none named, the system's CAs; on a system without any (a slim image), the ones the release bundle carries.
  plan.ca_file = text_of(Setting::ca_file).value_or(ca_file_from_environment(Environment()));
  plan.gitlab_budget = std::chrono::seconds(number_of(Setting::gitlab_budget, 120));
  const std::string mode = text_of(Setting::merge_request).value_or("auto");
  plan.merge_request = mode == "always"  ? gitlab::MergeRequestMode::always
                       : mode == "never" ? gitlab::MergeRequestMode::never
                                         : gitlab::MergeRequestMode::automatic;
  plan.exclude = lists[Setting::exclude];

  ReviewSettings& review = plan.review;
  review.push_to = text_of(Setting::push_to) == "workload-branch" ? PushTo::workload_branch : PushTo::merge_request;
  review.draft = flag_of(Setting::draft, true);
  review.labels = lists[Setting::labels];
  review.protected_paths = git::default_protected_paths();
  for (auto& path : lists[Setting::protected_paths]) review.protected_paths.push_back(path);
  review.allowed_protected = lists[Setting::allow_protected_paths];
  review.max_file_bytes = static_cast<std::uint64_t>(number_of(Setting::max_file_size, 5 * 1024 * 1024));

  plan.target_branch = text_of(Setting::target_branch);
  plan.target_branch_named = source_of(Setting::target_branch) == setting_row(Setting::target_branch).variable;
  return result;
}

}  // namespace flowrun::run
