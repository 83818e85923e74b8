#pragma once
// The status channel between the session script and flowrun: a socket that is descriptor `status_fd` in bash
// and closed for every command, so neither a command's output nor its children can write to it.
//   script -> flowrun   "S <i>\n"  command i is about to start; the script then waits for the go-ahead
//   flowrun -> script   "\n"       go-ahead: all earlier output was handed on and on_command_start(i) was called
//   script -> flowrun   "F <i>\n"  command i finished with status 0
// A command that fails ends the shell (errexit), so it is the one that started and never finished.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace flowrun::exec::status {

inline constexpr char kStarted = 'S';
inline constexpr char kFinished = 'F';
inline constexpr std::string_view kGoAhead = "\n";

struct Event {
  enum class Kind { started, finished };
  Kind kind;
  std::size_t index;
  bool operator==(const Event&) const = default;
};

// Splits the channel's bytes into events. Lines that are not exactly "S <i>" or "F <i>" are dropped.
class Parser {
 public:
  std::vector<Event> feed(std::string_view bytes);

 private:
  std::string line_;
  bool overlong_ = false;  // the current line is already too long to be an event: skip to its end
};

}  // namespace flowrun::exec::status
