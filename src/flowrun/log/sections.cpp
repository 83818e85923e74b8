#include "flowrun/log/sections.h"

namespace flowrun::log {

namespace {

constexpr std::string_view kEraseLine = "\x1b[0K";

std::string unix_seconds(std::chrono::system_clock::time_point when) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count());
}

bool allowed_in_name(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

}  // namespace

std::string section_name(std::string_view name) {
  if (name.empty()) return "section";
  std::string out(name);
  for (char& c : out) {
    if (!allowed_in_name(c)) c = '_';
  }
  return out;
}

std::string section_start(std::string_view name, std::string_view header, bool collapsed,
                          std::chrono::system_clock::time_point when) {
  std::string out(kEraseLine);
  out += "section_start:";
  out += unix_seconds(when);
  out += ':';
  out += section_name(name);
  if (collapsed) out += "[collapsed=true]";
  out += '\r';
  out += kEraseLine;
  for (char c : header) out += (c == '\n' || c == '\r') ? ' ' : c;
  out += '\n';
  return out;
}

std::string section_start(std::string_view name, std::string_view header, bool collapsed) {
  return section_start(name, header, collapsed, std::chrono::system_clock::now());
}

std::string section_end(std::string_view name, std::chrono::system_clock::time_point when) {
  std::string out(kEraseLine);
  out += "section_end:";
  out += unix_seconds(when);
  out += ':';
  out += section_name(name);
  out += '\r';
  out += kEraseLine;
  out += '\n';
  return out;
}

std::string section_end(std::string_view name) { return section_end(name, std::chrono::system_clock::now()); }

}  // namespace flowrun::log
