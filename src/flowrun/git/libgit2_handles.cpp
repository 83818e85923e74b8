#include "flowrun/git/libgit2_handles.h"

#include <mutex>

namespace flowrun::git::detail {

void ensure_libgit2_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

std::string last_error_message(std::string_view fallback) {
  const git_error* error = git_error_last();
  if (error == nullptr || error->message == nullptr || error->message[0] == '\0') return std::string(fallback);
  return error->message;
}

void check(int code, std::string_view what) {
  if (code < 0) throw GitError(std::string(what) + ": " + last_error_message());
}

std::string oid_hex(const git_oid& id) {
  char hex[80] = {};  // room for SHA-256 ids as well
  git_oid_tostr(hex, sizeof hex, &id);
  return hex;
}

bool libgit2_at_least(int major, int minor) {
  int loaded_major = 0, loaded_minor = 0, loaded_revision = 0;
  git_libgit2_version(&loaded_major, &loaded_minor, &loaded_revision);
  return loaded_major > major || (loaded_major == major && loaded_minor >= minor);
}

}  // namespace flowrun::git::detail
