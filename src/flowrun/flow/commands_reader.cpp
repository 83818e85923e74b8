// `commands:`, the job's script: a non-empty list of strings. Each command keeps where its text starts, so
// that findings inside a multi-line command point at the right line of the flow file.
#include "flowrun/core/text.h"
#include "flowrun/flow/scalar_type.h"
#include "flowrun/flow/schema_reader.h"
#include "flowrun/flow/source_map.h"

namespace flowrun::flow {
namespace {

std::size_t leading_spaces(std::string_view text) {
  std::size_t count = 0;
  while (count < text.size() && text[count] == ' ') ++count;
  return count;
}

// Where the first character of the command's text stands in the file.
void locate_text(const YamlNode& node, const SourceMap& map, FlowCommand& command) {
  std::string_view source = map.text();
  command.is_block_scalar = node.is_block_scalar(source);
  if (!command.is_block_scalar) {
    char first = node.offset < source.size() ? source[node.offset] : '\0';
    bool quoted = first == '"' || first == '\'';
    command.first_line = node.position.line;
    command.first_column = node.position.column + (quoted ? 1 : 0);
    return;
  }
  // A block scalar's text starts on the line after its indicator, at the block's indentation. The
  // indentation is what the file's line has in front of the text's first non-empty line (the text itself may
  // keep spaces of its own, with an explicit indentation indicator like `|2`).
  command.first_line = node.position.line + 1;
  command.first_column = node.position.column;
  auto lines = text::split_lines(command.text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (text::trim(lines[i]).empty()) continue;
    std::string_view file_line = map.line_text(command.first_line + static_cast<int>(i));
    std::size_t indentation = leading_spaces(file_line) - std::min(leading_spaces(file_line), leading_spaces(lines[i]));
    command.first_column = static_cast<int>(indentation) + 1;
    break;
  }
}

std::string describe_bad_command(const YamlNode& item, const std::string& label) {
  std::string message = label + " is " + describe_type(item) + ", not a string";
  switch (item.kind) {
    case YamlKind::null:
      return label + " is empty: write a command after the `-`, or remove the line";
    case YamlKind::mapping:
      return message +
             ": a `: ` in an unquoted command starts a mapping; put the command in quotes or write it as a block "
             "(`- |` and the command on the next line)";
    case YamlKind::sequence:
      return message + ": write one command per `- ` line, or join them with `&&` in one command";
    case YamlKind::scalar:
      break;
  }
  return message + ": " + quote_advice(item);
}

}  // namespace

void read_commands(const YamlEntry& entry, SchemaReader& reader, Flow& flow) {
  const YamlNode& value = *entry.value;
  if (value.kind == YamlKind::null) {
    reader.error(*entry.key, "commands-empty",
                 "`commands:` is empty: add the shell commands of the job, one per `- ` line");
    return;
  }
  if (value.kind == YamlKind::scalar && scalar_type(value) == ScalarType::string) {
    reader.error(value, "schema-type",
                 "`commands` must be a list, not a single string: write each command on its own `- ` line");
    return;
  }
  if (value.kind != YamlKind::sequence) {
    reader.error(value, "schema-type",
                 "`commands` must be a list of shell commands, not " + std::string(describe_type(value)) +
                     ": write each command on its own `- ` line");
    return;
  }
  if (value.items.empty()) {
    reader.error(value, "commands-empty", "`commands` is an empty list: add the shell commands of the job");
    return;
  }
  for (std::size_t i = 0; i < value.items.size(); ++i) {
    const YamlNode& item = *value.items[i];
    if (item.kind != YamlKind::scalar || scalar_type(item) != ScalarType::string) {
      reader.error(item, "schema-type", describe_bad_command(item, "command " + std::to_string(i + 1)));
      continue;
    }
    FlowCommand command;
    command.text = item.value;
    command.position = reader.position(item);
    locate_text(item, reader.map(), command);
    flow.commands.push_back(std::move(command));
  }
}

}  // namespace flowrun::flow
