#include "flowrun/run/run_plan.h"

#include <gtest/gtest.h>

#include <set>

#include "flowrun/git/push_checks.h"

namespace flowrun::run {
namespace {

using std::chrono::seconds;

flow::SourcePosition at(int line, int column) { return {"flow.yaml", line, column}; }

const ExplainedSetting& explained(const RunPlan& plan, std::string_view name) {
  for (const auto& setting : plan.explained) {
    if (setting.name == name) return setting;
  }
  throw std::runtime_error("no setting " + std::string(name));
}

PlanResult resolve(const RunSettings& flags, const flow::FlowrunSettings& flow_settings,
                   std::map<std::string, std::string> env) {
  return resolve_run_plan(flags, flow_settings, Environment(std::move(env)), "/work/tree");
}

TEST(SettingTable, EveryRowHasAUniqueNameAndASource) {
  std::set<std::string_view> names;
  for (const auto& row : setting_table()) {
    EXPECT_TRUE(names.insert(row.name).second) << row.name;
    const bool has_source = !row.flag.empty() || !row.variable.empty() || !row.flow_key.empty() || row.from_gitlab;
    EXPECT_TRUE(has_source) << row.name;
    EXPECT_TRUE(!row.fallback.empty() || !row.derived.empty()) << row.name << " says nothing of its default";
    EXPECT_EQ(row.flag.empty(), row.from_flags == nullptr) << row.name;
    EXPECT_EQ(row.flow_key.empty(), row.from_flow == nullptr) << row.name;
    if (!row.variable.empty()) {
      EXPECT_TRUE(row.variable.starts_with("FLOWRUN_")) << row.name;
    }
    EXPECT_EQ(&setting_row(row.id), &row);
  }
}

TEST(RunPlan, TheFlagWinsThenTheVariableThenTheFlowThenGitLabThenTheDefault) {
  RunSettings flags;
  flags.timeout = seconds(600);
  flow::FlowrunSettings flow_settings;
  flow_settings.timeout_seconds = flow::Located<long long>{1200, at(4, 12)};
  std::map<std::string, std::string> env{{"FLOWRUN_TIMEOUT", "900"}, {"CI_JOB_TIMEOUT", "3600"}};

  auto plan = resolve(flags, flow_settings, env).plan;
  EXPECT_EQ(plan.timeout, seconds(600));
  EXPECT_EQ(plan.timeout_source, "--timeout");
  EXPECT_FALSE(plan.timeout_from_job);

  plan = resolve({}, flow_settings, env).plan;
  EXPECT_EQ(plan.timeout, seconds(900));
  EXPECT_EQ(plan.timeout_source, "FLOWRUN_TIMEOUT");

  env.erase("FLOWRUN_TIMEOUT");
  plan = resolve({}, flow_settings, env).plan;
  EXPECT_EQ(plan.timeout, seconds(1200));
  EXPECT_EQ(plan.timeout_source, "flow.yaml:4:12 (flowrun.timeout)");

  plan = resolve({}, {}, env).plan;
  EXPECT_EQ(plan.timeout, seconds(3600));
  EXPECT_EQ(plan.timeout_source, "CI_JOB_TIMEOUT");
  EXPECT_TRUE(plan.timeout_from_job);

  plan = resolve({}, {}, {}).plan;
  EXPECT_EQ(plan.timeout, seconds(7200));
  EXPECT_EQ(plan.timeout_source, "default");
  EXPECT_TRUE(plan.timeout_from_job);
}

TEST(RunPlan, ABadValueIsAnErrorNamingItsSource) {
  RunSettings flags;
  auto result = resolve(flags, {},
                        {{"FLOWRUN_MERGE_REQUEST", "sometimes"},
                         {"FLOWRUN_TIMEOUT", "soon"},
                         {"FLOWRUN_PUSH_ATTEMPTS", "50"},
                         {"FLOWRUN_PUSH", "maybe"},
                         {"FLOWRUN_BRANCH", "-rf"},
                         {"FLOWRUN_GITLAB_URL", "ftp://gitlab.example.com"}});
  ASSERT_EQ(result.errors.size(), 6u);
  std::string all;
  for (const auto& error : result.errors) all += error.message + "\n";
  EXPECT_NE(all.find("FLOWRUN_MERGE_REQUEST: merge_request 'sometimes' must be one of auto, always, never"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("FLOWRUN_TIMEOUT: timeout 'soon' must be a whole number of seconds"), std::string::npos) << all;
  EXPECT_NE(all.find("FLOWRUN_PUSH_ATTEMPTS: push_attempts '50' must be a whole number from 1 to 20"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("FLOWRUN_PUSH: push 'maybe' must be true or false"), std::string::npos) << all;
  EXPECT_NE(all.find("FLOWRUN_BRANCH: branch '-rf' is not a valid branch name"), std::string::npos) << all;
  EXPECT_NE(all.find("FLOWRUN_GITLAB_URL: gitlab_url 'ftp://gitlab.example.com'"), std::string::npos) << all;

  // The flag is checked the same way, and a bad flow value names its place in the file.
  flags.merge_request_mode = "often";
  flow::FlowrunSettings flow_settings;
  flow_settings.branch = flow::Located<std::string>{"bad..branch", at(9, 11)};
  result = resolve(flags, flow_settings, {});
  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_EQ(result.errors[0].message,
            "flow.yaml:9:11 (flowrun.branch): branch 'bad..branch' is not a valid branch name; use letters, digits, "
            "'/', '-', '_' and '.'");
  EXPECT_EQ(result.errors[1].message, "--merge-request: merge_request 'often' must be one of auto, always, never");
}

TEST(RunPlan, ABadValueFromGitLabFallsBackToTheDefaultAndSaysSo) {
  auto result = resolve({}, {}, {{"CI_JOB_TIMEOUT", "an hour"}});
  EXPECT_TRUE(result.errors.empty());
  EXPECT_EQ(result.plan.timeout, seconds(7200));
  EXPECT_EQ(result.plan.timeout_source, "default");
  EXPECT_NE(explained(result.plan, "timeout").source.find("CI_JOB_TIMEOUT: timeout 'an hour'"), std::string::npos);
}

TEST(RunPlan, TheWorkloadRefOfEachGitLabGenerationNamesTheBranch) {
  auto plan = resolve({}, {}, {{"CI_WORKLOAD_REF", "workloads/5f3a"}}).plan;
  EXPECT_EQ(plan.branch, "workloads/5f3a");
  EXPECT_FALSE(plan.branch_named);
  plan = resolve({}, {}, {{"CI_WORKLOAD_REF", "refs/workloads/5f3a"}}).plan;
  EXPECT_EQ(plan.branch, "workloads/5f3a");
  EXPECT_EQ(explained(plan, "branch").source, "CI_WORKLOAD_REF");

  auto result = resolve({}, {}, {{"CI_WORKLOAD_REF", "refs/tags/v1"}});
  EXPECT_TRUE(result.errors.empty()) << "GitLab's value does not stop the commands";
  EXPECT_FALSE(result.plan.branch);
  EXPECT_NE(result.plan.branch_error.find("CI_WORKLOAD_REF is not a usable branch"), std::string::npos);

  plan = resolve({}, {}, {}).plan;
  EXPECT_FALSE(plan.branch);
  EXPECT_NE(plan.branch_error.find("CI_WORKLOAD_REF is not set"), std::string::npos);

  RunSettings flags;
  flags.branch = "agent/fix";
  plan = resolve(flags, {}, {{"CI_WORKLOAD_REF", "workloads/5f3a"}}).plan;
  EXPECT_EQ(plan.branch, "agent/fix");
  EXPECT_TRUE(plan.branch_named);
}

TEST(RunPlan, ExcludeAddsUpEverySource) {
  RunSettings flags;
  flags.exclude = {"dist/**"};
  flow::FlowrunSettings flow_settings;
  flow_settings.exclude = {{"*.log", at(6, 7)}};
  auto plan = resolve(flags, flow_settings, {{"FLOWRUN_EXCLUDE", " tmp/ , ,cache/**"}}).plan;
  EXPECT_EQ(plan.exclude, (std::vector<std::string>{"*.log", "dist/**", "tmp/", "cache/**"}));
  EXPECT_EQ(explained(plan, "exclude").source, "flow.yaml:6:7 (flowrun.exclude) + --exclude + FLOWRUN_EXCLUDE");
}

TEST(RunPlan, FlagsReadAsPeopleWriteThem) {
  EXPECT_FALSE(resolve({}, {}, {{"FLOWRUN_PUSH", "no"}}).plan.push);
  EXPECT_FALSE(resolve({}, {}, {{"FLOWRUN_PUSH", "FALSE"}}).plan.push);
  EXPECT_TRUE(resolve({}, {}, {{"FLOWRUN_PUSH_ANY_BRANCH", "1"}}).plan.push_any_branch);
  RunSettings flags;
  flags.push = false;  // --no-push
  EXPECT_FALSE(resolve(flags, {}, {{"FLOWRUN_PUSH", "true"}}).plan.push);
  flow::FlowrunSettings flow_settings;
  flow_settings.push_on_failure = flow::Located<bool>{true, at(3, 20)};
  EXPECT_TRUE(resolve({}, flow_settings, {}).plan.push_on_failure);
  EXPECT_FALSE(resolve({}, flow_settings, {{"FLOWRUN_PUSH_ON_FAILURE", "false"}}).plan.push_on_failure);
}

TEST(RunPlan, TheGitLabServerOfEachGenerationAndARelativeRoot) {
  // 18.x: CI_API_V4_URL.
  EXPECT_EQ(resolve({}, {}, {{"CI_API_V4_URL", "https://gitlab.example.com/api/v4"}}).plan.gitlab_url,
            "https://gitlab.example.com/api/v4");
  // 19.x: no CI_SERVER_URL or CI_API_V4_URL; the base URL says http and a relative root, the host name says neither.
  auto plan = resolve({}, {},
                      {{"GITLAB_BASE_URL", "http://127.0.0.1:8080/gitlab"},
                       {"AI_FLOW_GITLAB_HOSTNAME", "127.0.0.1:8080"},
                       {"CI_PROJECT_PATH", "group/project"}})
                  .plan;
  EXPECT_EQ(plan.gitlab_url, "http://127.0.0.1:8080/gitlab/api/v4");
  EXPECT_EQ(plan.remote_url, "http://127.0.0.1:8080/gitlab/group/project.git");
  // The flag wins, and a remote never keeps credentials.
  RunSettings flags;
  flags.gitlab_url = "gitlab.local:8443";
  flags.remote_url = "https://user:secret-value@gitlab.local/group/project.git";
  plan = resolve(flags, {}, {{"CI_SERVER_URL", "https://gitlab.example.com"}}).plan;
  EXPECT_EQ(plan.gitlab_url, "https://gitlab.local:8443/api/v4");
  EXPECT_EQ(plan.remote_url, "https://gitlab.local/group/project.git");
  EXPECT_EQ(explained(plan, "remote_url").value.find("secret-value"), std::string::npos);
}

TEST(RunPlan, TheMergeRequestTargetIsNeverAWorkloadRef) {
  EXPECT_EQ(resolve({}, {}, {{"CI_COMMIT_BRANCH", "develop"}}).plan.target_branch, "develop");
  EXPECT_FALSE(resolve({}, {}, {{"CI_COMMIT_REF_NAME", "workloads/5f3a"}}).plan.target_branch);
  EXPECT_FALSE(resolve({}, {}, {{"CI_COMMIT_REF_NAME", "refs/workloads/5f3a"}}).plan.target_branch);
  EXPECT_EQ(resolve({}, {}, {{"FLOWRUN_TARGET_BRANCH", "release"}, {"CI_COMMIT_BRANCH", "develop"}}).plan.target_branch,
            "release");
}

TEST(RunPlan, PathsDefaultUnderTheWorkTreeAndShowWhere) {
  auto plan = resolve({}, {}, {}).plan;
  EXPECT_EQ(plan.artifacts_dir, "/work/tree/.flowrun");
  EXPECT_EQ(plan.log_file, "/work/tree/.flowrun/flowrun.log");
  EXPECT_EQ(plan.report_file, "/work/tree/.flowrun/report.json");
  EXPECT_FALSE(plan.junit_file);
  EXPECT_EQ(explained(plan, "log_file").value, "/work/tree/.flowrun/flowrun.log");
  plan = resolve({}, {}, {{"FLOWRUN_ARTIFACTS_DIR", "/tmp/out"}}).plan;
  EXPECT_EQ(plan.report_file, "/tmp/out/report.json");
}

TEST(RunPlan, TheReviewSettingsComeFromTheTableToo) {
  auto plan = resolve({}, {}, {}).plan;
  EXPECT_EQ(plan.review.push_to, PushTo::merge_request);
  EXPECT_TRUE(plan.review.draft);
  EXPECT_TRUE(plan.review.labels.empty());
  EXPECT_EQ(plan.review.protected_paths, git::default_protected_paths());
  EXPECT_EQ(plan.review.max_file_bytes, 5u * 1024 * 1024);

  flow::FlowrunSettings flow_settings;
  flow_settings.push_to = flow::Located<std::string>{"workload-branch", at(3, 12)};
  flow_settings.labels = {{"agent", at(4, 11)}};
  flow_settings.protected_paths = {{"deploy/**", at(5, 20)}};
  flow_settings.max_file_size = flow::Located<long long>{1000, at(6, 18)};
  plan = resolve({}, flow_settings, {{"FLOWRUN_DRAFT", "false"}, {"FLOWRUN_LABELS", "bot, review"}}).plan;
  EXPECT_EQ(plan.review.push_to, PushTo::workload_branch);
  EXPECT_FALSE(plan.review.draft);
  EXPECT_EQ(plan.review.labels, (std::vector<std::string>{"agent", "bot", "review"}));
  EXPECT_EQ(plan.review.protected_paths.back(), "deploy/**");
  EXPECT_EQ(plan.review.max_file_bytes, 1000u);

  auto result = resolve({}, {}, {{"FLOWRUN_PUSH_TO", "fork"}, {"FLOWRUN_MAX_FILE_SIZE", "0"}});
  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_EQ(result.errors[0].message, "FLOWRUN_PUSH_TO: push_to 'fork' must be one of merge-request, workload-branch");
  EXPECT_NE(result.errors[1].message.find("FLOWRUN_MAX_FILE_SIZE: max_file_size '0' must be a whole number from 1"),
            std::string::npos);
}

}  // namespace
}  // namespace flowrun::run
