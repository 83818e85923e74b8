#pragma once
// flowrun's own messages: `flowrun: <message>`, `flowrun: warning: <message>`, `flowrun: error: <message>`, written
// through the MaskedOutput so they are masked and appear in the terminal and the log file in order with the commands'
// output. Before set_output() (and after set_output(nullptr)) they go to standard error unmasked: nothing secret is
// known then. Safe to call from any thread.
#include <string>
#include <string_view>

namespace flowrun::log {

class MaskedOutput;

enum class Level { debug, info, warn, error, off };

void debug(std::string_view message);
void info(std::string_view message);
void warn(std::string_view message);
void error(std::string_view message);

// The output stays in use until set_output() is called again (with another output or nullptr).
void set_output(MaskedOutput* output);
// Messages below the level are dropped; info by default.
void set_level(Level level);
// Colours the level word (warning yellow, error red); off by default.
void set_color(bool enabled);

// The line a message becomes, without the newline.
std::string format_message(Level level, std::string_view message, bool color);

}  // namespace flowrun::log
