#include "flowrun/catalog/catalog.h"

#include <array>

#include "flowrun/catalog/catalog_data.h"

namespace flowrun::catalog {

namespace {

const std::array<CatalogFlow, 5> kFlows{{
    {"claude", "Anthropic Claude Code", data::claude},
    {"codex", "OpenAI Codex", data::codex},
    {"opencode", "Opencode", data::opencode},
    {"amazon_q", "Amazon Q Developer CLI", data::amazon_q},
    {"gemini", "Google Gemini CLI", data::gemini},
}};

}  // namespace

std::span<const CatalogFlow> flows() { return kFlows; }

std::optional<CatalogFlow> find(std::string_view name) {
  // Accept the file name too: `flowrun init claude.yaml`.
  if (name.ends_with(".yaml")) name.remove_suffix(5);
  for (const auto& flow : kFlows) {
    if (flow.name == name) return flow;
  }
  return std::nullopt;
}

}  // namespace flowrun::catalog
