#include "flowrun/flow/masking_checks.h"

#include <gtest/gtest.h>

namespace flowrun::flow {
namespace {

std::vector<Diagnostic> masking_of(const std::string& text) {
  auto loaded = load_flow_text(text, "flow.yaml");
  EXPECT_TRUE(loaded.flow.has_value());
  return loaded.flow ? describe_masking(*loaded.flow) : std::vector<Diagnostic>{};
}

TEST(Masking, SaysForEachListedVariableWhetherAndWhyItIsMasked) {
  auto findings = masking_of(
      "image: node:22-slim\n"
      "commands:\n"
      "  - exec flowrun run agent\n"
      "variables:\n"
      "  - GITLAB_TOKEN_AGENT\n"
      "  - GITLAB_HOST\n"
      "  - BUILD_LABEL\n"
      "  - AI_FLOW_INPUT\n"
      "  - CI_JOB_JWT_V2\n"
      "flowrun:\n"
      "  mask: [BUILD_LABEL]\n");
  ASSERT_EQ(findings.size(), 5u);
  EXPECT_EQ(findings[0].message, "GITLAB_TOKEN_AGENT will be masked: secret by its name");
  EXPECT_EQ(findings[0].position.line, 5);
  EXPECT_EQ(findings[0].position.column, 5);
  EXPECT_EQ(findings[0].severity, Severity::info);
  EXPECT_EQ(findings[0].rule, "masking");
  EXPECT_EQ(findings[1].message.rfind("GITLAB_HOST is not secret by its name: its value is masked only if it looks", 0),
            0u)
      << findings[1].message;
  EXPECT_EQ(findings[2].message, "BUILD_LABEL will be masked: the flow's `flowrun: mask` says so");
  EXPECT_EQ(findings[3].message, "AI_FLOW_INPUT will not be masked: describes the run (never masked)");
  EXPECT_EQ(findings[4].message, "CI_JOB_JWT_V2 will be masked: a credential GitLab injects");
}

}  // namespace
}  // namespace flowrun::flow
