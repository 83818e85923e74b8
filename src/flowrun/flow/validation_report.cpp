#include "flowrun/flow/validation_report.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "flowrun/flow/discovery.h"
#include "flowrun/flow/fingerprint.h"

namespace flowrun::flow {
namespace fs = std::filesystem;

namespace {

const char* color_of(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "\033[1;31m";
    case Severity::warning:
      return "\033[1;33m";
    case Severity::info:
      return "\033[1;36m";
  }
  return "";
}

const char* codequality_severity(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "major";
    case Severity::warning:
      return "minor";
    case Severity::info:
      return "info";
  }
  return "major";
}

std::string counted(std::size_t count, const char* singular, const char* plural) {
  return std::to_string(count) + " " + (count == 1 ? singular : plural);
}

// The path GitLab wants in a Code Quality report: relative to the repository root.
std::string repository_path(const FileReport& report) {
  if (report.path.empty()) return report.display_path;
  std::error_code error;
  fs::path absolute = fs::weakly_canonical(fs::absolute(report.path, error), error);
  if (error) return report.display_path;
  auto root = find_repository_root(absolute.parent_path());
  if (!root) return report.display_path;
  fs::path canonical_root = fs::weakly_canonical(*root, error);
  if (error) return report.display_path;
  fs::path relative = absolute.lexically_relative(canonical_root);
  return relative.empty() ? report.display_path : relative.string();
}

}  // namespace

ValidationSummary summarize(const std::vector<FileReport>& reports) {
  ValidationSummary summary;
  summary.files = reports.size();
  for (const auto& report : reports) {
    for (const auto& diagnostic : report.diagnostics) {
      switch (diagnostic.severity) {
        case Severity::error:
          ++summary.errors;
          break;
        case Severity::warning:
          ++summary.warnings;
          break;
        case Severity::info:
          ++summary.infos;
          break;
      }
    }
  }
  return summary;
}

void drop_info(std::vector<FileReport>& reports) {
  for (auto& report : reports) {
    std::erase_if(report.diagnostics,
                  [](const Diagnostic& diagnostic) { return diagnostic.severity == Severity::info; });
  }
}

std::string render_text(const std::vector<FileReport>& reports, bool color) {
  std::string out;
  for (const auto& report : reports) {
    for (const auto& diagnostic : report.diagnostics) {
      if (!color) {
        out += format_text(diagnostic) + "\n";
        continue;
      }
      const auto& at = diagnostic.position;
      out += at.file;
      if (at.line > 0) out += ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
      out += std::string(": ") + color_of(diagnostic.severity) + to_string(diagnostic.severity) +
             "\033[0m: " + diagnostic.message;
      if (!diagnostic.rule.empty()) out += " [" + diagnostic.rule + "]";
      out += "\n";
    }
  }
  return out;
}

std::string summary_line(const ValidationSummary& summary) {
  return counted(summary.files, "file", "files") + " checked: " + counted(summary.errors, "error", "errors") + ", " +
         counted(summary.warnings, "warning", "warnings") + ", " + counted(summary.infos, "info", "info");
}

std::string render_json(const std::vector<FileReport>& reports) {
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const auto& report : reports) {
    nlohmann::ordered_json diagnostics = nlohmann::ordered_json::array();
    for (const auto& diagnostic : report.diagnostics) {
      diagnostics.push_back({{"line", diagnostic.position.line},
                             {"column", diagnostic.position.column},
                             {"severity", to_string(diagnostic.severity)},
                             {"message", diagnostic.message},
                             {"rule", diagnostic.rule}});
    }
    files.push_back({{"path", report.display_path}, {"diagnostics", std::move(diagnostics)}});
  }
  ValidationSummary summary = summarize(reports);
  nlohmann::ordered_json out = {{"files", std::move(files)},
                                {"summary",
                                 {{"files", summary.files},
                                  {"errors", summary.errors},
                                  {"warnings", summary.warnings},
                                  {"infos", summary.infos}}}};
  return out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string render_codequality(const std::vector<FileReport>& reports) {
  nlohmann::ordered_json issues = nlohmann::ordered_json::array();
  // Two identical findings (same place, rule and message) still need distinct fingerprints.
  std::map<std::string, int> seen;
  for (const auto& report : reports) {
    const std::string path = repository_path(report);
    for (const auto& diagnostic : report.diagnostics) {
      std::string identity = path + '\0' + std::to_string(diagnostic.position.line) + '\0' +
                             std::to_string(diagnostic.position.column) + '\0' + diagnostic.rule + '\0' +
                             diagnostic.message;
      int occurrence = seen[identity]++;
      if (occurrence > 0) identity += '\0' + std::to_string(occurrence);
      issues.push_back({{"description", diagnostic.message},
                        {"check_name", diagnostic.rule},
                        {"fingerprint", fingerprint_hex(identity)},
                        {"severity", codequality_severity(diagnostic.severity)},
                        {"location", {{"path", path}, {"lines", {{"begin", std::max(diagnostic.position.line, 1)}}}}}});
    }
  }
  return issues.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace flowrun::flow
