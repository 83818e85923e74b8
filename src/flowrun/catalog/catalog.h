#pragma once
// The built-in flow catalog: one flow per agent GitLab has tested, from flows/ in the source tree, compiled into the
// binary so `flowrun init` works anywhere.
#include <optional>
#include <span>
#include <string_view>

namespace flowrun::catalog {

struct CatalogFlow {
  std::string_view name;   // file name without .yaml: claude, codex, opencode, amazon_q, gemini
  std::string_view title;  // the agent, for people
  std::string_view yaml;   // the flow file, exactly as in flows/<name>.yaml
};

std::span<const CatalogFlow> flows();
std::optional<CatalogFlow> find(std::string_view name);

}  // namespace flowrun::catalog
