#pragma once
// A stable 128-bit hash as 32 hex digits, for the `fingerprint` of a GitLab Code Quality finding. Not
// cryptographic: GitLab only needs the same finding to get the same fingerprint from one pipeline to the next.
#include <string>
#include <string_view>

namespace flowrun::flow {

std::string fingerprint_hex(std::string_view data);

}  // namespace flowrun::flow
