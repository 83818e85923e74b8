#include "flowrun/gitlab/retry_policy.h"

#include <algorithm>

namespace flowrun::gitlab {

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

}  // namespace flowrun::gitlab
