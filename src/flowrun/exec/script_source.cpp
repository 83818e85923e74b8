#include "flowrun/exec/script_source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace flowrun::exec {
namespace {

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  return ::lseek(fd, 0, SEEK_SET) == 0;
}

std::string errno_text() { return std::strerror(errno); }

}  // namespace

ScriptSource make_script_source(std::string_view text) {
  ScriptSource source;
  UniqueFd memfd(::memfd_create("flowrun-session-script", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (memfd) {
    if (!write_all(memfd.get(), text)) {
      source.error = "cannot write the session script to memory: " + errno_text();
      return source;
    }
    // Sealed, so nothing the commands do (e.g. through /proc/<bash>/fd) can change the commands still to come.
    ::fcntl(memfd.get(), F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
    source.fd = std::move(memfd);
    return source;
  }
  const std::string memfd_error = errno_text();
  UniqueFd file(::open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
  if (!file) {
    source.error = "cannot create the session script: memfd_create failed (" + memfd_error +
                   ") and so did an unnamed file in /tmp (" + errno_text() + "); make /tmp writable";
    return source;
  }
  if (!write_all(file.get(), text)) {
    source.error = "cannot write the session script to /tmp: " + errno_text();
    return source;
  }
  source.fd = std::move(file);
  return source;
}

}  // namespace flowrun::exec
