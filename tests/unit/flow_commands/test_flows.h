#pragma once
// Flows for the command checks' tests, built from YAML text with yaml-cpp so that every command knows where its
// text stands in the file, the way the flow loader records it.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/flow/command_checks.h"
#include "flowrun/flow/diagnostic.h"
#include "flowrun/flow/flow.h"

namespace flowrun::flow::testing {

Flow flow_from_yaml(const std::string& yaml, const std::string& display_path = "flow.yaml");
Flow flow_from_file(const std::filesystem::path& path);

// A flow whose commands are written as YAML block scalars (`- |`), one per entry, starting on line 3.
// Command i's text starts at file line given by first_line of the result.
Flow flow_of(const std::vector<std::string>& commands, const std::vector<std::string>& variables = {});

// check_commands() on one flow.
std::vector<Diagnostic> check(const Flow& flow, bool use_shellcheck = false);

std::vector<Diagnostic> with_rule(const std::vector<Diagnostic>& diagnostics, std::string_view rule);

// "line:column" of each diagnostic, for compact assertions.
std::vector<std::string> places(const std::vector<Diagnostic>& diagnostics);

std::string describe(const std::vector<Diagnostic>& diagnostics);

// A path under the system's temporary directory that does not exist yet.
std::filesystem::path unique_temp_path(std::string_view stem);

}  // namespace flowrun::flow::testing
