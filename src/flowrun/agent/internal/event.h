#pragma once
// Internal to flowrun_agent (included only by its .cpp files): the parsed event and safe field readers.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "flowrun/agent/event_stream.h"

namespace flowrun::agent {

struct EventStream::Event {
  const nlohmann::json& json;
};

namespace internal {

using nlohmann::json;

// object[key] when it is there, else a null value; safe on any value.
const json& field(const json& object, std::string_view key);
// object[key] as text ("" unless a string) and as numbers (nullopt unless a number).
std::string text_field(const json& object, std::string_view key);
std::optional<long long> integer_field(const json& object, std::string_view key);
std::optional<double> number_field(const json& object, std::string_view key);
// The first line of `text`, trimmed and cut to `max_bytes` on a character boundary ("…" when cut).
std::string one_line(std::string_view text, std::size_t max_bytes = 160);
// A tool call as a log line: "Edit src/main.cpp", "Bash: npm test". `input` holds the call's arguments.
std::string tool_line(std::string_view tool, const json& input);
// The path a file-writing tool call writes, or "" (tools that read, search or run commands).
std::string edited_path(std::string_view tool, const json& input);

}  // namespace internal
}  // namespace flowrun::agent
