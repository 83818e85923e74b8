#pragma once
// The JSON Schema (draft-07) of a flow file, for editors: `# yaml-language-server: $schema=<file>` at the top of
// a flow. The text is src/flowrun/flow/flow.schema.json, built into the binary.
#include <string_view>

namespace flowrun::flow {

std::string_view flow_json_schema();

}  // namespace flowrun::flow
