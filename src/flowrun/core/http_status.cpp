#include "flowrun/core/http_status.h"

namespace flowrun::core {

bool is_retryable_http_status(long status) {
  if (status == 408 || status == 429) return true;
  return status >= 500 && status <= 599 && status != 501 && status != 505;
}

}  // namespace flowrun::core
