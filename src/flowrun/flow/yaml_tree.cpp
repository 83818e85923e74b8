#include "flowrun/flow/yaml_tree.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <unordered_map>

#include "flowrun/flow/nesting_scan.h"

namespace flowrun::flow {
namespace {

// The type yaml-cpp gives the style argument of OnSequenceStart/OnMapStart: `EmitterStyle::value` in 0.7 and
// 0.8, an enum class in later versions. Deduced, so the handler overrides the right signature with either.
template <typename>
struct FourthParameter;
template <typename Class, typename Result, typename A, typename B, typename C, typename D>
struct FourthParameter<Result (Class::*)(A, B, C, D)> {
  using type = D;
};
using StyleParameter = FourthParameter<decltype(&YAML::EventHandler::OnMapStart)>::type;

// Thrown from the handler to stop at the start of a second document.
struct SecondDocument {
  std::size_t offset;
};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view syntax_hint(const std::string& message, std::string_view line) {
  auto has = [&message](std::string_view part) { return message.find(part) != std::string::npos; };
  std::size_t indent_end = line.find_first_not_of(" \t");
  if (line.substr(0, indent_end).find('\t') != std::string_view::npos || has("tab")) {
    return "YAML does not allow tabs for indentation: indent with spaces";
  }
  if (has(YAML::ErrorMsg::MAP_VALUE)) {
    return "a `: ` inside an unquoted value starts a mapping: put the value in quotes or write the command as a "
           "block (`- |` and the command on the next line)";
  }
  if (has(YAML::ErrorMsg::END_OF_MAP) || has(YAML::ErrorMsg::END_OF_SEQ) || has(YAML::ErrorMsg::BLOCK_ENTRY) ||
      has(YAML::ErrorMsg::MAP_KEY)) {
    return "check the indentation of this line and the lines above: entries of one list or mapping start in the "
           "same column";
  }
  if (has(YAML::ErrorMsg::END_OF_SEQ_FLOW) || has(YAML::ErrorMsg::END_OF_MAP_FLOW) || has(YAML::ErrorMsg::FLOW_END)) {
    return "close every `[` with `]` and every `{` with `}`";
  }
  if (has(YAML::ErrorMsg::INVALID_ESCAPE)) {
    return "in double quotes a backslash starts an escape: double the backslash, use single quotes, or write the "
           "command as a block (`- |`)";
  }
  if (has(YAML::ErrorMsg::EOF_IN_SCALAR) || has(YAML::ErrorMsg::DOC_IN_SCALAR)) {
    return "a quoted value is not closed: add the closing quote";
  }
  if (has(YAML::ErrorMsg::UNKNOWN_ANCHOR)) return "define the anchor (`&name`) before using the alias (`*name`)";
  return "fix the YAML syntax here";
}

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(YamlDocument& document, std::string_view text, const SourceMap& map, const std::string& display_name)
      : document_(document), text_(text), map_(map), display_name_(display_name) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (documents_started_++ > 0) throw SecondDocument{static_cast<std::size_t>(std::max(mark.pos, 0))};
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YamlNode& node = make_node(YamlKind::null, null_offset(mark));
    attach(node);
    remember_anchor(anchor, node);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor < anchors_.size() && anchors_[anchor] != nullptr) {
      attach(*anchors_[anchor]);
      return;
    }
    // yaml-cpp knows the anchor, but its node is still open: the alias sits inside what it names.
    YamlNode& node = make_node(YamlKind::null, offset_of(mark));
    add_error(node.position, "yaml-syntax",
              "this alias refers to the collection that contains it: YAML readers loop or fail on such a cycle; "
              "remove the alias");
    attach(node);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YamlNode& node = make_node(YamlKind::scalar, skip_properties(offset_of(mark)));
    node.tag = tag;
    node.value = value;
    attach(node);
    remember_anchor(anchor, node);
    check_closing_quote(node);
  }

  // True when a quoted scalar ran to the end of the file without its closing quote, which yaml-cpp accepts
  // but GitLab's YAML loader rejects.
  bool unterminated_quote() const { return unterminated_quote_; }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       StyleParameter style) override {
    open_collection(YamlKind::sequence, mark, tag, anchor, style);
  }
  void OnSequenceEnd() override { close_collection(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  StyleParameter style) override {
    open_collection(YamlKind::mapping, mark, tag, anchor, style);
  }
  void OnMapEnd() override { close_collection(); }

 private:
  struct Frame {
    YamlNode* node = nullptr;
    YAML::anchor_t anchor = 0;
    const YamlNode* pending_key = nullptr;
    bool expecting_key = true;
    std::unordered_map<std::string, int> key_lines;  // scalar key -> line of its first occurrence
  };

  YamlNode& make_node(YamlKind kind, std::size_t offset) {
    YamlNode& node = document_.nodes.emplace_back();
    node.kind = kind;
    node.offset = offset;
    node.position = map_.position_of(offset);
    return node;
  }

  void open_collection(YamlKind kind, const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       StyleParameter style) {
    YamlNode& node = make_node(kind, skip_properties(offset_of(mark)));
    node.tag = tag;
    node.flow_style = style == decltype(style)::Flow;
    attach(node);
    Frame frame;
    frame.node = &node;
    frame.anchor = anchor;
    frames_.push_back(std::move(frame));
  }

  void close_collection() {
    if (frames_.empty()) return;
    Frame frame = std::move(frames_.back());
    frames_.pop_back();
    // Registered only now, complete: an alias inside its own anchor must not form a cycle.
    remember_anchor(frame.anchor, *frame.node);
  }

  void attach(const YamlNode& node) {
    if (frames_.empty()) {
      if (document_.root == nullptr) document_.root = &node;
      return;
    }
    Frame& frame = frames_.back();
    if (frame.node->kind == YamlKind::sequence) {
      frame.node->items.push_back(&node);
    } else if (frame.expecting_key) {
      frame.pending_key = &node;
      frame.expecting_key = false;
      check_duplicate_key(frame, node);
    } else {
      frame.node->entries.push_back({frame.pending_key, &node});
      frame.expecting_key = true;
    }
  }

  void check_duplicate_key(Frame& frame, const YamlNode& key) {
    if (key.kind != YamlKind::scalar && key.kind != YamlKind::null) return;
    std::string identity = key.kind == YamlKind::null ? std::string("\0null", 5) : key.value;
    auto [first, inserted] = frame.key_lines.emplace(identity, key.position.line);
    if (inserted) return;
    std::string shown = key.kind == YamlKind::null ? "null" : key.value;
    add_error(key.position, "duplicate-key",
              "duplicate key `" + shown + "` (first at line " + std::to_string(first->second) +
                  "): GitLab keeps only the last value; remove one of them");
  }

  void remember_anchor(YAML::anchor_t anchor, const YamlNode& node) {
    if (anchor == 0) return;
    if (anchors_.size() <= anchor) anchors_.resize(anchor + 1, nullptr);
    anchors_[anchor] = &node;
  }

  std::size_t offset_of(const YAML::Mark& mark) const {
    if (mark.pos < 0) return text_.size();
    return std::min(static_cast<std::size_t>(mark.pos), text_.size());
  }

  // yaml-cpp marks a node where its anchor or tag starts; move to the node's own text.
  std::size_t skip_properties(std::size_t offset) const {
    std::size_t at = offset;
    while (at < text_.size()) {
      char c = text_[at];
      if (is_blank(c)) {
        ++at;
      } else if (c == '#' && at > offset && is_blank(text_[at - 1])) {
        while (at < text_.size() && text_[at] != '\n') ++at;
      } else if ((c == '&' || c == '!') && (at == offset || is_blank(text_[at - 1]))) {
        while (at < text_.size() && !is_blank(text_[at])) ++at;
      } else {
        return at;
      }
    }
    return offset;
  }

  // An empty value has no text of its own; yaml-cpp marks the next token, which may be lines further down.
  // Point at the `-`, `:` or `?` that introduced it instead, the last significant character before the mark.
  std::size_t null_offset(const YAML::Mark& mark) const {
    std::size_t offset = offset_of(mark);
    std::string_view rest = text_.substr(offset);
    for (std::string_view literal : {"~", "null", "Null", "NULL"}) {
      if (rest.substr(0, literal.size()) == literal &&
          (rest.size() == literal.size() || is_blank(rest[literal.size()]) || rest[literal.size()] == ',' ||
           rest[literal.size()] == ']' || rest[literal.size()] == '}')) {
        return offset;
      }
    }
    std::size_t line_start = text_.rfind('\n', offset == 0 ? 0 : offset - 1);
    line_start = line_start == std::string_view::npos || offset == 0 ? 0 : line_start + 1;
    std::size_t end = offset;
    while (true) {
      std::string_view line = text_.substr(line_start, end - line_start);
      std::size_t comment = std::string_view::npos;
      for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '#' && (i == 0 || is_blank(line[i - 1]))) {
          comment = i;
          break;
        }
      }
      std::size_t last = line.substr(0, comment).find_last_not_of(" \t\r");
      if (last != std::string_view::npos) return line_start + last;
      if (line_start == 0) return offset;
      end = line_start - 1;
      std::size_t previous = text_.rfind('\n', end == 0 ? 0 : end - 1);
      line_start = previous == std::string_view::npos || end == 0 ? 0 : previous + 1;
    }
  }

  void check_closing_quote(const YamlNode& node) {
    if (node.offset >= text_.size()) return;
    const char quote = text_[node.offset];
    if (quote != '"' && quote != '\'') return;
    for (std::size_t at = node.offset + 1; at < text_.size(); ++at) {
      if (quote == '"' && text_[at] == '\\') {
        ++at;
      } else if (text_[at] == quote) {
        if (quote == '\'' && at + 1 < text_.size() && text_[at + 1] == '\'') {
          ++at;
        } else {
          return;
        }
      }
    }
    unterminated_quote_ = true;
    add_error(node.position, "yaml-syntax",
              std::string("YAML syntax error: this quoted value is never closed, it runs to the end of the file: add "
                          "the closing ") +
                  quote);
  }

  void add_error(LineColumn at, std::string rule, std::string message) {
    document_.diagnostics.push_back(
        Diagnostic{{display_name_, at.line, at.column}, Severity::error, std::move(message), std::move(rule)});
  }

  YamlDocument& document_;
  std::string_view text_;
  const SourceMap& map_;
  const std::string& display_name_;
  std::vector<Frame> frames_;
  std::vector<const YamlNode*> anchors_;
  int documents_started_ = 0;
  bool unterminated_quote_ = false;
};

}  // namespace

