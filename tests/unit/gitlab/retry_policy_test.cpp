#include "flowrun/gitlab/retry_policy.h"

#include <gtest/gtest.h>

namespace flowrun::gitlab {
namespace {

using std::chrono::milliseconds;

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

}  // namespace
}  // namespace flowrun::gitlab
