#pragma once
// RAII owners for libgit2 objects and the one-time library initialisation. Internal to the git module: only its
// .cpp files include this header, so git2.h stays out of everything else.
#include <git2.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

// libgit2 1.8 renamed LIBGIT2_VER_* to LIBGIT2_VERSION_* and keeps the old names only as deprecated: an #if on
// an undefined name would silently read 0.
#if defined(LIBGIT2_VERSION_MAJOR)
#define FLOWRUN_LIBGIT2_AT_LEAST(major, minor) \
  (LIBGIT2_VERSION_MAJOR > (major) || (LIBGIT2_VERSION_MAJOR == (major) && LIBGIT2_VERSION_MINOR >= (minor)))
#else
#define FLOWRUN_LIBGIT2_AT_LEAST(major, minor) \
  (LIBGIT2_VER_MAJOR > (major) || (LIBGIT2_VER_MAJOR == (major) && LIBGIT2_VER_MINOR >= (minor)))
#endif

namespace flowrun::git::detail {

template <typename T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const noexcept { Free(p); }
};

using RepositoryPtr = std::unique_ptr<git_repository, Freer<git_repository, git_repository_free>>;
using CommitPtr = std::unique_ptr<git_commit, Freer<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Freer<git_tree, git_tree_free>>;
using TreeEntryPtr = std::unique_ptr<git_tree_entry, Freer<git_tree_entry, git_tree_entry_free>>;
using IndexPtr = std::unique_ptr<git_index, Freer<git_index, git_index_free>>;
using StatusListPtr = std::unique_ptr<git_status_list, Freer<git_status_list, git_status_list_free>>;
using DiffPtr = std::unique_ptr<git_diff, Freer<git_diff, git_diff_free>>;
using PatchPtr = std::unique_ptr<git_patch, Freer<git_patch, git_patch_free>>;
using SignaturePtr = std::unique_ptr<git_signature, Freer<git_signature, git_signature_free>>;
using RemotePtr = std::unique_ptr<git_remote, Freer<git_remote, git_remote_free>>;
using ConfigPtr = std::unique_ptr<git_config, Freer<git_config, git_config_free>>;
using ReferencePtr = std::unique_ptr<git_reference, Freer<git_reference, git_reference_free>>;

// A git_buf that is always disposed.
class Buffer {
 public:
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() { git_buf_dispose(&buf_); }
  git_buf* get() { return &buf_; }
  std::string_view view() const { return buf_.ptr ? std::string_view(buf_.ptr, buf_.size) : std::string_view(); }

 private:
  git_buf buf_ = GIT_BUF_INIT;
};

// libgit2 keeps global state (TLS, allocators); it is initialised once for the life of the process and never shut
// down, so handles created anywhere stay valid.
void ensure_libgit2_initialised();

// The message of the last libgit2 error on this thread, or `fallback` when there is none.
std::string last_error_message(std::string_view fallback = "unknown libgit2 error");

// Thrown inside the module for an operation that cannot go on; caught at the public entry points and turned into
// a result with a message. Never carries a secret.
class GitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws GitError("<what>: <libgit2 message>") when `code` is negative.
void check(int code, std::string_view what);

std::string oid_hex(const git_oid& id);

// Whether the libgit2 loaded at run time is at least major.minor.
bool libgit2_at_least(int major, int minor);

}  // namespace flowrun::git::detail
