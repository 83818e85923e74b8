#pragma once
// Percent-encoding for the parts of an API URL, by libcurl (curl_easy_escape): every byte outside
// [A-Za-z0-9-._~] is encoded. Internal.
#include <string>
#include <string_view>

namespace flowrun::gitlab::internal {

std::string url_escaped(std::string_view text);

}  // namespace flowrun::gitlab::internal
