// The handoff line in its two forms (flowrun on PATH, flowrun from npm through npx) and the placeholder-image warning.
#include <gtest/gtest.h>

#include "flowrun/flow/flow.h"
#include "flowrun/flow/handoff.h"
#include "flowrun/flow/image_check.h"

namespace flowrun::flow {
namespace {

Flow flow_of(const std::string& image, const std::vector<std::string>& commands) {
  std::string text = "image: " + image + "\ncommands:\n";
  for (const auto& command : commands) text += "  - '" + command + "'\n";
  auto loaded = load_flow_text(text, "flow.yaml");
  EXPECT_TRUE(loaded.flow.has_value()) << text;
  return loaded.flow ? *loaded.flow : Flow{};
}

std::vector<std::string> rules(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> found;
  for (const auto& diagnostic : diagnostics) found.push_back(diagnostic.rule);
  return found;
}

TEST(Handoff, NpxFormsAreHandoffs) {
  for (const std::string line :
       {"exec npx --yes flowrun@0.1.0 run claude", "exec npx -y flowrun run claude",
        "exec npx --yes flowrun@latest run", "exec /usr/local/bin/npx --yes flowrun@1 run x"}) {
    Flow flow = flow_of("node:22-slim", {line, "echo agent"});
    auto handoff = find_handoff(flow);
    ASSERT_TRUE(handoff.has_value()) << line;
    EXPECT_EQ(handoff->index, 0u) << line;
    EXPECT_TRUE(handoff->uses_exec) << line;
    EXPECT_TRUE(check_handoff(flow).empty()) << line;
  }
}

TEST(Handoff, NpxOfAnotherPackageOrCommandIsNot) {
  for (const std::string line : {"exec npx --yes flowrunner@1 run claude", "exec npx --yes flowrun@1 validate",
                                 "npx --yes prettier run", "exec npx"}) {
    EXPECT_FALSE(find_handoff(flow_of("node:22-slim", {line})).has_value()) << line;
  }
}

TEST(Handoff, NpxWithoutExecOrNotFirstIsReported) {
  EXPECT_EQ(rules(check_handoff(flow_of("node:22-slim", {"npx --yes flowrun@0.1.0 run claude"}))),
            std::vector<std::string>{"handoff-exec"});
  EXPECT_EQ(rules(check_handoff(flow_of("node:22-slim", {"echo hi", "exec npx --yes flowrun@0.1.0 run claude"}))),
            std::vector<std::string>{"handoff-position"});
}

TEST(ImageCheck, ThePlaceholderImageIsAWarningAtItsLine) {
  for (const std::string image : {"registry.gitlab.com/flowrun/flowrun:0.1.0", "registry.gitlab.com/flowrun/flowrun",
                                  "registry.gitlab.com/flowrun/flowrun@sha256:0123"}) {
    auto findings = check_image(flow_of(image, {"echo hi"}));
    ASSERT_EQ(rules(findings), std::vector<std::string>{"image-placeholder"}) << image;
    EXPECT_EQ(findings[0].severity, Severity::warning);
    EXPECT_EQ(findings[0].position.line, 1);
    EXPECT_NE(findings[0].message.find("node:22-slim"), std::string::npos) << findings[0].message;
  }
}

TEST(ImageCheck, OtherImagesPass) {
  for (const std::string image : {"node:22-slim", "registry.gitlab.com/flowrun/flowrun-agents:claude",
                                  "registry.example.com/tools/flowrun:0.1.0"}) {
    EXPECT_TRUE(check_image(flow_of(image, {"echo hi"})).empty()) << image;
  }
}

}  // namespace
}  // namespace flowrun::flow
