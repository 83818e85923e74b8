#pragma once
// Text a person cannot see but a model reads: zero-width characters, bidirectional controls, Unicode tag characters
// and HTML comments (GitLab renders none of them). Removed from the copies of the request flowrun gives prompts;
// the request itself reaches the commands untouched.
#include <cstddef>
#include <string>
#include <string_view>

namespace flowrun {

struct VisibleText {
  std::string text;
  std::size_t hidden_characters = 0;  // code points removed
  std::size_t html_comments = 0;      // comments removed (an unclosed one runs to the end)
  bool changed() const { return hidden_characters > 0 || html_comments > 0; }
};

// True for U+00AD, U+061C, U+180E, U+200B..U+200F, U+202A..U+202E, U+2060..U+2064, U+2066..U+206F, U+FEFF and the
// tag characters U+E0000..U+E007F.
bool is_hidden_code_point(char32_t code_point);

// `text` without hidden code points and HTML comments. Bytes that are not UTF-8 are kept as they are.
VisibleText visible_text(std::string_view text);

}  // namespace flowrun
