#pragma once
// The session's owned descriptors are core's.
#include "flowrun/core/unique_fd.h"

namespace flowrun::exec {

using core::UniqueFd;

}  // namespace flowrun::exec
