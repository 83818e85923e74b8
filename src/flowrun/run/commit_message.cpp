#include "flowrun/run/commit_message.h"

#include <cctype>
#include <sstream>
#include <string_view>
#include <vector>

#include "flowrun/core/text.h"

namespace flowrun::run {

namespace {

// Lines whose only content was an empty placeholder ("Pipeline: " with no pipeline) are dropped, and so are runs of
// blank lines that leaves behind, so a local run's message has no dangling trailers.
std::string tidy(const std::string& message, const std::vector<std::string>& empty_trailers) {
  std::istringstream in(message);
  std::string line, out;
  bool previous_blank = true;
  while (std::getline(in, line)) {
    bool drop = false;
    for (const auto& trailer : empty_trailers) {
      if (text::trim(line) == text::trim(trailer)) drop = true;
    }
    if (drop) continue;
    bool blank = text::trim(line).empty();
    if (blank && previous_blank) continue;
    out += line + "\n";
    previous_blank = blank;
  }
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

}  // namespace

std::string render_commit_message(const std::string& template_text, const std::map<std::string, std::string>& values) {
  std::string out;
  std::vector<std::string> empty_trailers;
  for (std::size_t i = 0; i < template_text.size(); ++i) {
    char c = template_text[i];
    if (c == '{' && i + 1 < template_text.size() && template_text[i + 1] == '{') {
      out.push_back('{');
      ++i;
      continue;
    }
    if (c == '}' && i + 1 < template_text.size() && template_text[i + 1] == '}') {
      out.push_back('}');
      ++i;
      continue;
    }
    if (c == '{') {
      auto close = template_text.find('}', i + 1);
      if (close != std::string::npos) {
        std::string name = template_text.substr(i + 1, close - i - 1);
        auto it = values.find(name);
        if (it != values.end()) {
          if (it->second.empty()) {
            // Remember the line prefix that now ends with nothing, e.g. "Pipeline: ".
            auto line_start = out.rfind('\n');
            std::string prefix = out.substr(line_start == std::string::npos ? 0 : line_start + 1);
            if (!prefix.empty()) empty_trailers.push_back(prefix);
          }
          out += it->second;
          i = close;
          continue;
        }
      }
    }
    out.push_back(c);
  }
  return tidy(out, empty_trailers);
}

namespace {

// A trailer line: a token of letters, digits and '-', then ": ".
bool is_trailer_line(std::string_view line) {
  const std::size_t colon = line.find(": ");
  if (colon == std::string_view::npos || colon == 0) return false;
  for (char c : line.substr(0, colon)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

}  // namespace

std::string with_co_author(std::string message, const std::string& co_author) {
  if (co_author.empty()) return message;
  const std::string trailer = "Co-authored-by: " + co_author;
  if (message.find(trailer) != std::string::npos) return message;
  while (!message.empty() && message.back() == '\n') message.pop_back();
  // The last paragraph: trailers when every line of it is one (and it is not the subject line alone).
  const std::size_t blank = message.rfind("\n\n");
  bool ends_in_trailers = blank != std::string::npos;
  if (ends_in_trailers) {
    std::string_view last(message.data() + blank + 2, message.size() - blank - 2);
    std::size_t start = 0;
    while (start <= last.size() && ends_in_trailers) {
      std::size_t end = last.find('\n', start);
      if (end == std::string_view::npos) end = last.size();
      ends_in_trailers = is_trailer_line(last.substr(start, end - start));
      start = end + 1;
    }
  }
  return message + (ends_in_trailers ? "\n" : "\n\n") + trailer + "\n";
}

std::string task_summary(const std::string& input, std::size_t max_length) {
  std::string_view line;
  for (auto candidate : text::split_lines(input)) {
    if (!text::trim(candidate).empty()) {
      line = text::trim(candidate);
      break;
    }
  }
  // Drop the leading mention(s) of the agent's service account.
  while (!line.empty() && line.front() == '@') {
    auto space = line.find_first_of(" \t");
    if (space == std::string_view::npos) {
      line = {};
      break;
    }
    line = text::trim(line.substr(space));
  }
  std::string summary(line);
  if (summary.size() > max_length) {
    std::size_t cut = max_length;
    // Step back to a UTF-8 character boundary.
    while (cut > 0 && (static_cast<unsigned char>(summary[cut]) & 0xC0) == 0x80) --cut;
    summary = summary.substr(0, cut) + "…";
  }
  return summary;
}

}  // namespace flowrun::run
