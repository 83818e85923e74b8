#pragma once
// Reading a flow's YAML tree against the flow file schema: shared helpers for the readers of each part
// (the top level, `id_tokens:`, `flowrun:`). Internal to the flow module.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/flow/diagnostic.h"
#include "flowrun/flow/flow.h"
#include "flowrun/flow/source_map.h"
#include "flowrun/flow/yaml_tree.h"

namespace flowrun::flow {

class SchemaReader {
 public:
  SchemaReader(const SourceMap& map, const std::string& display_name, std::vector<Diagnostic>& diagnostics)
      : map_(map), display_name_(display_name), diagnostics_(diagnostics) {}

  std::string_view source() const { return map_.text(); }
  const SourceMap& map() const { return map_; }
  SourcePosition position(const YamlNode& node) const;

  void error(const YamlNode& at, std::string rule, std::string message);
  void warning(const YamlNode& at, std::string rule, std::string message);

  // The entry of `key` in a mapping; the last one when the key is repeated, since GitLab keeps the last.
  const YamlEntry* find(const YamlNode& mapping, std::string_view key) const;

  // A `schema-unknown-key` warning for a key not in `known`, with a "did you mean" when one is close (which
  // is returned). `where` names the mapping ("" for the top level, "flowrun." ...), `reader` who ignores it.
  std::optional<std::string> check_key(const YamlNode& key, std::span<const std::string_view> known,
                                       std::string_view where, std::string_view reader);
  void check_keys(const YamlNode& mapping, std::span<const std::string_view> known, std::string_view where,
                  std::string_view reader);

  // A string value, or a `schema-type` error naming `name` and what the value is instead.
  std::optional<Located<std::string>> read_string(const YamlNode& value, std::string_view name);
  // A boolean value (yes/no/true/false/on/off, as GitLab reads them), or a `schema-type` error.
  std::optional<Located<bool>> read_bool(const YamlNode& value, std::string_view name);
  // A `schema-type` warning for a key written without a value, which GitLab reads as null.
  void warn_no_value(const YamlEntry& entry, std::string_view name, std::string_view what_to_do);

 private:
  const SourceMap& map_;
  const std::string& display_name_;
  std::vector<Diagnostic>& diagnostics_;
};

// `^[A-Za-z_][A-Za-z0-9_]*$`: the names of CI/CD variables and of ID tokens.
bool is_identifier(std::string_view name);

// "quote it" advice for a scalar GitLab's loader reads as something other than text.
std::string quote_advice(const YamlNode& value);

// The parts of a flow file, each read by its own file.
void read_flow(const YamlDocument& document, SchemaReader& reader, Flow& flow);
void read_commands(const YamlEntry& entry, SchemaReader& reader, Flow& flow);
void read_id_tokens(const YamlEntry& entry, SchemaReader& reader, Flow& flow);
void read_flowrun_settings(const YamlEntry& entry, SchemaReader& reader, FlowrunSettings& settings);

}  // namespace flowrun::flow
