#pragma once
// Small text helpers shared by every module.
#include <string>
#include <string_view>
#include <vector>

namespace flowrun::text {

// True when the bytes are well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view bytes);
// Splits on '\n'; a trailing newline does not produce an empty last line.
std::vector<std::string_view> split_lines(std::string_view text);
std::string_view first_line(std::string_view text);
std::string_view trim(std::string_view text);
// The items of a comma-separated list, each trimmed; empty items are left out ("a, b,,c" -> a, b, c).
std::vector<std::string> split_comma_list(std::string_view text);
// Go's strings.TrimSpace, which GitLab Runner applies to every command of a job: Unicode white space at both ends.
std::string_view trim_go_space(std::string_view text);
bool starts_with_icase(std::string_view text, std::string_view prefix);
std::string to_lower(std::string_view text);
// Percent-encoding of every byte outside [A-Za-z0-9-._~], as in a URL path segment or form value.
std::string url_encode(std::string_view text);
// Edit distance, for "did you mean" suggestions.
std::size_t levenshtein(std::string_view a, std::string_view b);

}  // namespace flowrun::text
