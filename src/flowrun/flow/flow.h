#pragma once
// The flow file (.gitlab/duo/flows/<name>.yaml) as data. Every value keeps where it stood in the file.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "flowrun/flow/diagnostic.h"

namespace flowrun::flow {

template <typename T>
struct Located {
  T value{};
  SourcePosition position;
};

// One entry of `commands`. A multi-line command (YAML `|`) keeps its text exactly as bash will see it.
struct FlowCommand {
  std::string text;
  SourcePosition position;  // where the scalar starts (for a block scalar: the `|` or `>` indicator)
  // File line and column of the text's first character, so line N of `text` is file line
  // `first_line + N - 1` (starting at `first_column`). For a block scalar this is the line after the indicator.
  // Only literal blocks (`|`) map every line this way: YAML joins the lines of folded blocks (`>`) and of
  // multi-line plain or quoted scalars, so for those only the first line is exact.
  int first_line = 0;
  int first_column = 0;
  bool is_block_scalar = false;
};

// flowrun's own settings, under the top-level key `flowrun:` (GitLab ignores it). All optional.
struct FlowrunSettings {
  std::optional<Located<std::string>> author_name;     // flowrun.author.name
  std::optional<Located<std::string>> author_email;    // flowrun.author.email
  std::optional<Located<std::string>> commit_message;  // flowrun.commit_message: template with {placeholders}
  std::optional<Located<std::string>> branch;          // flowrun.branch: push here instead of the workload branch
  std::vector<Located<std::string>> exclude;           // flowrun.exclude: globs never committed
  std::vector<Located<std::string>> mask;              // flowrun.mask: variables masked whatever their value
  std::vector<Located<std::string>> unmask;            // flowrun.unmask: variables never masked
  std::optional<Located<std::string>> merge_request;   // flowrun.merge_request: auto | always | never
  std::optional<Located<bool>> push_on_failure;        // flowrun.push_on_failure
  std::optional<Located<long long>> timeout_seconds;   // flowrun.timeout: seconds for the commands
  // The review loop and the checks before pushing (resolved in run/setting_table.cpp).
  std::optional<Located<std::string>> push_to;        // flowrun.push_to: merge-request | workload-branch
  std::optional<Located<bool>> draft;                 // flowrun.draft: open merge requests as drafts
  std::vector<Located<std::string>> labels;           // flowrun.labels: labels of the merge request
  std::vector<Located<std::string>> protected_paths;  // flowrun.protected_paths: globs never pushed, besides CI's
  std::vector<Located<std::string>> allow_protected;  // flowrun.allow_protected_paths: protected globs pushed anyway
  std::optional<Located<long long>> max_file_size;    // flowrun.max_file_size: bytes; larger files are not pushed
};

struct Flow {
  std::string name;            // the file name without .yaml/.yml
  std::string display_path;    // the path as given, used in diagnostics
  std::filesystem::path path;  // empty for stdin
  Located<std::string> image;
  std::vector<FlowCommand> commands;
  std::vector<Located<std::string>> variables;
  std::optional<Located<bool>> inject_gateway_token;
  std::vector<Located<std::string>> id_token_names;
  bool has_report_artifacts = false;
  FlowrunSettings settings;
};

// The result of loading: a Flow when the file could be read as one (possibly with findings), and the findings.
struct LoadResult {
  std::optional<Flow> flow;
  std::vector<Diagnostic> diagnostics;
};

// Largest flow file read; GitLab's own limits on a job make anything near this absurd already.
inline constexpr std::size_t max_flow_file_bytes = 1024 * 1024;
// Findings of the loader kept for one file; the rest are counted in one last `too-many-findings` finding.
inline constexpr std::size_t max_findings_per_file = 1000;

LoadResult load_flow_file(const std::filesystem::path& path);
// The same, naming the file `display_name` in diagnostics and positions (e.g. the path as the user typed it).
LoadResult load_flow_file(const std::filesystem::path& path, const std::string& display_name);
// `display_name` appears in diagnostics ("<stdin>" for standard input).
LoadResult load_flow_text(const std::string& text, const std::string& display_name);

}  // namespace flowrun::flow
