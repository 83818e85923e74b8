#include "flowrun/flow/flow_listing.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "flowrun/flow/flow.h"
#include "flowrun/flow/source_map.h"

namespace flowrun::flow {
namespace fs = std::filesystem;

namespace {

std::string status_of(const FlowListing& flow) {
  if (flow.errors > 0) return std::to_string(flow.errors) + (flow.errors == 1 ? " error" : " errors");
  if (flow.warnings > 0) return std::to_string(flow.warnings) + (flow.warnings == 1 ? " warning" : " warnings");
  return "ok";
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values) out += (out.empty() ? "" : ",") + value;
  return out.empty() ? "-" : out;
}

}  // namespace

std::vector<FlowListing> list_flows(const std::vector<fs::path>& files, const fs::path& cwd) {
  std::vector<FlowListing> flows;
  for (const auto& file : files) {
    LoadResult loaded = load_flow_file(file);
    FlowListing listing;
    std::error_code error;
    fs::path shown = fs::proximate(file, cwd, error);
    listing.path = (error || shown.empty() ? file : shown).string();
    listing.name = file.stem().string();
    if (loaded.flow) {
      listing.image = loaded.flow->image.value;
      listing.commands = loaded.flow->commands.size();
      for (const auto& variable : loaded.flow->variables) listing.variables.push_back(variable.value);
    }
    for (const auto& diagnostic : loaded.diagnostics) {
      if (diagnostic.severity == Severity::error) ++listing.errors;
      if (diagnostic.severity == Severity::warning) ++listing.warnings;
    }
    flows.push_back(std::move(listing));
  }
  return flows;
}

std::string render_flow_table(const std::vector<FlowListing>& flows) {
  std::vector<std::vector<std::string>> rows = {{"NAME", "COMMANDS", "IMAGE", "VARIABLES", "STATUS", "PATH"}};
  for (const auto& flow : flows) {
    rows.push_back({flow.name, std::to_string(flow.commands), flow.image.empty() ? "-" : flow.image,
                    joined(flow.variables), status_of(flow), flow.path});
  }
  std::vector<int> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], count_characters(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size())
        line += std::string(static_cast<std::size_t>(widths[i] - count_characters(row[i]) + 2), ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string render_flow_list_json(const std::vector<FlowListing>& flows) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& flow : flows) {
    list.push_back({{"name", flow.name},
                    {"path", flow.path},
                    {"image", flow.image},
                    {"commands", flow.commands},
                    {"variables", flow.variables},
                    {"errors", flow.errors},
                    {"warnings", flow.warnings}});
  }
  nlohmann::ordered_json out = {{"flows", std::move(list)}};
  return out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace flowrun::flow
