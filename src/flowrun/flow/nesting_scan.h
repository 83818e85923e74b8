#pragma once
// A cheap look at how deeply a YAML text nests, before any parser recurses into it: `[[[[…` a hundred thousand
// levels deep must be an error message, not a stack overflow. Counts flow collections (`[`, `{`) and block
// collections (by indentation, `- ` items and `key:` lines); skips comments, quoted text and block scalars.
// Approximate by design: it must never let a deep document through, and real flow files nest a few levels.
#include <optional>
#include <string_view>

#include "flowrun/flow/source_map.h"

namespace flowrun::flow {

inline constexpr int max_nesting_depth = 64;

// Where the nesting first goes deeper than `max_depth`, or nothing.
std::optional<LineColumn> find_excessive_nesting(std::string_view text, int max_depth = max_nesting_depth);

}  // namespace flowrun::flow
