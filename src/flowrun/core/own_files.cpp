#include "flowrun/core/own_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace flowrun {

std::string ensure_own_folder(const std::filesystem::path& folder) {
  struct stat info {};
  if (::lstat(folder.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) {
      if (info.st_uid != ::geteuid()) return folder.string() + " belongs to another user";
      return "";
    }
    if (::unlink(folder.c_str()) != 0) return "cannot remove what stands in place of " + folder.string();
  }
  std::error_code ec;
  if (folder.has_parent_path() && folder.parent_path() != folder) {
    std::filesystem::create_directories(folder.parent_path(), ec);
  }
  if (::mkdir(folder.c_str(), 0755) != 0 && errno != EEXIST) {
    return "cannot create " + folder.string() + ": " + std::strerror(errno);
  }
  if (::lstat(folder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) return folder.string() + " is not a folder";
  return "";
}

std::string write_own_file(const std::filesystem::path& path, std::string_view content) {
  if (auto error = ensure_own_folder(path.parent_path()); !error.empty()) return error;
  const std::filesystem::path partial = path.string() + ".partial-" + std::to_string(::getpid());
  ::unlink(partial.c_str());
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot create " + partial.string() + ": " + std::strerror(errno);
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (written != content.size() || ::rename(partial.c_str(), path.c_str()) != 0) {
    ::unlink(partial.c_str());
    return "cannot write " + path.string() + ": " + std::strerror(errno);
  }
  return "";
}

}  // namespace flowrun
