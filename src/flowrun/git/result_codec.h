#pragma once
// A GitResult as text, to carry it from the isolated step (a child process) back to the run. Internal.
#include <optional>
#include <string>

#include "flowrun/git/git.h"

namespace flowrun::git::detail {

std::string encode_result(const GitResult& result);
// nullopt when `text` is not what encode_result wrote.
std::optional<GitResult> decode_result(const std::string& text);

}  // namespace flowrun::git::detail
