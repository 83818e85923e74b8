#pragma once
// "Did you mean `commands`?" for an unknown key: the closest known key by edit distance, ignoring letter case,
// `_` and `-` (so `inject_gateway_token` finds `injectGatewayToken`).
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace flowrun::flow {

std::optional<std::string> suggest_key(std::string_view unknown, std::span<const std::string_view> known);

}  // namespace flowrun::flow
