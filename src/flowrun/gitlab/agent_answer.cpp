#include "flowrun/gitlab/agent_answer.h"

#include <algorithm>

#include "flowrun/core/text.h"
#include "flowrun/gitlab/markdown.h"

namespace flowrun::gitlab {

namespace {

constexpr std::size_t kMaxTitleBytes = 255;
constexpr std::size_t kTitleWordsAtLeast = 3;

bool plain_url(std::string_view url) {
  if (!url.starts_with("https://") && !url.starts_with("http://")) return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == '(' || c == ')' || c == '<' || c == '>' || c == '"' || c == '`';
  });
}

// The message's start, cut on a line break when there is one near the limit, else on a character boundary.
std::string_view cut(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  if (auto newline = text.rfind('\n', max_bytes); newline != std::string_view::npos && newline > max_bytes / 2) {
    end = newline;
  }
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// "## Summary" / "**Done.**" / "- Fixed x" -> the words.
std::string_view without_markup(std::string_view line) {
  line = text::trim(line);
  while (!line.empty() && (line.front() == '#' || line.front() == '*' || line.front() == '-' || line.front() == '>' ||
                           line.front() == '_' || line.front() == '`')) {
    line = text::trim(line.substr(1));
  }
  while (!line.empty() && (line.back() == '*' || line.back() == '_' || line.back() == '`' || line.back() == ':')) {
    line = text::trim(line.substr(0, line.size() - 1));
  }
  return line;
}

// A title from the summary: its first line that says something (at least a few words).
std::string title_from(std::string_view message) {
  for (std::string_view line : text::split_lines(message)) {
    std::string_view words = without_markup(line);
    if (std::count(words.begin(), words.end(), ' ') + 1 < static_cast<long>(kTitleWordsAtLeast)) continue;
    return neutralize_single_line(words, kMaxTitleBytes);
  }
  return "";
}

bool plain_user_name(std::string_view name) {
  return !name.empty() && name.size() <= 255 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
  });
}

}  // namespace

std::string agent_message_markdown(std::string_view message, std::string_view job_url, std::size_t max_bytes) {
  std::string_view kept = cut(text::trim(message), max_bytes);
  std::string markdown = neutralize_untrusted(kept);
  if (kept.size() < text::trim(message).size()) {
    markdown += "\n\n\u2026 cut here; the whole message is in the ";
    markdown += plain_url(job_url) ? "[job log](" + std::string(job_url) + ")." : std::string("job log.");
  }
  return markdown;
}

MergeRequestText merge_request_text_from_answer(const MergeRequestText& fallback, std::string_view message,
                                                std::string_view requester, std::string_view server_url,
                                                std::string_view job_url, std::string_view stopped_early) {
  MergeRequestText text = fallback;
  if (!stopped_early.empty()) {
    text.description =
        "\u26A0\uFE0F The agent stopped early: " + neutralize_untrusted(text::first_line(stopped_early)) +
        ". Review these changes as partial work.\n\n" + text.description;
  }
  if (auto title = title_from(message); !title.empty()) text.title = title;
  if (plain_user_name(requester)) {
    std::string who = neutralize_single_line(requester, 255);
    std::string base(server_url);
    while (!base.empty() && base.back() == '/') base.pop_back();
    text.description += "\n\nRequested by " +
                        (plain_url(base) ? "[" + who + "](" + base + "/" + std::string(requester) + ")" : who) + ".";
  }
  if (!text::trim(message).empty()) {
    text.description +=
        "\n\n### What the agent says\n\n" + agent_message_markdown(message, job_url, 2 * kAgentMessageInNoteBytes);
  }
  return text;
}

}  // namespace flowrun::gitlab
