#include "flowrun/git/push_check_diff.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <optional>

#include "flowrun/core/own_files.h"
#include "flowrun/core/text.h"
#include "flowrun/git/exclusions.h"

namespace flowrun::git::detail {
namespace {

// Enough to say what is wrong; a tree full of secrets is not listed line by line.
constexpr std::size_t kMostRefusals = 200;
constexpr std::size_t kMostSecretLinesPerFile = 20;

using BlobPtr = std::unique_ptr<git_blob, Freer<git_blob, git_blob_free>>;

BlobPtr lookup_blob(git_repository* repo, const git_oid& id) {
  git_blob* raw = nullptr;
  if (git_oid_is_zero(&id) || git_blob_lookup(&raw, repo, &id) != 0) return BlobPtr();
  return BlobPtr(raw);
}

std::optional<std::uint64_t> file_size(git_repository* repo, const git_diff_file& file,
                                       const std::filesystem::path& top) {
  if (auto blob = lookup_blob(repo, file.id)) return static_cast<std::uint64_t>(git_blob_rawsize(blob.get()));
  std::error_code error;
  const auto status = std::filesystem::symlink_status(top / file.path, error);
  if (error || !std::filesystem::is_regular_file(status)) return std::nullopt;
  const auto size = std::filesystem::file_size(top / file.path, error);
  if (error) return std::nullopt;
  return size;
}

std::optional<std::string> link_target(git_repository* repo, const git_diff_file& file,
                                       const std::filesystem::path& top) {
  if (auto blob = lookup_blob(repo, file.id)) {
    return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                       static_cast<std::size_t>(git_blob_rawsize(blob.get())));
  }
  std::string buffer(4096, '\0');
  const auto length = ::readlink((top / file.path).c_str(), buffer.data(), buffer.size());
  if (length < 0) return std::nullopt;
  buffer.resize(static_cast<std::size_t>(length));
  return buffer;
}

// Whether a link at `path` (relative to the top) pointing to `target` leaves the work tree, read lexically: the
// link is committed as a link, and what it points to is resolved wherever the branch is checked out.
bool leaves_work_tree(const std::string& path, const std::string& target) {
  if (target.empty() || target.front() == '/') return true;
  std::vector<std::string> parts;
  const std::string joined = std::filesystem::path(path).parent_path().string() + "/" + target;
  std::size_t start = 0;
  while (start <= joined.size()) {
    const auto end = std::min(joined.find('/', start), joined.size());
    const std::string part = joined.substr(start, end - start);
    if (part == "..") {
      if (parts.empty()) return true;
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  return false;
}

std::string matching_glob(const std::vector<std::string>& globs, const std::string& path) {
  for (const auto& glob : globs) {
    if (Exclusions({}, {}, {glob}).excludes(path)) return glob;
  }
  return "";
}

class DiffChecker {
 public:
  DiffChecker(git_repository* repo, const PushCheckRules& rules, const std::filesystem::path& top)
      : repo_(repo), rules_(rules), top_(top) {}

  void check(git_diff* diff, std::size_t index) {
    const git_diff_delta* delta = git_diff_get_delta(diff, index);
    const std::string path = delta->new_file.path ? delta->new_file.path : delta->old_file.path;
    check_path(path);
    if (delta->old_file.path && path != delta->old_file.path) check_path(delta->old_file.path);
    if (delta->status == GIT_DELTA_DELETED) return;
    const std::string shown = printable_path(path);
    if (delta->new_file.mode == GIT_FILEMODE_LINK) {
      const auto target = link_target(repo_, delta->new_file, top_);
      if (!target || leaves_work_tree(path, *target)) {
        add({PushRefusal::Kind::link_outside, shown, 0, target ? "to " + printable_path(*target) : "unreadable"});
      }
      return;
    }
    if (const auto size = file_size(repo_, delta->new_file, top_); size && *size > rules_.max_file_bytes) {
      add({PushRefusal::Kind::too_large, shown, 0,
           std::to_string(*size) + " bytes, more than the limit of " + std::to_string(rules_.max_file_bytes) +
               " (flowrun.max_file_size)"});
      return;  // not read line by line
    }
    if (rules_.mask) check_added_lines(diff, index, shown);
  }

  std::vector<PushRefusal> take() { return std::move(refusals_); }

 private:
  void add(PushRefusal refusal) {
    if (refusals_.size() < kMostRefusals) refusals_.push_back(std::move(refusal));
  }

  void check_path(const std::string& path) {
    if (!text::is_valid_utf8(path)) {
      add({PushRefusal::Kind::path_not_utf8, printable_path(path), 0, ""});
      return;
    }
    const std::string glob = matching_glob(rules_.protected_globs, path);
    if (!glob.empty() && matching_glob(rules_.allowed_globs, path).empty()) {
      add({PushRefusal::Kind::protected_path, path, 0, "matches " + glob});
    }
  }

  void check_added_lines(git_diff* diff, std::size_t index, const std::string& shown) {
    git_patch* raw = nullptr;
    if (git_patch_from_diff(&raw, diff, index) != 0 || raw == nullptr) return;  // binary, or unreadable
    PatchPtr patch(raw);
    std::size_t found = 0;
    for (std::size_t hunk = 0; hunk < git_patch_num_hunks(patch.get()); ++hunk) {
      const int lines = git_patch_num_lines_in_hunk(patch.get(), hunk);
      for (int i = 0; i < lines; ++i) {
        const git_diff_line* line = nullptr;
        if (git_patch_get_line_in_hunk(&line, patch.get(), hunk, static_cast<std::size_t>(i)) != 0) continue;
        if (line->origin != GIT_DIFF_LINE_ADDITION) continue;
        std::string_view text(line->content, line->content_len);
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
        if (rules_.mask(text) == text) continue;
        add({PushRefusal::Kind::secret, shown, line->new_lineno, "a value masked in the output or a token's shape"});
        if (++found == kMostSecretLinesPerFile) return;
      }
    }
  }

  git_repository* repo_;
  const PushCheckRules& rules_;
  std::filesystem::path top_;
  std::vector<PushRefusal> refusals_;
};

}  // namespace

std::vector<PushRefusal> check_diff(git_repository* repo, git_diff* diff, const PushCheckRules& rules,
                                    const std::filesystem::path& top, const std::vector<std::string>& skip) {
  if (!rules.enabled) return {};
  DiffChecker checker(repo, rules, top);
  for (std::size_t i = 0; i < git_diff_num_deltas(diff); ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff, i);
    const char* path = delta->new_file.path ? delta->new_file.path : delta->old_file.path;
    if (std::find(skip.begin(), skip.end(), path) != skip.end()) continue;
    checker.check(diff, i);
  }
  return checker.take();
}

void mask_file(const std::filesystem::path& file, const PushCheckRules& rules) {
  if (!rules.mask) return;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw GitError("cannot read " + file.string() + " to mask the secrets in it");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (auto error = write_own_file(file, rules.mask(text)); !error.empty()) {
    throw GitError("cannot mask the secrets in " + file.string() + ": " + error);
  }
}

}  // namespace flowrun::git::detail
