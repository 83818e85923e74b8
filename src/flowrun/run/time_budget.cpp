#include "flowrun/run/time_budget.h"

#include <algorithm>
#include <ctime>

namespace flowrun::run {

namespace {

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

TimeBudget compute_time_budget(std::chrono::seconds total, std::string source,
                               std::optional<std::string> job_started_at, std::chrono::system_clock::time_point now) {
  TimeBudget budget;
  budget.total = total;
  budget.source = std::move(source);
  std::chrono::seconds elapsed{0};
  // The job's clock started before flowrun did (image pull, clone): count that time too.
  if (job_started_at) {
    if (auto at = parse_started_at(*job_started_at); at && *at <= now) {
      elapsed = std::chrono::duration_cast<std::chrono::seconds>(now - *at);
    }
  }
  auto reserve = std::clamp(budget.total / 20, std::chrono::seconds(30), std::chrono::seconds(300));
  budget.reserve = std::min(reserve, budget.total / 2);
  auto left = budget.total - budget.reserve - elapsed;
  budget.commands = std::max(left, std::chrono::seconds(1));
  return budget;
}

}  // namespace flowrun::run
