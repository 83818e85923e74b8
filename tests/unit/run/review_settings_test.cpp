// The review loop's settings: FLOWRUN_* variables win over the flow's keys, which win over the defaults; bad values
// are errors that name their source.
#include "flowrun/run/review_settings.h"

#include <gtest/gtest.h>

#include "flowrun/git/push_checks.h"

namespace flowrun::run {
namespace {

flow::Located<std::string> at(std::string value) { return {std::move(value), {}}; }

TEST(ReviewSettings, DefaultsPushToTheMergeRequestAsDraftWithTheDefaultProtectedPaths) {
  const auto settings = resolve_review_settings({}, Environment{});
  EXPECT_EQ(settings.push_to, PushTo::merge_request);
  EXPECT_TRUE(settings.draft);
  EXPECT_TRUE(settings.labels.empty());
  EXPECT_EQ(settings.protected_paths, git::default_protected_paths());
  EXPECT_TRUE(settings.allowed_protected.empty());
  EXPECT_EQ(settings.max_file_bytes, 5u * 1024 * 1024);
  EXPECT_TRUE(settings.errors.empty());
}

TEST(ReviewSettings, TheFlowsKeysApply) {
  flow::FlowrunSettings flow;
  flow.push_to = at("workload-branch");
  flow.draft = flow::Located<bool>{false, {}};
  flow.labels = {at("agent")};
  flow.protected_paths = {at("deploy/**")};
  flow.allow_protected = {at("/.gitlab-ci.yml")};
  flow.max_file_size = flow::Located<long long>{2048, {}};
  const auto settings = resolve_review_settings(flow, Environment{});
  EXPECT_EQ(settings.push_to, PushTo::workload_branch);
  EXPECT_FALSE(settings.draft);
  EXPECT_EQ(settings.labels, std::vector<std::string>{"agent"});
  EXPECT_EQ(settings.protected_paths.back(), "deploy/**");
  EXPECT_EQ(settings.allowed_protected, std::vector<std::string>{"/.gitlab-ci.yml"});
  EXPECT_EQ(settings.max_file_bytes, 2048u);
}

TEST(ReviewSettings, VariablesWinAndListsAddUp) {
  flow::FlowrunSettings flow;
  flow.push_to = at("workload-branch");
  flow.labels = {at("from-flow")};
  flow.protected_paths = {at("deploy/**")};
  Environment env;
  env.set("FLOWRUN_PUSH_TO", "merge-request");
  env.set("FLOWRUN_DRAFT", "false");
  env.set("FLOWRUN_LABELS", "a, b");
  env.set("FLOWRUN_PROTECTED_PATHS", "secrets/**");
  env.set("FLOWRUN_MAX_FILE_SIZE", "10");
  const auto settings = resolve_review_settings(flow, env);
  EXPECT_EQ(settings.push_to, PushTo::merge_request);
  EXPECT_FALSE(settings.draft);
  EXPECT_EQ(settings.labels, (std::vector<std::string>{"a", "b"}));
  const auto& paths = settings.protected_paths;
  EXPECT_NE(std::find(paths.begin(), paths.end(), "deploy/**"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "secrets/**"), paths.end());
  EXPECT_EQ(settings.max_file_bytes, 10u);
}

TEST(ReviewSettings, BadValuesAreErrorsThatNameTheirSourceAndKeepTheDefault) {
  Environment env;
  env.set("FLOWRUN_PUSH_TO", "fork");
  env.set("FLOWRUN_DRAFT", "maybe");
  env.set("FLOWRUN_MAX_FILE_SIZE", "5MB");
  const auto settings = resolve_review_settings({}, env);
  ASSERT_EQ(settings.errors.size(), 3u);
  EXPECT_NE(settings.errors[0].find("FLOWRUN_PUSH_TO"), std::string::npos);
  EXPECT_NE(settings.errors[1].find("FLOWRUN_DRAFT"), std::string::npos);
  EXPECT_NE(settings.errors[2].find("FLOWRUN_MAX_FILE_SIZE"), std::string::npos);
  EXPECT_EQ(settings.push_to, PushTo::merge_request);
  EXPECT_TRUE(settings.draft);
  EXPECT_EQ(settings.max_file_bytes, 5u * 1024 * 1024);
}

}  // namespace
}  // namespace flowrun::run
