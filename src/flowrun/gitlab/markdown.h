#pragma once
// Putting text flowrun does not control (agent output, command lines, file and branch names, issue titles) into a
// GitLab note without letting it act: no quick action (/merge, /approve), no notification (@all, @someone), no HTML
// or Markdown that escapes the note's structure (<details>, -->, code fences).
#include <string>
#include <string_view>
#include <vector>

namespace flowrun::gitlab {

// Text to place in a note outside code, rendered as the same visible characters:
//  - '/' starting a line (after blanks) is escaped, so no quick action runs;
//  - '@' gets a zero-width joiner after it, so no mention notifies (a person still reads "@all");
//  - '<', '>' and '&' become entities, so no HTML element or comment (<details>, <!--, -->) is opened or closed;
//  - Markdown punctuation (\ ` * _ [ ] | ~ # ! % $ and a leading - + =) is backslash-escaped, so nothing becomes a
//    code fence, link, table, heading or reference (#12, !3, ~label, %milestone) that GitLab would act on;
//  - leading blanks are dropped (no indented code), CR and other control characters and ANSI colour sequences are
//    removed, and bytes that are not UTF-8 become U+FFFD. Line breaks are kept.
std::string neutralize_untrusted(std::string_view text);

// One line of plain text, e.g. a merge request title: line breaks and runs of blanks become one space, mentions and a
// leading '/' are defused as above (no Markdown escaping: titles are shown raw in many places), and the result is cut
// to at most `max_bytes` bytes on a character boundary, ending in "…" when cut.
std::string neutralize_single_line(std::string_view text, std::size_t max_bytes);

// An inline code span holding `text` (on one line) that no backtick inside can close.
std::string inline_code(std::string_view text);

// A fenced code block of `lines`, with a fence longer than any backtick run inside, so no line can close it early.
// Control characters and ANSI sequences are removed, invalid UTF-8 replaced, and lines longer than `max_line_bytes`
// cut with "…". Ends with a newline. Lines are also defused (a leading '/' and every '@'; see markdown.cpp) unless
// `verbatim`, which is for text whose lines cannot start a quick action and must stay byte-exact, such as a patch.
std::string code_block(const std::vector<std::string>& lines, std::string_view info = "text",
                       std::size_t max_line_bytes = 1000, bool verbatim = false);

// A file name as a reader must see it: characters that hide or reorder what is shown (controls, bidirectional
// overrides and isolates such as U+202E, zero-width characters) become visible escapes (\u202E, \x1B), and bytes
// that are not UTF-8 become \xNN. Everything else is kept.
std::string visible_file_name(std::string_view name);

// Text with ANSI escape sequences, CR and control characters other than '\n' and '\t' removed, and invalid UTF-8
// replaced by U+FFFD.
std::string printable_text(std::string_view text);

}  // namespace flowrun::gitlab
