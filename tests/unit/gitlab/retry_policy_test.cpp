#include "flowrun/gitlab/retry_policy.h"

#include <gtest/gtest.h>

namespace flowrun::gitlab {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicy, RetryableStatuses) {
  for (long status : {408L, 429L, 500L, 502L, 503L, 504L}) EXPECT_TRUE(is_retryable_status(status)) << status;
  for (long status : {200L, 201L, 400L, 401L, 403L, 404L, 409L, 422L, 501L, 505L}) {
    EXPECT_FALSE(is_retryable_status(status)) << status;
  }
}

TEST(RetryPolicy, BackoffDoublesUpToTheCapWithJitterInTheUpperHalf) {
  const milliseconds initial(500), cap(8000);
  EXPECT_EQ(backoff_delay(1, initial, cap, 1.0), milliseconds(500));
  EXPECT_EQ(backoff_delay(2, initial, cap, 1.0), milliseconds(1000));
  EXPECT_EQ(backoff_delay(3, initial, cap, 1.0), milliseconds(2000));
  EXPECT_EQ(backoff_delay(10, initial, cap, 1.0), milliseconds(8000));
  EXPECT_EQ(backoff_delay(40, initial, cap, 1.0), milliseconds(8000));
  EXPECT_EQ(backoff_delay(3, initial, cap, 0.0), milliseconds(1000));
  EXPECT_EQ(backoff_delay(3, initial, cap, 0.5), milliseconds(1500));
  EXPECT_EQ(backoff_delay(0, initial, cap, 1.0), milliseconds(500));
}

TEST(RetryPolicy, RetryAfterInSeconds) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(parse_retry_after("0", now), milliseconds(0));
  EXPECT_EQ(parse_retry_after(" 7 ", now), milliseconds(7000));
  EXPECT_EQ(parse_retry_after("99999999999999999999999", now), milliseconds(24 * 3600 * 1000));
  EXPECT_FALSE(parse_retry_after("", now));
  EXPECT_FALSE(parse_retry_after("-3", now));
  EXPECT_FALSE(parse_retry_after("soon", now));
}

TEST(RetryPolicy, RetryAfterAsHttpDate) {
  const auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), milliseconds(30000));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), milliseconds(0));
}

}  // namespace
}  // namespace flowrun::gitlab
