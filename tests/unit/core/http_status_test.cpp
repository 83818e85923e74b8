#include "flowrun/core/http_status.h"

#include <gtest/gtest.h>

namespace flowrun::core {
namespace {

TEST(HttpStatus, RetryableAnswers) {
  for (long status : {408L, 429L, 500L, 502L, 503L, 504L, 599L}) {
    EXPECT_TRUE(is_retryable_http_status(status)) << status;
  }
  for (long status : {0L, 200L, 201L, 302L, 400L, 401L, 403L, 404L, 409L, 422L, 501L, 505L, 600L}) {
    EXPECT_FALSE(is_retryable_http_status(status)) << status;
  }
}

}  // namespace
}  // namespace flowrun::core
