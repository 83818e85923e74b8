#pragma once
// Owns one file descriptor and closes it; used by the process helpers. flowrun's own.
#include "flowrun/core/unique_fd.h"

namespace flowrun::testing {

using core::UniqueFd;

}  // namespace flowrun::testing
