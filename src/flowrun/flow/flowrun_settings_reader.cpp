// `flowrun:`, flowrun's own settings (GitLab ignores the key): the commit's author and message, the branch,
// paths never committed, when to open a merge request, pushing after a failure, the commands' timeout, and the
// review loop: where a follow-up goes, the merge request's draft state and labels, and what is never pushed.
#include <charconv>

#include "flowrun/flow/flow_keys.h"
#include "flowrun/flow/key_suggestion.h"
#include "flowrun/flow/scalar_type.h"
#include "flowrun/flow/schema_reader.h"

namespace flowrun::flow {
namespace {

// What git check-ref-format refuses in a branch name; the same rules as the pattern in flow.schema.json.
std::optional<std::string> branch_name_problem(std::string_view name) {
  for (char c : name) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) return "spaces and control characters";
    if (std::string_view("~^:?*[\\").find(c) != std::string_view::npos) {
      return std::string("the character `") + c + "`";
    }
  }
  if (name == "@") return "the name `@` alone";
  if (name.front() == '-' || name.front() == '/' || name.front() == '.') return "a leading `-`, `/` or `.`";
  if (name.back() == '/' || name.back() == '.') return "a trailing `/` or `.`";
  if (name.ends_with(".lock")) return "a trailing `.lock`";
  for (std::string_view sequence : {"..", "//", "@{", "/.", ".lock/"}) {
    if (name.find(sequence) != std::string_view::npos) return "`" + std::string(sequence) + "`";
  }
  return std::nullopt;
}

void read_identity_part(const YamlEntry& entry, std::string_view name, SchemaReader& reader,
                        std::optional<Located<std::string>>& out) {
  auto value = reader.read_string(*entry.value, name);
  if (!value) return;
  if (value->value.empty()) {
    reader.error(*entry.value, "schema-value", "`" + std::string(name) + "` is empty: write a value or remove the key");
    return;
  }
  if (value->value.find_first_of("<>\n") != std::string::npos) {
    reader.error(*entry.value, "schema-value",
                 "`" + std::string(name) +
                     "` contains `<`, `>` or a line break, which git refuses in an author: "
                     "remove them");
    return;
  }
  if (name == "flowrun.author.email" && value->value.find('@') == std::string::npos) {
    reader.warning(*entry.value, "schema-value",
                   "`flowrun.author.email` has no `@`: is `" + value->value + "` an email address?");
  }
  out = std::move(value);
}

void read_author(const YamlEntry& entry, SchemaReader& reader, FlowrunSettings& settings) {
  const YamlNode& value = *entry.value;
  if (value.kind == YamlKind::null) {
    reader.warn_no_value(entry, "flowrun.author", "add `name:` and `email:` below it, or remove the key");
    return;
  }
  if (value.kind != YamlKind::mapping) {
    reader.error(
        value, "schema-type",
        "`flowrun.author` must be a mapping with `name:` and `email:`, not " + std::string(describe_type(value)));
    return;
  }
  reader.check_keys(value, author_keys, "flowrun.author.", "flowrun");
  if (const YamlEntry* name = reader.find(value, "name")) {
    read_identity_part(*name, "flowrun.author.name", reader, settings.author_name);
  }
  if (const YamlEntry* email = reader.find(value, "email")) {
    read_identity_part(*email, "flowrun.author.email", reader, settings.author_email);
  }
}

void read_commit_message(const YamlEntry& entry, SchemaReader& reader, FlowrunSettings& settings) {
  auto value = reader.read_string(*entry.value, "flowrun.commit_message");
  if (!value) return;
  if (value->value.find_first_not_of(" \t\r\n") == std::string::npos) {
    reader.error(*entry.value, "schema-value",
                 "`flowrun.commit_message` is empty: write the message (placeholders such as {flow} are filled in), "
                 "or remove the key for the default");
    return;
  }
  settings.commit_message = std::move(value);
}

void read_branch(const YamlEntry& entry, SchemaReader& reader, FlowrunSettings& settings) {
  auto value = reader.read_string(*entry.value, "flowrun.branch");
  if (!value) return;
  if (value->value.empty()) {
    reader.error(*entry.value, "schema-value",
                 "`flowrun.branch` is empty: write a branch name, or remove the key to push to the workload branch");
    return;
  }
  if (auto problem = branch_name_problem(value->value)) {
    reader.error(*entry.value, "schema-value",
                 "`" + value->value + "` is not a valid branch name: git refuses " + *problem + " in branch names");
    return;
  }
  settings.branch = std::move(value);
}

