#include "flowrun/flow/encoding_check.h"

#include <cstdio>

#include "flowrun/core/text.h"
#include "flowrun/flow/source_map.h"

namespace flowrun::flow {
namespace {

constexpr const char* save_as_utf8 = "save the file as UTF-8 text";

// Length of the UTF-8 sequence a lead byte announces; 0 for a byte that cannot start one.
std::size_t sequence_length(unsigned char lead) {
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 0;
}

std::string hex_byte(unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", byte);
  return buffer;
}

Diagnostic encoding_error(std::string_view text, std::size_t offset, const std::string& display_name,
                          std::string message) {
  SourceMap map(text.substr(0, offset));
  LineColumn at = map.position_of(offset);
  return Diagnostic{{display_name, at.line, at.column}, Severity::error, std::move(message), "file-encoding"};
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace

std::optional<Diagnostic> check_encoding(std::string_view text, const std::string& display_name) {
  if (starts_with(text, std::string_view("\xFF\xFE", 2)) || starts_with(text, std::string_view("\xFE\xFF", 2)) ||
      starts_with(text, std::string_view("\x00\x00\xFE\xFF", 4))) {
    return encoding_error(text, 0, display_name,
                          std::string("the file is UTF-16 or UTF-32 encoded, not UTF-8: ") + save_as_utf8);
  }
  for (std::size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte == 0) {
      return encoding_error(
          text, i, display_name,
          std::string("NUL byte: this looks like a binary file, not a YAML flow file; ") + save_as_utf8);
    }
    if (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') {
      return encoding_error(text, i, display_name,
                            "control character " + hex_byte(byte) + " is not allowed in YAML: remove it");
    }
    if (byte == 0x7F) {
      return encoding_error(text, i, display_name, "control character 0x7F (DEL) is not allowed in YAML: remove it");
    }
    if (byte < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = sequence_length(byte);
    if (length == 0 || i + length > text.size() || !text::is_valid_utf8(text.substr(i, length))) {
      return encoding_error(
          text, i, display_name,
          "byte " + hex_byte(byte) + " is not valid UTF-8 (is the file Latin-1 or Windows-1252?): " + save_as_utf8);
    }
    i += length;
  }
  return std::nullopt;
}

}  // namespace flowrun::flow
