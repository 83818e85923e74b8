// git-checkout-branch, test-not-operator, manual-git-tail, hardcoded-git-remote.
#include <gtest/gtest.h>

#include "test_flows.h"

namespace flowrun::flow {
namespace {

using testing::check;
using testing::describe;
using testing::flow_from_yaml;
using testing::flow_of;
using testing::places;
using testing::with_rule;

TEST(GitCheckoutBranch, FlagsTheOptionItself) {
  const Flow flow = flow_from_yaml("commands:\n  - git checkout --branch $CI_WORKLOAD_REF origin/$CI_WORKLOAD_REF\n");
  const auto found = with_rule(check(flow), "git-checkout-branch");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(places(found), (std::vector<std::string>{"2:18"}));
  EXPECT_EQ(found[0].severity, Severity::error);
  EXPECT_NE(found[0].message.find("`-b`"), std::string::npos);
  EXPECT_NE(found[0].message.find("flowrun commits and pushes"), std::string::npos);
}

TEST(GitCheckoutBranch, OtherFormsAndValidOptions) {
  EXPECT_EQ(with_rule(check(flow_of({"sudo git -C repo checkout --branch=x"})), "git-checkout-branch").size(), 1u);
  const Flow fine = flow_of({"git checkout -b topic origin/main", "git switch -c topic", "git branch --list",
                             "echo git checkout --branch", "git log --branches"});
  EXPECT_TRUE(with_rule(check(fine), "git-checkout-branch").empty()) << describe(check(fine));
}

TEST(TestNotOperator, BracketAndTestForms) {
  const Flow flow = flow_from_yaml(
      "commands:\n"
      "  - |\n"
      "    if [ --not \"$(ls)\" ]; then echo a; fi\n"
      "    [ ! --zero \"$X\" ] || echo b\n"
      "    test --not \"$Y\"\n"
      "    [ -n \"$Z\" -a --zero \"$Z\" ]\n");
  const auto found = with_rule(check(flow), "test-not-operator");
  ASSERT_EQ(found.size(), 4u) << describe(found);
  EXPECT_EQ(places(found), (std::vector<std::string>{"3:10", "4:9", "5:10", "6:18"}));
  EXPECT_EQ(found[0].severity, Severity::error);
  EXPECT_NE(found[0].message.find("[ -n \"...\" ]"), std::string::npos);
}

TEST(TestNotOperator, RealOperatorsAndOperandsAreFine) {
  const Flow flow = flow_of({"[ -n \"$(git status --porcelain)\" ] && echo changed", "[ \"$A\" = --not ] || true",
                             "test -z \"$B\"", "[[ -n $C ]]", "grep --not-a-test file || true"});
  EXPECT_TRUE(with_rule(check(flow), "test-not-operator").empty()) << describe(check(flow));
}

TEST(ManualGitTail, PointsAtTheFirstGitAddOfAFullTail) {
  const Flow flow = flow_from_yaml(
      "commands:\n  - echo work\n  - |\n    if true; then\n      git add .\n      git commit -m x\n"
      "      git push origin HEAD\n    fi\n");
  const auto found = with_rule(check(flow), "manual-git-tail");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(places(found), (std::vector<std::string>{"5:7"}));
  EXPECT_EQ(found[0].severity, Severity::info);
  EXPECT_NE(found[0].message.find("flowrun commits and pushes the agent's changes itself"), std::string::npos);
}

TEST(ManualGitTail, ALonePushAndNoPush) {
  const Flow lone = flow_from_yaml("commands:\n  - git add notes.md\n  - git push\n");
  EXPECT_EQ(places(with_rule(check(lone), "manual-git-tail")), (std::vector<std::string>{"3:5"}));
  const Flow no_push = flow_of({"git add .", "git commit -m local", "git status"});
  EXPECT_TRUE(with_rule(check(no_push), "manual-git-tail").empty());
}

TEST(HardcodedGitRemote, PushAndSetUrlWithALiteralProject) {
  const Flow flow = flow_from_yaml(
      "commands:\n"
      "  - git remote set-url origin https://gitlab-ci-token:$T@$GITLAB_HOST/internal-test/q-words-demo.git\n"
      "  - git push --force-with-lease git@gitlab.com:group/project.git HEAD\n"
      "variables:\n  - T\n  - GITLAB_HOST\n");
  const auto found = with_rule(check(flow), "hardcoded-git-remote");
  ASSERT_EQ(found.size(), 2u) << describe(found);
  EXPECT_EQ(places(found), (std::vector<std::string>{"2:31", "3:33"}));
  EXPECT_EQ(found[0].severity, Severity::warning);
  EXPECT_NE(found[0].message.find("`internal-test/q-words-demo.git`"), std::string::npos);
}

TEST(HardcodedGitRemote, RemotesBuiltFromVariablesOrNamedAreFine) {
  const Flow flow = flow_of({"git push origin HEAD", "git push https://$GITLAB_HOST/$CI_PROJECT_PATH.git HEAD",
                             "git push -o ci.skip origin main", "git remote set-url origin \"$CI_REPOSITORY_URL\""},
                            {"GITLAB_HOST"});
  EXPECT_TRUE(with_rule(check(flow), "hardcoded-git-remote").empty()) << describe(check(flow));
}

}  // namespace
}  // namespace flowrun::flow