// A list of strings under `flowrun.<key>`: `what` names one item in messages ("pattern", "variable").
void read_string_list(const YamlEntry& entry, SchemaReader& reader, const std::string& key, const std::string& what,
                      const std::string& empty_advice, std::vector<Located<std::string>>& out) {
  const std::string name = "flowrun." + key;
  const YamlNode& value = *entry.value;
  if (value.kind == YamlKind::null) {
    reader.warn_no_value(entry, name, empty_advice);
    return;
  }
  if (value.kind != YamlKind::sequence) {
    reader.error(value, "schema-type",
                 "`" + name + "` must be a list, not " + std::string(describe_type(value)) + ": write each " + what +
                     " on its own `- ` line");
    return;
  }
  for (std::size_t i = 0; i < value.items.size(); ++i) {
    const YamlNode& item = *value.items[i];
    if (item.kind == YamlKind::scalar && scalar_type(item) == ScalarType::string) {
      out.push_back(Located<std::string>{item.value, reader.position(item)});
      continue;
    }
    std::string message =
        what + " " + std::to_string(i + 1) + " of `" + name + "` is " + describe_type(item) + ", not a string";
    if (item.kind == YamlKind::scalar) message += ": " + quote_advice(item);
    reader.error(item, "schema-type", std::move(message));
  }
}

void read_merge_request(const YamlEntry& entry, SchemaReader& reader, FlowrunSettings& settings) {
  const YamlNode& value = *entry.value;
  const std::string choices = "auto, always or never";
  if (value.kind == YamlKind::scalar && scalar_type(value) == ScalarType::boolean) {
    reader.error(value, "schema-value",
                 "`flowrun.merge_request: " + value.value + "` is read as a boolean: write " + choices +
                     (scalar_as_bool(value) ? " (`always`?)" : " (`never`?)"));
    return;
  }
  auto text = reader.read_string(value, "flowrun.merge_request");
  if (!text) return;
  for (std::string_view choice : merge_request_values) {
    if (text->value == choice) {
      settings.merge_request = std::move(text);
      return;
    }
  }
  std::string message = "`flowrun.merge_request` must be " + choices + ", not `" + text->value + "`";
  if (auto suggestion = suggest_key(text->value, merge_request_values))
    message += " (did you mean `" + *suggestion + "`?)";
  reader.error(value, "schema-value", std::move(message));
}

// A whole number of at least 1 under `flowrun.<key>`; `example` shows how to write it ("timeout: 3600").
std::optional<Located<long long>> read_positive_whole_number(const YamlNode& value, SchemaReader& reader,
                                                             const std::string& key, const std::string& unit,
                                                             const std::string& example) {
  const std::string name = "flowrun." + key;
  const ScalarType type = value.kind == YamlKind::scalar ? scalar_type(value) : ScalarType::null;
  if (value.kind != YamlKind::scalar || type != ScalarType::integer) {
    std::string message = "`" + name + "` must be a whole number of " + unit + ", not " + describe_type(value);
    if (type == ScalarType::string) message += ": write it without quotes or units, e.g. `" + example + "`";
    reader.error(value, "schema-type", std::move(message));
    return std::nullopt;
  }
  std::string digits;
  bool negative = false;
  for (std::size_t i = 0; i < value.value.size(); ++i) {
    char c = value.value[i];
    if (i == 0 && (c == '-' || c == '+')) {
      negative = c == '-';
    } else if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c != '_' && c != ',') {
      digits.clear();  // hexadecimal, octal, binary or base 60: legal YAML, but not how to write a count
      break;
    }
  }
  long long number = 0;
  auto [end, status] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (digits.empty() || status != std::errc() || end != digits.data() + digits.size()) {
    reader.error(
        value, "schema-value",
        "`" + name + ": " + value.value + "` is not a plain number of " + unit + ": write e.g. `" + example + "`");
    return std::nullopt;
  }
  if (negative || number == 0) {
    const std::string one_unit = unit.substr(0, unit.size() - 1);  // "seconds" -> "second"
    reader.error(value, "schema-value", "`" + name + "` must be at least 1 " + one_unit + ", not " + value.value);
    return std::nullopt;
  }
  return Located<long long>{number, reader.position(value)};
}

void read_timeout(const YamlEntry& entry, SchemaReader& reader, FlowrunSettings& settings) {
  auto seconds = read_positive_whole_number(*entry.value, reader, "timeout", "seconds", "timeout: 3600");
  if (!seconds) return;
  if (seconds->value > gitlab_job_timeout_seconds) {
    reader.warning(*entry.value, "schema-value",
                   "`flowrun.timeout` is " + std::to_string(seconds->value) +
                       " seconds, but GitLab stops the job after " + std::to_string(gitlab_job_timeout_seconds) +
                       ": the longer timeout never applies");
  }
  settings.timeout_seconds = seconds;
}

