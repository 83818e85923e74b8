#include "flowrun/flow/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace flowrun::flow {

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::info:
      return "info";
  }
  return "error";
}

std::string format_text(const Diagnostic& diagnostic) {
  const auto& at = diagnostic.position;
  // Appended piece by piece: g++ 12 at -O3 warns falsely (-Wrestrict) on `":" + std::to_string(...)` chains.
  std::string out = at.file;
  if (at.line > 0) {
    out += ':';
    out += std::to_string(at.line);
    out += ':';
    out += std::to_string(at.column);
  }
  out += ": ";
  out += to_string(diagnostic.severity);
  out += ": ";
  out += diagnostic.message;
  if (!diagnostic.rule.empty()) {
    out += " [";
    out += diagnostic.rule;
    out += ']';
  }
  return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& diagnostic) { return diagnostic.severity == Severity::error; });
}

void sort_diagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.position.file, a.position.line, a.position.column) <
           std::tie(b.position.file, b.position.line, b.position.column);
  });
}

}  // namespace flowrun::flow
