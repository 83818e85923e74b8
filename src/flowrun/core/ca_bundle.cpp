#include "flowrun/core/ca_bundle.h"

namespace flowrun {

std::string ca_file_for(const Environment& env, const std::filesystem::path& system_bundle,
                        const std::filesystem::path& executable) {
  if (auto own = env.non_empty("CI_SERVER_TLS_CA_FILE")) return *own;
  std::error_code error;
  if (std::filesystem::exists(system_bundle, error)) return "";
  const auto carried = executable.parent_path().parent_path() / "share/flowrun/ca-certificates.crt";
  return std::filesystem::exists(carried, error) ? carried.string() : "";
}

std::string ca_file_from_environment(const Environment& env) {
  std::error_code error;
  const auto executable = std::filesystem::canonical("/proc/self/exe", error);
  return ca_file_for(env, system_ca_bundle, error ? std::filesystem::path() : executable);
}

}  // namespace flowrun
