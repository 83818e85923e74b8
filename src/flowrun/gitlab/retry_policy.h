#pragma once
// How long to wait before sending a failed GitLab request again. Which answers are worth another try is
// core/http_status.h; the answer's Retry-After is read by libcurl (CURLINFO_RETRY_AFTER).
#include <chrono>

namespace flowrun::gitlab {

// Exponential backoff with jitter before retry number `retry` (1 for the first retry): initial * 2^(retry-1),
// capped at `cap`, then scaled into [half, full] by `jitter` in [0, 1] so that many jobs hitting the same
// busy instance do not retry in step.
std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds initial, std::chrono::milliseconds cap,
                                        double jitter);

}  // namespace flowrun::gitlab
