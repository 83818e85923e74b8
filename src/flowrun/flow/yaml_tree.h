#pragma once
// The YAML document of a flow file as a small tree built from yaml-cpp's parser events, so that every node
// knows where it stands (line, column, byte offset), duplicate keys are seen (yaml-cpp's own Node drops that
// information), and an alias is a second reference to the anchored node, never a copy: a "billion laughs"
// document stays as small as its text.
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flowrun/flow/diagnostic.h"
#include "flowrun/flow/source_map.h"

namespace flowrun::flow {

enum class YamlKind { null, scalar, sequence, mapping };

struct YamlNode;

struct YamlEntry {
  const YamlNode* key;
  const YamlNode* value;
};

struct YamlNode {
  YamlKind kind = YamlKind::null;
  // Scalars: the text after YAML processing (quotes, escapes, block indentation removed).
  std::string value;
  // "?" for a plain (unquoted) scalar, "!" for a quoted or block scalar, else the explicit tag
  // (e.g. "tag:yaml.org,2002:str" for `!!str`).
  std::string tag;
  // Where the node's own text starts, after any anchor or tag: for a block scalar the `|` or `>` indicator,
  // for a quoted scalar the quote. For an empty (null) value, the `-` or `:` that introduces it.
  std::size_t offset = 0;
  LineColumn position;
  bool flow_style = false;             // `[...]` / `{...}` rather than block collections
  std::vector<const YamlNode*> items;  // sequence
  std::vector<YamlEntry> entries;      // mapping, in document order (duplicates included)

  bool is_plain_scalar() const { return kind == YamlKind::scalar && tag == "?"; }
  bool is_block_scalar(std::string_view source) const {
    return kind == YamlKind::scalar && offset < source.size() && (source[offset] == '|' || source[offset] == '>');
  }
};

struct YamlDocument {
  const YamlNode* root = nullptr;       // null when the text could not be parsed
  std::deque<YamlNode> nodes;           // owns every node; a deque never moves them
  std::vector<Diagnostic> diagnostics;  // yaml-syntax, duplicate-key, nesting-too-deep, extra documents
};

// Parses the first YAML document of `text` (which must have passed the encoding check). A later document is
// reported, not read: GitLab reads only the first.
std::unique_ptr<YamlDocument> parse_yaml(std::string_view text, const SourceMap& map, const std::string& display_name);

}  // namespace flowrun::flow
