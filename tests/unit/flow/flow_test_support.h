#pragma once
// Helpers shared by the flow module's tests: temporary folders and a compact form of findings to compare.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/flow/diagnostic.h"
#include "flowrun/flow/flow.h"

namespace flowrun::flow::testing {

// A fresh folder under the system's temporary directory, removed with everything in it at the end of the scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to `relative` (creating folders) and returns the full path.
  std::filesystem::path write(const std::string& relative, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

// `line:col: severity: [rule]`, the form of the fixtures' .expected files.
std::string brief(const Diagnostic& diagnostic);
std::vector<std::string> briefs(const std::vector<Diagnostic>& diagnostics);

// The findings of one rule.
std::vector<Diagnostic> with_rule(const std::vector<Diagnostic>& diagnostics, std::string_view rule);

std::string read_file(const std::filesystem::path& path);

// A finding, field by field.
Diagnostic diagnostic_at(const std::string& file, int line, int column, Severity severity, const std::string& message,
                         const std::string& rule);

inline std::filesystem::path fixtures_dir() { return FLOWRUN_FIXTURES_DIR; }

}  // namespace flowrun::flow::testing
