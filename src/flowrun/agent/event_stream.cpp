#include "flowrun/agent/event_stream.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "flowrun/agent/internal/event.h"
#include "flowrun/agent/internal/stream_kinds.h"
#include "flowrun/core/text.h"

namespace flowrun::agent {

namespace internal {

const json& field(const json& object, std::string_view key) {
  static const json null_value;
  if (!object.is_object()) return null_value;
  auto it = object.find(key);
  return it == object.end() ? null_value : *it;
}

std::string text_field(const json& object, std::string_view key) {
  const json& value = field(object, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

std::optional<long long> integer_field(const json& object, std::string_view key) {
  const json& value = field(object, key);
  if (value.is_number_integer() || value.is_number_unsigned()) return value.get<long long>();
  if (value.is_number_float() && std::isfinite(value.get<double>())) return std::llround(value.get<double>());
  return std::nullopt;
}

std::optional<double> number_field(const json& object, std::string_view key) {
  const json& value = field(object, key);
  if (!value.is_number()) return std::nullopt;
  double number = value.get<double>();
  return std::isfinite(number) ? std::optional<double>(number) : std::nullopt;
}

std::string one_line(std::string_view text, std::size_t max_bytes) {
  std::string line(text::trim(text::first_line(text::trim(text))));
  if (line.size() <= max_bytes) return line;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return line.substr(0, cut) + "\u2026";
}

std::string edited_path(std::string_view tool, const json& input) {
  static const std::vector<std::string_view> writers = {"edit",    "write",      "multiedit", "notebookedit",
                                                        "replace", "write_file", "patch",     "apply_patch"};
  std::string name = text::to_lower(tool);
  if (std::find(writers.begin(), writers.end(), name) == writers.end()) return "";
  for (const char* key : {"file_path", "filePath", "path", "notebook_path"}) {
    if (auto path = text_field(input, key); !path.empty()) return path;
  }
  return "";
}

std::string tool_line(std::string_view tool, const json& input) {
  for (const char* key : {"file_path", "filePath", "notebook_path", "path", "pattern", "url", "query"}) {
    if (auto value = text_field(input, key); !value.empty()) return std::string(tool) + " " + one_line(value);
  }
  for (const char* key : {"command", "cmd", "description"}) {
    const json& value = field(input, key);
    if (value.is_string()) return std::string(tool) + ": " + one_line(value.get<std::string>());
    if (value.is_array()) {
      std::string joined;
      for (const json& part : value)
        if (part.is_string()) joined += (joined.empty() ? "" : " ") + part.get<std::string>();
      return std::string(tool) + ": " + one_line(joined);
    }
  }
  return std::string(tool);
}

}  // namespace internal

namespace {

std::string thousands(long long value) {
  std::string digits = std::to_string(value);
  for (int i = static_cast<int>(digits.size()) - 3; i > (value < 0 ? 1 : 0); i -= 3) digits.insert(i, ",");
  return digits;
}

}  // namespace

std::string usage_summary(const AgentUsage& usage) {
  std::vector<std::string> parts;
  if (!usage.model.empty()) parts.push_back(usage.model);
  if (usage.turns) parts.push_back(thousands(*usage.turns) + (*usage.turns == 1 ? " turn" : " turns"));
  if (usage.input_tokens || usage.output_tokens) {
    parts.push_back(thousands(usage.input_tokens.value_or(0)) + " in / " + thousands(usage.output_tokens.value_or(0)) +
                    " out tokens");
  }
  if (usage.cost_usd) {
    char cost[32];
    std::snprintf(cost, sizeof cost, "$%.4f", *usage.cost_usd);
    parts.push_back(cost);
  }
  if (usage.duration_seconds) parts.push_back(std::to_string(std::llround(*usage.duration_seconds)) + " s");
  std::string summary;
  for (const auto& part : parts) summary += (summary.empty() ? "" : " \u00B7 ") + part;
  return summary;
}

std::vector<std::string> EventStream::feed_line(std::string_view line) {
  std::vector<std::string> progress;
  std::string_view trimmed = text::trim(line);
  if (trimmed.empty()) return progress;
  auto parsed = nlohmann::json::parse(trimmed.begin(), trimmed.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    progress.emplace_back(line);
    return progress;
  }
  std::vector<std::string> lines;
  on_event(Event{parsed}, lines);
  for (auto& text : lines) progress.push_back("[" + result_.agent + "] " + text);
  return progress;
}

AgentResult EventStream::finish() {
  on_end();
  if (!result_.finished && result_.stopped_early.empty()) {
    result_.stopped_early = "its output ended before its final result (was it stopped?)";
  }
  return result_;
}

void EventStream::note_file_edited(const std::string& path) {
  if (path.empty()) return;
  if (std::find(result_.files_edited.begin(), result_.files_edited.end(), path) == result_.files_edited.end()) {
    result_.files_edited.push_back(path);
  }
}

const std::vector<std::string>& known_agents() {
  static const std::vector<std::string> agents = {"claude", "codex", "gemini", "opencode"};
  return agents;
}

std::unique_ptr<EventStream> make_event_stream(std::string_view agent) {
  if (agent == "claude") return internal::make_claude_stream();
  if (agent == "codex") return internal::make_codex_stream();
  if (agent == "gemini") return internal::make_gemini_stream();
  if (agent == "opencode") return internal::make_opencode_stream();
  return nullptr;
}

AgentResult read_event_text(std::string_view agent, std::string_view text) {
  auto stream = make_event_stream(agent);
  if (!stream) return {};
  for (std::string_view line : text::split_lines(text)) stream->feed_line(line);
  return stream->finish();
}

}  // namespace flowrun::agent
