#include "flowrun/flow/schema_reader.h"

#include "flowrun/flow/key_suggestion.h"
#include "flowrun/flow/scalar_type.h"

namespace flowrun::flow {

SourcePosition SchemaReader::position(const YamlNode& node) const {
  return SourcePosition{display_name_, node.position.line, node.position.column};
}

void SchemaReader::error(const YamlNode& at, std::string rule, std::string message) {
  diagnostics_.push_back(Diagnostic{position(at), Severity::error, std::move(message), std::move(rule)});
}

void SchemaReader::warning(const YamlNode& at, std::string rule, std::string message) {
  diagnostics_.push_back(Diagnostic{position(at), Severity::warning, std::move(message), std::move(rule)});
}

const YamlEntry* SchemaReader::find(const YamlNode& mapping, std::string_view key) const {
  const YamlEntry* found = nullptr;
  for (const YamlEntry& entry : mapping.entries) {
    if (entry.key->kind == YamlKind::scalar && entry.key->value == key) found = &entry;
  }
  return found;
}

std::optional<std::string> SchemaReader::check_key(const YamlNode& key, std::span<const std::string_view> known,
                                                   std::string_view where, std::string_view reader) {
  if (key.kind != YamlKind::scalar) {
    warning(key, "schema-unknown-key",
            "this key is " + std::string(describe_type(key)) + ", not a name: " + std::string(reader) +
                " ignores it; remove it");
    return std::nullopt;
  }
  for (std::string_view name : known) {
    if (key.value == name) return std::nullopt;
  }
  std::string message = "unknown key `" + std::string(where) + key.value + "`: " + std::string(reader) + " ignores it";
  auto suggestion = suggest_key(key.value, known);
  if (suggestion) {
    message += " (did you mean `" + std::string(where) + *suggestion + "`?)";
  } else {
    message += "; the keys here are ";
    for (std::size_t i = 0; i < known.size(); ++i) {
      message += std::string(i == 0 ? "" : i + 1 == known.size() ? " and " : ", ") + "`" + std::string(known[i]) + "`";
    }
  }
  warning(key, "schema-unknown-key", std::move(message));
  return suggestion;
}

void SchemaReader::check_keys(const YamlNode& mapping, std::span<const std::string_view> known, std::string_view where,
                              std::string_view reader) {
  for (const YamlEntry& entry : mapping.entries) check_key(*entry.key, known, where, reader);
}

bool is_identifier(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string quote_advice(const YamlNode& value) {
  switch (scalar_type(value)) {
    case ScalarType::boolean:
      return "GitLab's YAML loader reads `" + value.value + "` as " + (scalar_as_bool(value) ? "true" : "false") +
             ": put it in quotes: \"" + value.value + "\"";
    case ScalarType::date:
      return "GitLab's YAML loader reads `" + value.value + "` as a date and rejects the file: put it in quotes";
    case ScalarType::symbol:
      return "GitLab's YAML loader reads `" + value.value + "` as a Ruby symbol and rejects the file: put it in quotes";
    default:
      break;
  }
  if (value.kind == YamlKind::scalar) return "put it in quotes: \"" + value.value + "\"";
  return "write it as text";
}

std::optional<Located<std::string>> SchemaReader::read_string(const YamlNode& value, std::string_view name) {
  if (value.kind == YamlKind::scalar && scalar_type(value) == ScalarType::string) {
    return Located<std::string>{value.value, position(value)};
  }
  std::string message = "`" + std::string(name) + "` must be a string, not " + describe_type(value);
  if (value.kind == YamlKind::scalar) message += ": " + quote_advice(value);
  error(value, "schema-type", std::move(message));
  return std::nullopt;
}

std::optional<Located<bool>> SchemaReader::read_bool(const YamlNode& value, std::string_view name) {
  if (value.kind == YamlKind::scalar && scalar_type(value) == ScalarType::boolean) {
    return Located<bool>{scalar_as_bool(value), position(value)};
  }
  std::string message = "`" + std::string(name) + "` must be true or false, not " + describe_type(value);
  if (value.kind == YamlKind::scalar && scalar_type(value) == ScalarType::string) {
    message += ": write true or false without quotes";
  }
  error(value, "schema-type", std::move(message));
  return std::nullopt;
}

void SchemaReader::warn_no_value(const YamlEntry& entry, std::string_view name, std::string_view what_to_do) {
  warning(*entry.key, "schema-type", "`" + std::string(name) + ":` has no value: " + std::string(what_to_do));
}

}  // namespace flowrun::flow
