#include "flowrun/exec/status_channel.h"

#include <optional>

namespace flowrun::exec::status {
namespace {

constexpr std::size_t kMaxLine = 24;  // "S " and an index of up to 20 digits, with room to spare

std::optional<Event> parse_line(std::string_view line) {
  if (line.size() < 3 || line[1] != ' ') return std::nullopt;
  Event event{};
  if (line[0] == kStarted) {
    event.kind = Event::Kind::started;
  } else if (line[0] == kFinished) {
    event.kind = Event::Kind::finished;
  } else {
    return std::nullopt;
  }
  std::string_view digits = line.substr(2);
  if (digits.size() > 18) return std::nullopt;
  std::size_t index = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  event.index = index;
  return event;
}

}  // namespace

std::vector<Event> Parser::feed(std::string_view bytes) {
  std::vector<Event> events;
  for (char c : bytes) {
    if (c == '\n') {
      if (!overlong_) {
        if (auto event = parse_line(line_)) events.push_back(*event);
      }
      line_.clear();
      overlong_ = false;
    } else if (!overlong_) {
      line_.push_back(c);
      if (line_.size() > kMaxLine) {
        overlong_ = true;
        line_.clear();
      }
    }
  }
  return events;
}

}  // namespace flowrun::exec::status
