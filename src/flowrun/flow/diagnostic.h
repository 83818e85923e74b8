#pragma once
// A finding about a flow file, pointing at a position inside the YAML file itself.
#include <string>
#include <vector>

namespace flowrun::flow {

// 1-based line and column in the flow file; line 0 means "the file as a whole". Columns count characters
// (UTF-8 code points), as editors do.
struct SourcePosition {
  std::string file;  // as given by the user (or "<stdin>")
  int line = 0;
  int column = 0;
};

enum class Severity { error, warning, info };

struct Diagnostic {
  SourcePosition position;
  Severity severity = Severity::error;
  std::string message;  // says what is wrong and what to do
  std::string rule;     // stable id, e.g. "schema-unknown-key", "shellcheck-SC2086"
};

const char* to_string(Severity severity);

// `file:line:col: severity: message [rule]` (`file: severity: message [rule]` for line 0)
std::string format_text(const Diagnostic& diagnostic);

bool has_errors(const std::vector<Diagnostic>& diagnostics);

// By file, line and column; findings at the same place keep their order.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

}  // namespace flowrun::flow
