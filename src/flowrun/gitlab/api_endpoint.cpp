#include "flowrun/gitlab/api_endpoint.h"

#include "flowrun/core/environment.h"
#include "flowrun/core/gitlab_environment.h"
#include "flowrun/core/text.h"

namespace flowrun::gitlab {

namespace {

constexpr std::string_view kApiSuffix = "/api/v4";

bool has_unsafe_character(std::string_view text) {
  for (unsigned char c : text) {
    if (c <= ' ' || c == 0x7F) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> normalize_api_url(std::string_view host_or_url) {
  std::string_view value = text::trim(host_or_url);
  if (value.empty() || has_unsafe_character(value)) return std::nullopt;

  std::string scheme = "https";
  if (auto scheme_end = value.find("://"); scheme_end != std::string_view::npos) {
    scheme = text::to_lower(value.substr(0, scheme_end));
    if (scheme != "https" && scheme != "http") return std::nullopt;
    value.remove_prefix(scheme_end + 3);
  }
  while (!value.empty() && value.back() == '/') value.remove_suffix(1);
  // The authority: a host, optionally ":port" (digits only, so "https:" or "user:pass@host" are refused).
  const std::string_view authority = value.substr(0, value.find('/'));
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    const bool ipv6 = authority.front() == '[' && authority.back() == ']';
    if (!ipv6 && (colon == 0 || port.empty() || port.find_first_not_of("0123456789") != std::string_view::npos))
      return std::nullopt;
  }
  // The path is the server's sub-path: a query, a fragment or a "." / ".." segment would make the API calls go
  // somewhere else than <url>/api/v4/...
  const std::string_view path = value.substr(authority.size());
  if (value.find_first_of("?#\\") != std::string_view::npos || path.find('%') != std::string_view::npos)
    return std::nullopt;
  if (("/" + std::string(path) + "/").find("/./") != std::string::npos ||
      ("/" + std::string(path) + "/").find("/../") != std::string::npos) {
    return std::nullopt;
  }
  std::string url = scheme + "://" + std::string(value);
  if (!url.ends_with(kApiSuffix)) url += kApiSuffix;
  return url;
}

std::optional<std::string> api_base_url(const Environment& env, std::string_view override_url) {
  if (!text::trim(override_url).empty()) return normalize_api_url(override_url);
  if (auto api = env.non_empty("CI_API_V4_URL")) return normalize_api_url(*api);
  if (auto server = gitlab_environment::server_url(env)) return normalize_api_url(*server);
  return std::nullopt;
}

std::string web_base_url(std::string_view api_base) {
  while (!api_base.empty() && api_base.back() == '/') api_base.remove_suffix(1);
  if (api_base.ends_with(kApiSuffix)) api_base.remove_suffix(kApiSuffix.size());
  return std::string(api_base);
}

}  // namespace flowrun::gitlab
