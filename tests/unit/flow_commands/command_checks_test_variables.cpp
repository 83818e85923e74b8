// undeclared-variable and unused-variable.
#include <gtest/gtest.h>

#include "flowrun/flow/known_variables.h"
#include "test_flows.h"

namespace flowrun::flow {
namespace {

using testing::check;
using testing::describe;
using testing::flow_from_yaml;
using testing::flow_of;
using testing::places;
using testing::with_rule;

std::vector<Diagnostic> undeclared(const Flow& flow) { return with_rule(check(flow), "undeclared-variable"); }

TEST(KnownVariables, GitLabShellAndSpecialNames) {
  for (const char* name : {"CI_WORKLOAD_REF",
                           "CI_PROJECT_PATH",
                           "GITLAB_CI",
                           "GITLAB_USER_LOGIN",
                           "AI_FLOW_CONTEXT",
                           "AI_FLOW_AI_GATEWAY_HEADERS",
                           "GIT_AUTHOR_NAME",
                           "FF_USE_FASTZIP",
                           "RUNNER_TEMP_PROJECT_DIR",
                           "HOME",
                           "PATH",
                           "PWD",
                           "RANDOM",
                           "BASH_REMATCH",
                           "LC_ALL",
                           "REPLY",
                           "1",
                           "12",
                           "@",
                           "?",
                           "$",
                           "0",
                           "-"}) {
    EXPECT_TRUE(is_provided_variable(name)) << name;
  }
  for (const char* name : {"AI_FLOW_CONTEX", "GITLAB_TOKEN", "ANTHROPIC_API_KEY", "MY_VAR", "ci_lower", ""}) {
    EXPECT_FALSE(is_provided_variable(name)) << name;
  }
}

TEST(UndeclaredVariable, PointsAtTheDollarOfTheFirstUse) {
  const Flow flow = flow_from_yaml(
      "commands:\n  - echo start\n  - |\n    echo \"$API_URL\"\n    curl \"$API_URL/x\"\nvariables:\n  - OTHER\n");
  const auto found = undeclared(flow);
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_EQ(places(found), (std::vector<std::string>{"4:11"}));
  EXPECT_EQ(found[0].severity, Severity::warning);
  EXPECT_NE(found[0].message.find("`$API_URL`"), std::string::npos);
  EXPECT_NE(found[0].message.find("Add `API_URL` to `variables`"), std::string::npos);
}

TEST(UndeclaredVariable, DeclaredProvidedAndAssignedNamesAreFine) {
  const Flow flow = flow_of(
      {"export GITLAB_TOKEN=$GITLAB_TOKEN_X", "TEMP_DIR=$(mktemp -d)", "cd \"$TEMP_DIR\" && echo $HOME $CI_JOB_ID",
       "if SECRET_JSON=$(get); then echo \"$SECRET_JSON\"; fi", "read -r -p 'name? ' ANSWER; echo $ANSWER",
       "for f in a b; do echo $f; done", "while read -r line; do echo \"$line\"; done < list",
       "f() { local x=$1; echo $x; }", "declare -A MAP=(); printf -v OUT '%s' 1; echo $OUT ${MAP[k]}",
       "echo ${NEW:=default} $NEW", "echo $AI_FLOW_INPUT $GITLAB_TOKEN $1 $@ $?", "mapfile -t LINES < f; echo $LINES"},
      {"GITLAB_TOKEN_X"});
  EXPECT_TRUE(undeclared(flow).empty()) << describe(undeclared(flow));
}

TEST(UndeclaredVariable, UseBeforeTheCommandThatSetsItIsReported) {
  const Flow flow = flow_of({"echo $LATER", "LATER=1"});
  EXPECT_EQ(undeclared(flow).size(), 1u);
}

TEST(UndeclaredVariable, NotInSingleQuotesEscapesOrArithmetic) {
  const Flow flow = flow_of({"echo '$A' \\$B \"\\$C\"", "echo $(( COUNT + 1 ))", "jq '.\"$x\"' file"});
  EXPECT_TRUE(undeclared(flow).empty()) << describe(undeclared(flow));
}

TEST(UndeclaredVariable, DefaultValueFormsAreStillUses) {
  const Flow flow = flow_of({"echo ${MISSING:-fallback}"});
  EXPECT_EQ(undeclared(flow).size(), 1u);
}

TEST(UndeclaredVariable, EachNameOnceAndTyposGetASuggestion) {
  const Flow flow = flow_of({"echo $GITLAB_HOTS $GITLAB_HOTS", "echo $GITLAB_HOTS"}, {"GITLAB_HOST"});
  const auto found = undeclared(flow);
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_NE(found[0].message.find("Did you mean `$GITLAB_HOST`?"), std::string::npos);
}

TEST(UndeclaredVariable, MisspeltAiFlowVariable) {
  const Flow flow = flow_of({"echo \"$AI_FLOW_CONTEX\""});
  EXPECT_EQ(undeclared(flow).size(), 1u);
}

TEST(UndeclaredVariable, SourcedFilesMaySetAnything) {
  const Flow flow = flow_of({". \"$HOME/.nvm/nvm.sh\"", "nvm use $NODE_WANTED"});
  EXPECT_TRUE(undeclared(flow).empty()) << describe(undeclared(flow));
}

TEST(UndeclaredVariable, HereDocumentBodiesCount) {
  const Flow flow = flow_of({"cat <<EOF > cfg\nhost=$CONFIG_HOST\nEOF", "cat <<'EOF'\n$LITERAL\nEOF"});
  const auto found = undeclared(flow);
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_NE(found[0].message.find("CONFIG_HOST"), std::string::npos);
}

TEST(UnusedVariable, PointsAtTheVariablesEntry) {
  const Flow flow = flow_from_yaml("commands:\n  - echo $USED\nvariables:\n  - USED\n  - NEVER_USED\n");
  const auto found = with_rule(check(flow), "unused-variable");
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_EQ(places(found), (std::vector<std::string>{"5:5"}));
  EXPECT_EQ(found[0].severity, Severity::info);
  EXPECT_NE(found[0].message.find("`NEVER_USED`"), std::string::npos);
}

TEST(UnusedVariable, AnyMentionCounts) {
  const Flow flow = flow_of({"printenv TOKEN_A", "sh -c 'echo $TOKEN_B'", "echo ${TOKEN_C}"},
                            {"TOKEN_A", "TOKEN_B", "TOKEN_C", "TOKEN"});
  const auto found = with_rule(check(flow), "unused-variable");
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_NE(found[0].message.find("`TOKEN`"), std::string::npos);
}

TEST(UnusedVariable, TheServiceAccountTokenIsUsedByFlowrunItself) {
  const Flow flow = flow_of({"echo hi"}, {"GITLAB_TOKEN_CLAUDE", "GITLAB_TOKEN", "ANTHROPIC_API_KEY"});
  const auto found = with_rule(check(flow), "unused-variable");
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_NE(found[0].message.find("`ANTHROPIC_API_KEY`"), std::string::npos);
}

}  // namespace
}  // namespace flowrun::flow
