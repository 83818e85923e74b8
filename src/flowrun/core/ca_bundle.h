#pragma once
// Which CA bundle HTTPS (the GitLab API and the push) verifies servers with. A self-managed instance's own CA comes
// from CI_SERVER_TLS_CA_FILE. Otherwise the system's CAs, unless the system has none: slim images (node:22-slim)
// carry no ca-certificates, and the release bundle then brings its own, share/flowrun/ca-certificates.crt beside
// bin/flowrun.
#include <filesystem>
#include <string>

#include "flowrun/core/environment.h"

namespace flowrun {

// Where Debian and Ubuntu keep the system's CA bundle (what the carried libcurl and OpenSSL read by default).
inline constexpr const char* system_ca_bundle = "/etc/ssl/certs/ca-certificates.crt";

// The CA file to use, or "" for the system's own. `executable` is flowrun's own path (/proc/self/exe).
std::string ca_file_for(const Environment& env, const std::filesystem::path& system_bundle,
                        const std::filesystem::path& executable);

// The same for this process: the real system bundle and the running binary.
std::string ca_file_from_environment(const Environment& env);

}  // namespace flowrun
