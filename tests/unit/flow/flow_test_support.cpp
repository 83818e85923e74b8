#include "flow_test_support.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace flowrun::flow::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "flowrun-flow-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code error;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, error);
  std::filesystem::remove_all(path_, error);
}

std::filesystem::path TempDir::write(const std::string& relative, std::string_view content) const {
  std::filesystem::path target = path_ / relative;
  std::filesystem::create_directories(target.parent_path());
  std::ofstream out(target, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return target;
}

std::string brief(const Diagnostic& diagnostic) {
  return std::to_string(diagnostic.position.line) + ":" + std::to_string(diagnostic.position.column) + ": " +
         to_string(diagnostic.severity) + ": [" + diagnostic.rule + "]";
}

std::vector<std::string> briefs(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const auto& diagnostic : diagnostics) out.push_back(brief(diagnostic));
  return out;
}

std::vector<Diagnostic> with_rule(const std::vector<Diagnostic>& diagnostics, std::string_view rule) {
  std::vector<Diagnostic> out;
  for (const auto& diagnostic : diagnostics) {
    if (diagnostic.rule == rule) out.push_back(diagnostic);
  }
  return out;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Diagnostic diagnostic_at(const std::string& file, int line, int column, Severity severity, const std::string& message,
                         const std::string& rule) {
  Diagnostic diagnostic;
  diagnostic.position.file = file;
  diagnostic.position.line = line;
  diagnostic.position.column = column;
  diagnostic.severity = severity;
  diagnostic.message = message;
  diagnostic.rule = rule;
  return diagnostic;
}

}  // namespace flowrun::flow::testing
