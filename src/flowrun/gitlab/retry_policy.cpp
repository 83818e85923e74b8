#include "flowrun/gitlab/retry_policy.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <string>

#include "flowrun/core/text.h"

namespace flowrun::gitlab {

bool is_retryable_status(long status) {
  if (status == 408 || status == 429) return true;
  return status >= 500 && status <= 599 && status != 501 && status != 505;
}

std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds initial, std::chrono::milliseconds cap,
                                        double jitter) {
  using std::chrono::milliseconds;
  if (retry < 1) retry = 1;
  milliseconds delay = initial;
  for (int i = 1; i < retry && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  jitter = std::clamp(jitter, 0.0, 1.0);
  const auto half = delay.count() / 2;
  return milliseconds(half + static_cast<long long>(static_cast<double>(delay.count() - half) * jitter));
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now) {
  value = text::trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    long long seconds = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc() || end != value.data() + value.size()) return std::chrono::hours(24);  // absurdly large
    return std::chrono::seconds(std::min<long long>(seconds, 24 * 3600));
  }
  const std::string date(value);
  const time_t when = curl_getdate(date.c_str(), nullptr);
  if (when == static_cast<time_t>(-1)) return std::nullopt;
  const auto delay = std::chrono::system_clock::from_time_t(when) - now;
  return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(delay));
}

}  // namespace flowrun::gitlab