std::unique_ptr<YamlDocument> parse_yaml(std::string_view text, const SourceMap& map, const std::string& display_name) {
  auto document = std::make_unique<YamlDocument>();
  std::istringstream stream{std::string(text)};
  TreeBuilder builder(*document, text, map, display_name);
  auto report = [&](LineColumn at, Severity severity, std::string message, std::string rule) {
    document->diagnostics.push_back(
        Diagnostic{{display_name, at.line, at.column}, severity, std::move(message), std::move(rule)});
  };
  try {
    YAML::Parser parser(stream);
    parser.HandleNextDocument(builder);
    if (builder.unterminated_quote()) {
      document->root = nullptr;
      return document;
    }
    parser.HandleNextDocument(builder);  // only to notice a second document: the builder stops at its start
  } catch (const SecondDocument& second) {
    report(map.position_of(second.offset), Severity::warning,
           "a second YAML document starts here: GitLab reads only the first one; remove the `---` and what follows, "
           "or merge them",
           "yaml-syntax");
  } catch (const YAML::DeepRecursion& error) {
    document->root = nullptr;
    report(map.position_of_line_byte(error.mark.line, error.mark.column), Severity::error,
           "nesting deeper than the YAML reader allows: a flow file needs a few levels; flatten the structure",
           "nesting-too-deep");
  } catch (const YAML::ParserException& error) {
    document->root = nullptr;
    LineColumn at = map.position_of_line_byte(error.mark.line, error.mark.column);
    std::string_view line = at.line > 0 ? map.line_text(at.line) : std::string_view{};
    report(at, Severity::error, "YAML syntax error: " + error.msg + ": " + std::string(syntax_hint(error.msg, line)),
           "yaml-syntax");
  }
  return document;
}

}  // namespace flowrun::flow
