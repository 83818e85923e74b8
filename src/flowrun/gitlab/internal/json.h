#pragma once
// Internal to flowrun_gitlab (included only by its .cpp files): nlohmann/json helpers that never throw.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace flowrun::gitlab::internal {

// The parsed document, or nullopt when `text` is not JSON or nests deeper than 256 levels (the parser recurses,
// and an attacker-sized nesting would exhaust the stack).
std::optional<nlohmann::json> parse_json(std::string_view text);

// JSON text for a request body. Invalid UTF-8 in strings becomes U+FFFD instead of an exception.
std::string dump(const nlohmann::json& value);

// A scalar as text: strings as they are, numbers and booleans printed, null and containers empty.
std::string to_text(const nlohmann::json& value);

// object[key] as a string ("" when missing or not a scalar) and as an integer (numbers and digit strings; nullopt
// otherwise). Safe on any value, including non-objects.
std::string string_field(const nlohmann::json& object, std::string_view key);
std::optional<long long> integer_field(const nlohmann::json& object, std::string_view key);

}  // namespace flowrun::gitlab::internal
