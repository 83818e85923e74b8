#pragma once
// What a YAML scalar is for the loader GitLab uses (Ruby's Psych, `YAML.safe_load`, YAML 1.1 rules): `yes`,
// `on` and `off` are booleans there, `1:30` is the integer 90 and `2024-01-01` a date that safe_load refuses.
// The flow checks speak of types the way GitLab will see them, not the way yaml-cpp would.
#include <string_view>

#include "flowrun/flow/yaml_tree.h"

namespace flowrun::flow {

enum class ScalarType {
  null,
  boolean,
  integer,
  floating,
  string,
  date,    // a date or timestamp: YAML.safe_load rejects the whole file
  symbol,  // `:name`: a Ruby symbol, which YAML.safe_load rejects as well
};

ScalarType scalar_type(const YamlNode& node);

// "a number", "a boolean", "a list", "a mapping", "empty (null)", ... for messages.
const char* describe_type(const YamlNode& node);

// True and false as Psych reads them: yes/true/on and no/false/off, in any letter case.
bool scalar_as_bool(const YamlNode& node);

}  // namespace flowrun::flow
