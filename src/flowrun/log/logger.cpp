#include "flowrun/log/logger.h"

#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <mutex>

#include "flowrun/log/sink.h"

namespace flowrun::log {

namespace {

constexpr std::string_view kYellow = "\x1b[1;33m";
constexpr std::string_view kRed = "\x1b[1;31m";
constexpr std::string_view kReset = "\x1b[0m";

Level from_spdlog(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return Level::debug;
    case spdlog::level::info:
      return Level::info;
    case spdlog::level::warn:
      return Level::warn;
    default:
      return Level::error;
  }
}

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::debug:
      return spdlog::level::debug;
    case Level::info:
      return spdlog::level::info;
    case Level::warn:
      return spdlog::level::warn;
    case Level::error:
      return spdlog::level::err;
    case Level::off:
      break;
  }
  return spdlog::level::off;
}

// Formats each message itself (spdlog's pattern adds nothing flowrun wants) and hands the line to the MaskedOutput,
// or to standard error before there is one.
class OutputSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // Taking the sink's lock means no message is being written to the old output when this returns.
  void set_output(MaskedOutput* output) {
    std::lock_guard<std::mutex> lock(mutex_);
    output_ = output;
  }
  void set_color(bool enabled) { color_ = enabled; }

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    const std::string line = format_message(from_spdlog(message.level),
                                            std::string_view(message.payload.data(), message.payload.size()), color_);
    if (output_ != nullptr) {
      output_->write_line(line);
    } else {
      stderr_.write(line + "\n");
    }
  }
  void flush_() override {}

 private:
  MaskedOutput* output_ = nullptr;
  std::atomic<bool> color_{false};
  FdSink stderr_{STDERR_FILENO};
};

struct Logger {
  std::shared_ptr<OutputSink> sink = std::make_shared<OutputSink>();
  spdlog::logger logger{"flowrun", sink};
  Logger() { logger.set_level(spdlog::level::info); }
};

// Never destroyed: a message logged from another static object's destructor must still find it.
Logger& instance() {
  static Logger& logger = *new Logger;
  return logger;
}

void log_at(spdlog::level::level_enum level, std::string_view message) {
  instance().logger.log(level, spdlog::string_view_t(message.data(), message.size()));
}

}  // namespace

std::string format_message(Level level, std::string_view message, bool color) {
  std::string_view word;
  std::string_view colour;
  switch (level) {
    case Level::debug:
      word = "debug";
      break;
    case Level::warn:
      word = "warning";
      colour = kYellow;
      break;
    case Level::error:
      word = "error";
      colour = kRed;
      break;
    case Level::info:
    case Level::off:
      break;
  }
  std::string line = "flowrun: ";
  if (!word.empty()) {
    if (color && !colour.empty()) {
      line += colour;
      line += word;
      line += kReset;
    } else {
      line += word;
    }
    line += ": ";
  }
  line += message;
  return line;
}

void debug(std::string_view message) { log_at(spdlog::level::debug, message); }
void info(std::string_view message) { log_at(spdlog::level::info, message); }
void warn(std::string_view message) { log_at(spdlog::level::warn, message); }
void error(std::string_view message) { log_at(spdlog::level::err, message); }

void set_output(MaskedOutput* output) { instance().sink->set_output(output); }
void set_level(Level level) { instance().logger.set_level(to_spdlog(level)); }
void set_color(bool enabled) { instance().sink->set_color(enabled); }

}  // namespace flowrun::log
