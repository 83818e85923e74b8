#include "flowrun/run/time_budget.h"

#include <algorithm>
#include <charconv>
#include <ctime>

namespace flowrun::run {

namespace {

constexpr std::chrono::seconds kFlowJobTimeout{7200};

std::optional<long long> parse_seconds(const std::string& text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

// CI_JOB_STARTED_AT is RFC 3339 UTC, e.g. 2026-11-21T10:00:00Z.
std::optional<std::chrono::system_clock::time_point> parse_started_at(const std::string& text) {
  std::tm tm{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  char zone = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d%c", &year, &month, &day, &hour, &minute, &second, &zone) != 7 ||
      zone != 'Z') {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::time_t when = timegm(&tm);
  if (when == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(when);
}

}  // namespace

TimeBudget compute_time_budget(std::optional<std::chrono::seconds> flag, std::optional<long long> flow_setting,
                               const Environment& env, std::chrono::system_clock::time_point now, std::string& error) {
  TimeBudget budget;
  std::chrono::seconds elapsed{0};
  if (flag) {
    budget.total = *flag;
    budget.source = "--timeout";
  } else if (auto value = env.non_empty("FLOWRUN_TIMEOUT")) {
    if (auto seconds = parse_seconds(*value)) {
      budget.total = std::chrono::seconds(*seconds);
      budget.source = "FLOWRUN_TIMEOUT";
    } else {
      error = "FLOWRUN_TIMEOUT must be a positive number of seconds, not '" + *value + "'";
    }
  }
  if (budget.source.empty() && flow_setting) {
    budget.total = std::chrono::seconds(*flow_setting);
    budget.source = "flowrun.timeout";
  }
  if (budget.source.empty()) {
    if (auto value = env.non_empty("CI_JOB_TIMEOUT"); value && parse_seconds(*value)) {
      budget.total = std::chrono::seconds(*parse_seconds(*value));
      budget.source = "CI_JOB_TIMEOUT";
    } else {
      budget.total = kFlowJobTimeout;
      budget.source = "default";
    }
    // The job's clock started before flowrun did (image pull, clone): count that time too.
    if (auto started = env.non_empty("CI_JOB_STARTED_AT")) {
      if (auto at = parse_started_at(*started); at && *at <= now) {
        elapsed = std::chrono::duration_cast<std::chrono::seconds>(now - *at);
      }
    }
  }
  auto reserve = std::clamp(budget.total / 20, std::chrono::seconds(30), std::chrono::seconds(300));
  budget.reserve = std::min(reserve, budget.total / 2);
  auto left = budget.total - budget.reserve - elapsed;
  budget.commands = std::max(left, std::chrono::seconds(1));
  return budget;
}

}  // namespace flowrun::run
