#include "flowrun/flow/flow_listing.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "flow_test_support.h"

namespace flowrun::flow {
namespace {

TEST(FlowListing, SummarisesEachFlow) {
  testing::TempDir dir;
  auto good = dir.write("flows/claude.yaml",
                        "image: node:22-slim\ncommands:\n  - a\n  - b\nvariables: [ANTHROPIC_API_KEY, GITLAB_HOST]\n");
  auto bad = dir.write("flows/broken.yml", "image: [x]\ncommand: [a]\n");
  auto flows = list_flows({bad, good}, dir.path());
  ASSERT_EQ(flows.size(), 2u);
  EXPECT_EQ(flows[0].name, "broken");
  EXPECT_EQ(flows[0].path, "flows/broken.yml");
  EXPECT_EQ(flows[0].errors, 2u);
  EXPECT_EQ(flows[0].warnings, 1u);
  EXPECT_EQ(flows[1].name, "claude");
  EXPECT_EQ(flows[1].image, "node:22-slim");
  EXPECT_EQ(flows[1].commands, 2u);
  EXPECT_EQ(flows[1].variables, (std::vector<std::string>{"ANTHROPIC_API_KEY", "GITLAB_HOST"}));
  EXPECT_EQ(flows[1].errors, 0u);

  EXPECT_EQ(render_flow_table(flows),
            "NAME    COMMANDS  IMAGE         VARIABLES                      STATUS    PATH\n"
            "broken  0         -             -                              2 errors  flows/broken.yml\n"
            "claude  2         node:22-slim  ANTHROPIC_API_KEY,GITLAB_HOST  ok        flows/claude.yaml\n");

  auto json = nlohmann::json::parse(render_flow_list_json(flows));
  ASSERT_EQ(json["flows"].size(), 2u);
  EXPECT_EQ(json["flows"][1]["name"], "claude");
  EXPECT_EQ(json["flows"][1]["commands"], 2);
  EXPECT_EQ(json["flows"][1]["variables"][1], "GITLAB_HOST");
  EXPECT_EQ(json["flows"][0]["errors"], 2);
}

}  // namespace
}  // namespace flowrun::flow
