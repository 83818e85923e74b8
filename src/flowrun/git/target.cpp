#include "flowrun/git/target.h"

#include <algorithm>
#include <cctype>

#include "flowrun/core/gitlab_environment.h"
#include "flowrun/core/text.h"

namespace flowrun::git {
namespace {

constexpr std::string_view kHeadsPrefix = "refs/heads/";
constexpr std::string_view kWorkloadsRefPrefix = "refs/workloads/";

bool is_forbidden_ref_char(unsigned char c) {
  return c < 0x20 || c == 0x7f || c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' || c == '*' || c == '[' ||
         c == '\\';
}

// One '/'-separated component of a ref name, as `git check-ref-format` requires it.
bool is_valid_component(std::string_view component) {
  if (component.empty() || component.front() == '.') return false;
  if (component.size() >= 5 && component.substr(component.size() - 5) == ".lock") return false;
  return true;
}

std::string_view strip_trailing_slashes(std::string_view text) {
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  return text;
}

struct UrlParts {
  std::string_view scheme;  // without "://"
  std::string_view host;    // without port and userinfo
};

std::optional<UrlParts> split_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {
    host = host.substr(1, host.find(']') == std::string_view::npos ? host.size() - 1 : host.find(']') - 1);
  } else if (const auto colon = host.find(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  return UrlParts{url.substr(0, scheme_end), host};
}

// NO_PROXY entries: "*", "host", ".domain" or "domain" (suffix match on a label boundary); ports are ignored.
bool no_proxy_matches(std::string_view no_proxy, std::string_view host) {
  const std::string lower_host = text::to_lower(host);
  std::size_t start = 0;
  while (start <= no_proxy.size()) {
    const auto end = std::min(no_proxy.find(',', start), no_proxy.size());
    std::string entry = text::to_lower(text::trim(no_proxy.substr(start, end - start)));
    start = end + 1;
    if (entry.empty()) continue;
    if (entry == "*") return true;
    if (const auto colon = entry.rfind(':');
        colon != std::string::npos && entry.find(']') == std::string::npos && entry.find(':') == colon) {
      entry.resize(colon);
    }
    if (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
    if (lower_host == entry) return true;
    if (lower_host.size() > entry.size() && lower_host.ends_with(entry) &&
        lower_host[lower_host.size() - entry.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

// A GitLab project path ("group/sub/project"): each segment letters, digits, '_', '-', '.', not starting with '-'
// or '.', so no "." or ".." segment, query, fragment or blank can redirect the push URL.
bool is_project_path(std::string_view path) {
  std::size_t start = 0;
  while (true) {
    const auto slash = path.find('/', start);
    const auto segment = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (segment.empty() || segment.front() == '-' || segment.front() == '.') return false;
    for (const char c : segment) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
    }
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

}  // namespace

bool is_valid_branch_name(std::string_view name) {
  if (name.empty() || name.front() == '-' || name == "HEAD") return false;
  if (name.back() == '.' || name.back() == '/' || name.front() == '/') return false;
  if (name.find("..") != std::string_view::npos || name.find("@{") != std::string_view::npos) return false;
  if (name == "@") return false;
  for (const char c : name) {
    if (is_forbidden_ref_char(static_cast<unsigned char>(c))) return false;
  }
  std::size_t start = 0;
  while (true) {
    const auto slash = name.find('/', start);
    if (!is_valid_component(name.substr(start, slash == std::string_view::npos ? slash : slash - start))) {
      return false;
    }
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

std::optional<std::string> branch_for_workload_ref(std::string_view ci_workload_ref) {
  std::string branch;
  if (ci_workload_ref.starts_with(kHeadsPrefix)) {
    branch = ci_workload_ref.substr(kHeadsPrefix.size());
  } else if (ci_workload_ref.starts_with(kWorkloadsRefPrefix)) {
    // Later GitLab versions hand an internal ref that is not a branch; push to a branch of the same name.
    branch = "workloads/" + std::string(ci_workload_ref.substr(kWorkloadsRefPrefix.size()));
  } else if (ci_workload_ref.starts_with("refs/")) {
    return std::nullopt;
  } else {
    branch = ci_workload_ref;
  }
  if (!is_valid_branch_name(branch)) return std::nullopt;
  // GitLab names workload refs with letters, digits and a few separators: anything else (';', '$', quotes...) is
  // not GitLab's and is refused rather than carried into a ref, a log line or a note.
  for (const char c : branch) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("-_./@+").find(c) == std::string_view::npos)
      return std::nullopt;
  }
  if (branch.find("/-") != std::string::npos) return std::nullopt;  // no component that reads as an option
  return branch;
}

std::string without_userinfo(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const auto authority_start = scheme_end + 3;
  const auto authority_end = std::min(url.find_first_of("/?#", authority_start), url.size());
  const auto at = url.substr(authority_start, authority_end - authority_start).rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, authority_start)) + std::string(url.substr(authority_start + at + 1));
}

std::optional<std::string> remote_url(const Environment& env, std::string_view override_url) {
  if (!text::trim(override_url).empty()) return without_userinfo(text::trim(override_url));

  std::string server = without_userinfo(strip_trailing_slashes(gitlab_environment::server_url(env).value_or("")));
  std::string project = gitlab_environment::project_path(env).value_or("");
  if (server.empty() || server.ends_with("://") || project.empty()) return std::nullopt;
  if (!is_project_path(project)) return std::nullopt;
  // The server's sub-path may not step out or cut the URL short (a query or fragment would drop the project path).
  const std::string server_path = "/" + server.substr(server.find("://") + 3) + "/";
  if (server_path.find_first_of("?#\\") != std::string::npos || server_path.find("/./") != std::string::npos ||
      server_path.find("/../") != std::string::npos) {
    return std::nullopt;
  }
  if (!project.ends_with(".git")) project += ".git";
  return server + "/" + project;
}

std::optional<std::string> proxy_for_url(const Environment& env, std::string_view url) {
  const auto parts = split_url(url);
  if (!parts) return std::nullopt;
  const std::string scheme = text::to_lower(parts->scheme);
  std::optional<std::pair<std::string, std::string>> proxy;
  if (scheme == "https") {
    proxy = env.first_non_empty({"HTTPS_PROXY", "https_proxy"});
  } else if (scheme == "http") {
    // Lower-case http_proxy first, as curl does (the upper-case one can be set by CGI servers).
    proxy = env.first_non_empty({"http_proxy", "HTTP_PROXY"});
  }
  if (!proxy) return std::nullopt;
  if (auto no_proxy = env.first_non_empty({"NO_PROXY", "no_proxy"});
      no_proxy && no_proxy_matches(no_proxy->second, parts->host)) {
    return std::nullopt;
  }
  return proxy->second;
}

}  // namespace flowrun::git
