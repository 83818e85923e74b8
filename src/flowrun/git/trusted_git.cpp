#include "flowrun/git/trusted_git.h"

#include <sys/stat.h>

namespace flowrun::git::detail {
namespace {

bool root_owned_not_shared(const std::filesystem::path& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && info.st_uid == 0 && (info.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

}  // namespace

std::optional<std::filesystem::path> trusted_git() {
  for (const char* candidate : {"/usr/bin/git", "/bin/git"}) {
    std::error_code ec;
    const auto real = std::filesystem::canonical(candidate, ec);
    if (ec || !std::filesystem::is_regular_file(real, ec)) continue;
    if (root_owned_not_shared(real) && root_owned_not_shared(real.parent_path())) return real;
  }
  return std::nullopt;
}

}  // namespace flowrun::git::detail
