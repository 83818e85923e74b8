#pragma once
// The definition of masking, written the slow and obvious way: at each position of the whole input take the longest
// match (a secret, a token, a query parameter value), replace it by [MASKED] and go on after it. The masker and its
// stream must produce exactly these bytes.
#include <string>
#include <string_view>
#include <vector>

namespace flowrun::log::testing {

std::string reference_mask(std::string_view text, const std::vector<std::string>& secrets);

}  // namespace flowrun::log::testing
