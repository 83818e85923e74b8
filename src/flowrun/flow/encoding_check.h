#pragma once
// Is the flow file text at all? Catches binary files, UTF-16 and Latin-1 files, and control characters before
// the YAML parser sees them, pointing at the first bad byte.
#include <optional>
#include <string>
#include <string_view>

#include "flowrun/flow/diagnostic.h"

namespace flowrun::flow {

// A `file-encoding` error at the first byte that is not UTF-8 text YAML accepts, or nothing when all is well.
std::optional<Diagnostic> check_encoding(std::string_view text, const std::string& display_name);

}  // namespace flowrun::flow
