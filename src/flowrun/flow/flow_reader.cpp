// The top level of a flow file: the keys GitLab reads (image, commands, variables, injectGatewayToken,
// id_tokens, report_artifacts) and `flowrun:`.
#include <unordered_map>

#include "flowrun/flow/flow_keys.h"
#include "flowrun/flow/scalar_type.h"
#include "flowrun/flow/schema_reader.h"

namespace flowrun::flow {
namespace {

// Keys from .gitlab-ci.yml habits that mean something else in a flow file.
const std::unordered_map<std::string_view, std::string_view>& ci_habits() {
  static const std::unordered_map<std::string_view, std::string_view> habits = {
      {"script", "commands"}, {"before_script", "commands"}, {"after_script", "commands"}};
  return habits;
}

void read_image(const YamlEntry& entry, SchemaReader& reader, Flow& flow) {
  const YamlNode& value = *entry.value;
  if (value.kind == YamlKind::null) {
    reader.error(*entry.key, "schema-required",
                 "`image:` has no value: write the container image the commands run in, e.g. `image: node:22-slim`");
    return;
  }
  auto image = reader.read_string(value, "image");
  if (!image) return;
  if (image->value.empty()) {
    reader.error(value, "image-length", "`image` is empty: write the container image, e.g. `image: node:22-slim`");
  } else if (static_cast<std::size_t>(count_characters(image->value)) > max_image_length) {
    reader.error(value, "image-length",
                 "`image` is " + std::to_string(count_characters(image->value)) +
                     " characters long; GitLab accepts at most " + std::to_string(max_image_length) +
                     ": use a shorter image reference");
  } else if (image->value.find_first_of(" \t\r\n") != std::string::npos) {
    reader.error(value, "schema-value",
                 "`image` contains whitespace, which no container image reference has: write only the image, e.g. "
                 "`image: node:22-slim`");
  }
  flow.image = std::move(*image);
}

void read_variables(const YamlEntry& entry, SchemaReader& reader, Flow& flow) {
  const YamlNode& value = *entry.value;
  if (value.kind == YamlKind::null) {
    reader.warn_no_value(entry, "variables", "list the CI/CD variables the job needs (`- NAME`), or remove the key");
    return;
  }
  if (value.kind == YamlKind::mapping) {
    reader.error(value, "schema-type",
                 "`variables` must be a list of CI/CD variable names, not a mapping: a flow cannot set values; write "
                 "`- NAME` lines and set the values in the project's Settings > CI/CD > Variables");
    return;
  }
  if (value.kind != YamlKind::sequence) {
    reader.error(value, "schema-type",
                 "`variables` must be a list of CI/CD variable names, not " + std::string(describe_type(value)) +
                     ": write each name on its own `- NAME` line");
    return;
  }
  std::unordered_map<std::string, int> first_lines;
  for (std::size_t i = 0; i < value.items.size(); ++i) {
    const YamlNode& item = *value.items[i];
    std::string label = "variable " + std::to_string(i + 1);
    if (item.kind != YamlKind::scalar || scalar_type(item) != ScalarType::string) {
      std::string message = label + " is " + describe_type(item) + ", not a variable name";
      message += item.kind == YamlKind::scalar ? ": " + quote_advice(item) : ": write the name of a CI/CD variable";
      reader.error(item, "schema-type", std::move(message));
      continue;
    }
    if (item.value.empty()) {
      reader.error(item, "variable-name", label + " is an empty string: write the name of a CI/CD variable");
      continue;
    }
    if (!is_identifier(item.value)) {
      std::string message = "`" + item.value +
                            "` is not a valid variable name: use letters, digits and `_`, not "
                            "starting with a digit";
      if (!item.value.empty() && item.value[0] == '$') message += " (write the name without `$`)";
      reader.error(item, "variable-name", std::move(message));
      continue;
    }
    auto [first, inserted] = first_lines.emplace(item.value, item.position.line);
    if (!inserted) {
      reader.warning(
          item, "variable-duplicate",
          "`" + item.value + "` is listed twice (first at line " + std::to_string(first->second) + "): remove one");
      continue;
    }
    flow.variables.push_back(Located<std::string>{item.value, reader.position(item)});
  }
}

void read_report_artifacts(const YamlEntry& entry, SchemaReader& reader, Flow& flow) {
  const YamlNode& value = *entry.value;
  if (value.kind == YamlKind::null) {
    reader.warn_no_value(entry, "report_artifacts",
                         "map report types to paths (as `artifacts:reports`), or remove the key");
    return;
  }
  if (value.kind != YamlKind::mapping) {
    reader.error(value, "schema-type",
                 "`report_artifacts` must be a mapping of report types to paths (like `artifacts:reports` in "
                 ".gitlab-ci.yml), not " +
                     std::string(describe_type(value)));
    return;
  }
  flow.has_report_artifacts = true;
}

void read_inject_gateway_token(const YamlEntry& entry, SchemaReader& reader, Flow& flow) {
  if (entry.value->kind == YamlKind::null) {
    reader.warn_no_value(entry, "injectGatewayToken", "write true or false, or remove the key");
    return;
  }
  if (auto value = reader.read_bool(*entry.value, "injectGatewayToken")) flow.inject_gateway_token = *value;
}

// Unknown top-level keys, with the .gitlab-ci.yml habits named. Returns the key that was probably meant to be
// `commands`, to mention it when `commands` is missing.
const YamlNode* check_top_level_keys(const YamlNode& root, SchemaReader& reader) {
  const YamlNode* meant_as_commands = nullptr;
  for (const YamlEntry& entry : root.entries) {
    const YamlNode& key = *entry.key;
    auto habit = key.kind == YamlKind::scalar ? ci_habits().find(key.value) : ci_habits().end();
    if (habit != ci_habits().end()) {
      reader.warning(key, "schema-unknown-key",
                     "unknown key `" + key.value + "`: GitLab ignores it, a flow has no `" + key.value +
                         "` (did you mean `" + std::string(habit->second) + "`?)");
      if (habit->second == "commands") meant_as_commands = &key;
      continue;
    }
    auto suggestion = reader.check_key(key, top_level_keys, "", "GitLab");
    if (suggestion == "commands") meant_as_commands = &key;
  }
  return meant_as_commands;
}

}  // namespace

void read_flow(const YamlDocument& document, SchemaReader& reader, Flow& flow) {
  const YamlNode& root = *document.root;
  const YamlNode* meant_as_commands = check_top_level_keys(root, reader);

  if (const YamlEntry* image = reader.find(root, "image")) {
    read_image(*image, reader, flow);
  } else {
    reader.error(root, "schema-required",
                 "no `image:`: add the container image the commands run in, e.g. `image: node:22-slim`");
  }
  if (const YamlEntry* commands = reader.find(root, "commands")) {
    read_commands(*commands, reader, flow);
  } else {
    std::string message = "no `commands:`: add a `commands:` list of shell commands, one per `- ` line";
    if (meant_as_commands != nullptr) {
      message += " (is `" + meant_as_commands->value + ":` on line " +
                 std::to_string(meant_as_commands->position.line) + " meant to be `commands:`?)";
    }
    reader.error(root, "schema-required", std::move(message));
  }
  if (const YamlEntry* variables = reader.find(root, "variables")) read_variables(*variables, reader, flow);
  if (const YamlEntry* inject = reader.find(root, "injectGatewayToken"))
    read_inject_gateway_token(*inject, reader, flow);
  if (const YamlEntry* id_tokens = reader.find(root, "id_tokens")) read_id_tokens(*id_tokens, reader, flow);
  if (const YamlEntry* artifacts = reader.find(root, "report_artifacts"))
    read_report_artifacts(*artifacts, reader, flow);
  if (const YamlEntry* settings = reader.find(root, "flowrun")) read_flowrun_settings(*settings, reader, flow.settings);
}

}  // namespace flowrun::flow