void read_push_to(const YamlEntry& entry, SchemaReader& reader, FlowrunSettings& settings) {
  auto text = reader.read_string(*entry.value, "flowrun.push_to");
  if (!text) return;
  for (std::string_view choice : push_to_values) {
    if (text->value == choice) {
      settings.push_to = std::move(text);
      return;
    }
  }
  std::string message = "`flowrun.push_to` must be merge-request or workload-branch, not `" + text->value + "`";
  if (auto suggestion = suggest_key(text->value, push_to_values)) message += " (did you mean `" + *suggestion + "`?)";
  reader.error(*entry.value, "schema-value", std::move(message));
}

void read_flag(const YamlEntry& entry, SchemaReader& reader, const std::string& name,
               std::optional<Located<bool>>& out) {
  if (entry.value->kind == YamlKind::null) {
    reader.warn_no_value(entry, name, "write true or false, or remove the key");
  } else if (auto flag = reader.read_bool(*entry.value, name)) {
    out = *flag;
  }
}

}  // namespace

void read_flowrun_settings(const YamlEntry& entry, SchemaReader& reader, FlowrunSettings& settings) {
  const YamlNode& value = *entry.value;
  if (value.kind == YamlKind::null) {
    reader.warn_no_value(entry, "flowrun", "add flowrun's settings below it, or remove the key");
    return;
  }
  if (value.kind != YamlKind::mapping) {
    reader.error(value, "schema-type",
                 "`flowrun` must be a mapping of flowrun's settings, not " + std::string(describe_type(value)));
    return;
  }
  reader.check_keys(value, flowrun_keys, "flowrun.", "flowrun");
  if (const YamlEntry* author = reader.find(value, "author")) read_author(*author, reader, settings);
  if (const YamlEntry* message = reader.find(value, "commit_message")) read_commit_message(*message, reader, settings);
  if (const YamlEntry* branch = reader.find(value, "branch")) read_branch(*branch, reader, settings);
  if (const YamlEntry* exclude = reader.find(value, "exclude")) {
    read_string_list(*exclude, reader, "exclude", "pattern",
                     "list the paths (globs) never to commit, or remove the key", settings.exclude);
  }
  if (const YamlEntry* mask = reader.find(value, "mask")) {
    read_string_list(*mask, reader, "mask", "variable",
                     "list the variables to mask whatever their value, or remove the key", settings.mask);
  }
  if (const YamlEntry* unmask = reader.find(value, "unmask")) {
    read_string_list(*unmask, reader, "unmask", "variable", "list the variables never to mask, or remove the key",
                     settings.unmask);
  }
  if (const YamlEntry* merge_request = reader.find(value, "merge_request")) {
    read_merge_request(*merge_request, reader, settings);
  }
  if (const YamlEntry* push = reader.find(value, "push_on_failure")) {
    read_flag(*push, reader, "flowrun.push_on_failure", settings.push_on_failure);
  }
  if (const YamlEntry* timeout = reader.find(value, "timeout")) read_timeout(*timeout, reader, settings);
  if (const YamlEntry* push_to = reader.find(value, "push_to")) read_push_to(*push_to, reader, settings);
  if (const YamlEntry* draft = reader.find(value, "draft")) read_flag(*draft, reader, "flowrun.draft", settings.draft);
  if (const YamlEntry* labels = reader.find(value, "labels")) {
    read_string_list(*labels, reader, "labels", "label", "list the merge request's labels, or remove the key",
                     settings.labels);
  }
  if (const YamlEntry* paths = reader.find(value, "protected_paths")) {
    read_string_list(*paths, reader, "protected_paths", "pattern",
                     "list the paths (globs) never to push, or remove the key", settings.protected_paths);
  }
  if (const YamlEntry* paths = reader.find(value, "allow_protected_paths")) {
    read_string_list(*paths, reader, "allow_protected_paths", "pattern",
                     "list the protected paths (globs) that may be pushed, or remove the key",
                     settings.allow_protected);
  }
  if (const YamlEntry* size = reader.find(value, "max_file_size")) {
    settings.max_file_size =
        read_positive_whole_number(*size->value, reader, "max_file_size", "bytes", "max_file_size: 1048576");
  }
}

}  // namespace flowrun::flow
