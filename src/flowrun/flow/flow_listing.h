#pragma once
// `flowrun list`: the flows of a project at a glance, as a table or JSON.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace flowrun::flow {

struct FlowListing {
  std::string name;
  std::string path;   // as shown: relative to the current directory when below it
  std::string image;  // empty when missing or unreadable
  std::size_t commands = 0;
  std::vector<std::string> variables;
  std::size_t errors = 0;  // findings of the loader and the schema (`flowrun validate` checks more)
  std::size_t warnings = 0;
};

// Loads each file (schema checks only, no shell checks: listing stays instant).
std::vector<FlowListing> list_flows(const std::vector<std::filesystem::path>& files, const std::filesystem::path& cwd);

// NAME  COMMANDS  IMAGE  VARIABLES  STATUS  PATH, aligned in columns.
std::string render_flow_table(const std::vector<FlowListing>& flows);

// {"flows":[{"name","path","image","commands","variables":[...],"errors","warnings"}]}
std::string render_flow_list_json(const std::vector<FlowListing>& flows);

}  // namespace flowrun::flow
