// load_flow_file / load_flow_text: from bytes to a Flow, in the order that keeps each step safe for the next:
// size, encoding, emptiness, nesting depth (before any recursive parser runs), YAML, then the schema.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <tuple>

#include "flowrun/flow/encoding_check.h"
#include "flowrun/flow/flow.h"
#include "flowrun/flow/nesting_scan.h"
#include "flowrun/flow/schema_reader.h"
#include "flowrun/flow/source_map.h"
#include "flowrun/flow/yaml_tree.h"

namespace flowrun::flow {
namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

Diagnostic file_error(const std::string& display_name, std::string rule, std::string message) {
  return Diagnostic{{display_name, 0, 0}, Severity::error, std::move(message), std::move(rule)};
}

std::string too_large_message() {
  return "the file is larger than " + std::to_string(max_flow_file_bytes) +
         " bytes (1 MiB), the most flowrun reads for a flow file: is this really a flow file?";
}

// `---` or `...` at the start of a line, followed by nothing but blanks or a comment.
bool is_bare_document_marker(std::string_view line) {
  if (line.substr(0, 3) != "---" && line.substr(0, 3) != "...") return false;
  std::size_t rest = line.find_first_not_of(" \t\r", 3);
  return rest == std::string_view::npos || (line[rest] == '#' && rest > 3);
}

// Only blank lines and comments (and bare document markers): nothing for YAML to read.
bool holds_only_comments(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    std::size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line[first] != '#' && !is_bare_document_marker(line)) return false;
    start = end + 1;
  }
  return true;
}

std::string flow_name_from(const std::string& display_name) {
  if (display_name == "<stdin>") return "stdin";
  std::filesystem::path path(display_name);
  auto extension = path.extension();
  return (extension == ".yaml" || extension == ".yml") ? path.stem().string() : path.filename().string();
}

bool by_position(const Diagnostic& a, const Diagnostic& b) {
  return std::tie(a.position.line, a.position.column) < std::tie(b.position.line, b.position.column);
}

// A list of half a million numbers is a million findings nobody reads: keep the first ones and count the rest.
void limit_findings(std::vector<Diagnostic>& diagnostics) {
  if (diagnostics.size() <= max_findings_per_file) return;
  const Diagnostic& first_hidden = diagnostics[max_findings_per_file];
  bool errors_hidden = std::any_of(diagnostics.begin() + max_findings_per_file, diagnostics.end(),
                                   [](const Diagnostic& diagnostic) { return diagnostic.severity == Severity::error; });
  Diagnostic summary{first_hidden.position, errors_hidden ? Severity::error : Severity::warning,
                     std::to_string(diagnostics.size() - max_findings_per_file) +
                         " more findings from here on are not shown (flowrun shows the first " +
                         std::to_string(max_findings_per_file) + " of a file): fix the ones above first",
                     "too-many-findings"};
  diagnostics.resize(max_findings_per_file);
  diagnostics.push_back(std::move(summary));
}

}  // namespace

LoadResult load_flow_text(const std::string& bytes, const std::string& display_name) {
  LoadResult result;
  auto& diagnostics = result.diagnostics;
  if (bytes.size() > max_flow_file_bytes) {
    diagnostics.push_back(file_error(display_name, "file-too-large", too_large_message()));
    return result;
  }
  std::string_view text = bytes;
  // A byte order mark is not content: editors do not count it as a column, and YAML readers skip it.
  if (text.substr(0, utf8_bom.size()) == utf8_bom) text.remove_prefix(utf8_bom.size());

  if (auto problem = check_encoding(text, display_name)) {
    diagnostics.push_back(std::move(*problem));
    return result;
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    diagnostics.push_back(
        file_error(display_name, "file-empty", "the file is empty: a flow needs at least `image:` and `commands:`"));
    return result;
  }
  if (holds_only_comments(text)) {
    diagnostics.push_back(file_error(display_name, "file-empty",
                                     "the file holds only comments: a flow needs at least `image:` and `commands:`"));
    return result;
  }
  if (auto deep = find_excessive_nesting(text)) {
    diagnostics.push_back(Diagnostic{{display_name, deep->line, deep->column},
                                     Severity::error,
                                     "nesting deeper than " + std::to_string(max_nesting_depth) +
                                         " levels: a flow file needs only a few; flatten the structure",
                                     "nesting-too-deep"});
    return result;
  }

  SourceMap map(text);
  auto document = parse_yaml(text, map, display_name);
  diagnostics = std::move(document->diagnostics);
  if (document->root != nullptr) {
    const YamlNode& root = *document->root;
    SchemaReader reader(map, display_name, diagnostics);
    if (root.kind != YamlKind::mapping) {
      std::string found = root.kind == YamlKind::sequence ? "a list"
                          : root.kind == YamlKind::null   ? "an empty document"
                                                          : "a single value";
      reader.error(root, "schema-root",
                   "a flow file is a mapping of keys (`image:`, `commands:`, ...), but this one is " + found +
                       ": start with `image: <container image>` and a `commands:` list, each key at the start of "
                       "a line");
    } else {
      Flow flow;
      flow.name = flow_name_from(display_name);
      flow.display_path = display_name;
      read_flow(*document, reader, flow);
      result.flow = std::move(flow);
    }
  }
  std::stable_sort(diagnostics.begin(), diagnostics.end(), by_position);
  limit_findings(diagnostics);
  return result;
}

LoadResult load_flow_file(const std::filesystem::path& path) { return load_flow_file(path, path.string()); }

LoadResult load_flow_file(const std::filesystem::path& path, const std::string& display_name) {
  LoadResult result;
  auto unreadable = [&](std::string message) {
    result.diagnostics.push_back(file_error(display_name, "file-unreadable", std::move(message)));
    return result;
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int error = errno;
    if (error == ENOENT) return unreadable("no such file: check the path and the file name");
    if (error == EACCES) return unreadable("permission denied: flowrun cannot read this file; check its permissions");
    return unreadable(std::string("cannot open the file: ") + std::strerror(error));
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) == 0) {
    if (S_ISDIR(info.st_mode)) {
      return unreadable("this is a directory, not a flow file: give a .yaml file, or `flowrun validate " +
                        display_name + "` to check every flow in it");
    }
    if (S_ISREG(info.st_mode) && static_cast<std::size_t>(info.st_size) > max_flow_file_bytes) {
      result.diagnostics.push_back(file_error(display_name, "file-too-large", too_large_message()));
      return result;
    }
  }
  // Read one byte more than allowed, so a pipe or a file still growing shows as too large, never read forever.
  std::string bytes;
  char buffer[65536];
  while (bytes.size() <= max_flow_file_bytes) {
    ssize_t count = ::read(fd, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) return unreadable(std::string("cannot read the file: ") + std::strerror(errno));
    if (count == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(count));
  }
  result = load_flow_text(bytes, display_name);
  if (result.flow) {
    result.flow->path = path;
    result.flow->name = flow_name_from(path.filename().string());
  }
  return result;
}

}  // namespace flowrun::flow
