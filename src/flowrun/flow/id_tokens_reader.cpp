// `id_tokens:`, OIDC tokens GitLab adds to the job: NAME -> {aud: string or non-empty list of unique strings},
// names like variable names, at most 20.
#include <unordered_map>

#include "flowrun/flow/flow_keys.h"
#include "flowrun/flow/scalar_type.h"
#include "flowrun/flow/schema_reader.h"

namespace flowrun::flow {
namespace {

bool is_text(const YamlNode& node) { return node.kind == YamlKind::scalar && scalar_type(node) == ScalarType::string; }

void read_audience(const YamlNode& aud, const std::string& token, SchemaReader& reader) {
  const std::string where = "`aud` of ID token `" + token + "`";
  if (is_text(aud)) {
    if (aud.value.empty()) reader.error(aud, "id-tokens", where + " is empty: write the audience the token is for");
    return;
  }
  if (aud.kind != YamlKind::sequence) {
    reader.error(aud, "id-tokens",
                 where + " must be a string or a list of strings, not " + std::string(describe_type(aud)) +
                     ": write the audience, e.g. `aud: https://vault.example.com`");
    return;
  }
  if (aud.items.empty()) {
    reader.error(aud, "id-tokens", where + " is an empty list: list at least one audience");
    return;
  }
  std::unordered_map<std::string, int> first_lines;
  for (const YamlNode* item : aud.items) {
    if (!is_text(*item)) {
      reader.error(
          *item, "id-tokens",
          "an audience in " + where + " is " + describe_type(*item) + ", not a string: " + quote_advice(*item));
      continue;
    }
    auto [first, inserted] = first_lines.emplace(item->value, item->position.line);
    if (!inserted) {
      reader.error(*item, "id-tokens",
                   "`" + item->value + "` is listed twice in " + where + " (first at line " +
                       std::to_string(first->second) + "): GitLab wants unique audiences; remove one");
    }
  }
}

void read_token(const YamlEntry& entry, SchemaReader& reader, Flow& flow) {
  const YamlNode& key = *entry.key;
  if (!is_text(key) || !is_identifier(key.value)) {
    std::string shown = key.kind == YamlKind::scalar ? key.value : describe_type(key);
    reader.error(
        key, "id-tokens",
        "`" + shown + "` is not a valid ID token name: use letters, digits and `_`, not starting with a digit");
    return;
  }
  const YamlNode& value = *entry.value;
  if (value.kind != YamlKind::mapping) {
    reader.error(value.kind == YamlKind::null ? key : value, "id-tokens",
                 "ID token `" + key.value + "` must be a mapping with `aud:`, not " + describe_type(value) +
                     ": write `aud: <audience>` indented below it");
    return;
  }
  flow.id_token_names.push_back(Located<std::string>{key.value, reader.position(key)});
  reader.check_keys(value, id_token_keys, "id_tokens." + key.value + ".", "GitLab");
  if (const YamlEntry* aud = reader.find(value, "aud")) {
    read_audience(*aud->value, key.value, reader);
  } else {
    reader.error(key, "id-tokens",
                 "ID token `" + key.value +
                     "` has no `aud:`: add the audience that accepts the token, e.g. `aud: https://vault.example.com`");
  }
}

}  // namespace

void read_id_tokens(const YamlEntry& entry, SchemaReader& reader, Flow& flow) {
  const YamlNode& value = *entry.value;
  if (value.kind == YamlKind::null) {
    reader.warn_no_value(entry, "id_tokens", "add `NAME: {aud: <audience>}` entries, or remove the key");
    return;
  }
  if (value.kind != YamlKind::mapping) {
    reader.error(
        value, "schema-type",
        "`id_tokens` must be a mapping of token names to `aud:` settings, not " + std::string(describe_type(value)));
    return;
  }
  for (std::size_t i = 0; i < value.entries.size(); ++i) {
    if (i == max_id_tokens) {
      reader.error(*value.entries[i].key, "id-tokens",
                   "more than " + std::to_string(max_id_tokens) + " ID tokens (" +
                       std::to_string(value.entries.size()) + "): GitLab accepts at most " +
                       std::to_string(max_id_tokens) + "; remove some");
    }
    read_token(value.entries[i], reader, flow);
  }
}

}  // namespace flowrun::flow
