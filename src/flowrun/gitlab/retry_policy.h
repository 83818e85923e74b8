#pragma once
// When a failed GitLab request is worth sending again, and how long to wait first.
#include <chrono>
#include <optional>
#include <string_view>

namespace flowrun::gitlab {

// HTTP statuses that say "try again later": 408, 429 and the 5xx a proxy or a busy GitLab answers with.
// 501 and 505 are permanent and not retried.
bool is_retryable_status(long status);

// Exponential backoff with jitter before retry number `retry` (1 for the first retry): initial * 2^(retry-1),
// capped at `cap`, then scaled into [half, full] by `jitter` in [0, 1] so that many jobs hitting the same
// busy instance do not retry in step.
std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds initial, std::chrono::milliseconds cap,
                                        double jitter);

// A Retry-After header value: delay-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT", measured
// from `now`; a date in the past means "now"). nullopt when it is neither.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now);

}  // namespace flowrun::gitlab
