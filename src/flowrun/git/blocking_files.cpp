#include "flowrun/git/blocking_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace flowrun::git::detail {
namespace {

bool names_a_fifo(const std::filesystem::path& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISFIFO(info.st_mode);
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r");
  std::string value = text.substr(first, last - first + 1);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  return value;
}

// `path = ...` lines of [include] and [includeIf "..."] sections, resolved as git does (relative to the file, ~/).
void add_included_fifos(const std::filesystem::path& config, std::vector<std::filesystem::path>& fifos) {
  struct stat info {};
  if (::lstat(config.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return;
  std::ifstream in(config);
  std::string line;
  bool in_include = false;
  while (std::getline(in, line)) {
    const std::string text = trimmed(line);
    if (text.starts_with('[')) {
      in_include = text.starts_with("[include");
      continue;
    }
    if (!in_include) continue;
    const auto equals = text.find('=');
    if (equals == std::string::npos || trimmed(text.substr(0, equals)) != "path") continue;
    std::string target = trimmed(text.substr(equals + 1));
    std::filesystem::path resolved;
    if (target.starts_with("~/")) {
      const char* home = std::getenv("HOME");
      resolved = std::filesystem::path(home ? home : "/") / target.substr(2);
    } else {
      resolved = config.parent_path() / target;
    }
    if (names_a_fifo(resolved)) fifos.push_back(resolved);
  }
}

}  // namespace

std::vector<std::filesystem::path> find_fifos(const std::filesystem::path& top, const std::filesystem::path& git_dir) {
  std::vector<std::filesystem::path> fifos;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(
           top, std::filesystem::directory_options::skip_permission_denied, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const auto type = it->symlink_status(ec).type();
    if (type == std::filesystem::file_type::fifo) {
      fifos.push_back(it->path());
    } else if (type == std::filesystem::file_type::symlink && names_a_fifo(it->path())) {
      fifos.push_back(it->path());
    }
  }
  add_included_fifos(git_dir / "config", fifos);
  return fifos;
}

void release_fifo_readers(const std::vector<std::filesystem::path>& fifos) {
  for (const auto& fifo : fifos) {
    // ENXIO when nobody reads it right now: nothing to release.
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) ::close(fd);
  }
}

}  // namespace flowrun::git::detail
