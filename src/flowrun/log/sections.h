#pragma once
// GitLab's collapsible job log sections: the job log viewer folds the lines between a start and an end marker
// under the header. The markers are erased on a terminal (ESC[0K clears the line, CR returns to its start), so the
// same bytes read well in both places.
#include <chrono>
#include <string>
#include <string_view>

namespace flowrun::log {

// The name with every byte outside [A-Za-z0-9_.-] replaced by `_` (GitLab ignores markers with other names);
// "section" when empty.
std::string section_name(std::string_view name);

// `\e[0Ksection_start:<unix seconds>:<name>[collapsed=true]\r\e[0K<header>\n`. The header is one line: line breaks in
// it become spaces.
std::string section_start(std::string_view name, std::string_view header, bool collapsed,
                          std::chrono::system_clock::time_point when);
std::string section_start(std::string_view name, std::string_view header, bool collapsed = false);

// `\e[0Ksection_end:<unix seconds>:<name>\r\e[0K\n`
std::string section_end(std::string_view name, std::chrono::system_clock::time_point when);
std::string section_end(std::string_view name);

}  // namespace flowrun::log
