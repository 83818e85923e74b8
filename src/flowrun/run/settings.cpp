#include "flowrun/run/settings.h"

namespace flowrun::run {

std::optional<MergeRequestMode> parse_merge_request_mode(std::string_view text) {
  if (text == "auto") return MergeRequestMode::automatic;
  if (text == "always") return MergeRequestMode::always;
  if (text == "never") return MergeRequestMode::never;
  return std::nullopt;
}

}  // namespace flowrun::run
