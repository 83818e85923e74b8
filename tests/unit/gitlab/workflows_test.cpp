#include "flowrun/gitlab/workflows.h"

#include <gtest/gtest.h>

namespace flowrun::gitlab {
namespace {

TEST(StartWorkflowBody, OnlyTheAttributesThatAreSet) {
  StartWorkflowRequest request;
  request.goal = "Fix the failing pipeline";
  request.project = "5";
  request.definition = "developer/v1";
  EXPECT_EQ(
      start_workflow_body(request),
      R"({"goal":"Fix the failing pipeline","project_id":"5","start_workflow":true,"workflow_definition":"developer/v1"})");
}

TEST(StartWorkflowBody, EveryAttribute) {
  StartWorkflowRequest request;
  request.goal = "g";
  request.project = "group/app";
  request.consumer_id = 12;
  request.source_branch = "main";
  request.issue_iid = 7;
  request.merge_request_iid = 9;
  request.environment = "ambient";
  request.start = false;
  EXPECT_EQ(start_workflow_body(request),
            R"({"ai_catalog_item_consumer_id":12,"environment":"ambient","goal":"g","issue_id":7,)"
            R"("merge_request_id":9,"project_id":"group/app","source_branch":"main","start_workflow":false})");
}

TEST(StartWorkflowBody, InvalidUtf8DoesNotThrow) {
  StartWorkflowRequest request;
  request.goal = "bad \xff";
  request.project = "1";
  EXPECT_NE(start_workflow_body(request).find("bad \uFFFD"), std::string::npos);
}

TEST(Environments, AsTheApiDocumentsThem) {
  EXPECT_EQ(workflow_environments(), (std::vector<std::string>{"ide", "web", "chat_partial", "chat", "ambient"}));
}

}  // namespace
}  // namespace flowrun::gitlab
