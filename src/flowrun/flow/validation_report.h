#pragma once
// The findings of `flowrun validate` written out: text lines for people, JSON for programs, and GitLab's Code
// Quality report (a JSON array GitLab shows in merge requests).
#include <cstddef>
#include <string>
#include <vector>

#include "flowrun/flow/validation.h"

namespace flowrun::flow {

struct ValidationSummary {
  std::size_t files = 0;
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t infos = 0;
};

ValidationSummary summarize(const std::vector<FileReport>& reports);

// Removes the info findings (`--quiet`).
void drop_info(std::vector<FileReport>& reports);

// One `file:line:col: severity: message [rule]` line per finding; the severity in ANSI colour when `color`.
std::string render_text(const std::vector<FileReport>& reports, bool color);

// `3 files checked: 1 error, 2 warnings, 1 info`
std::string summary_line(const ValidationSummary& summary);

// {"files":[{"path":...,"diagnostics":[{"line","column","severity","message","rule"}]}],"summary":{...}}
std::string render_json(const std::vector<FileReport>& reports);

// GitLab Code Quality: [{description, check_name, fingerprint, severity, location:{path, lines:{begin}}}].
// Paths are relative to the repository root when the file is inside a git repository, as GitLab expects.
std::string render_codequality(const std::vector<FileReport>& reports);

}  // namespace flowrun::flow
