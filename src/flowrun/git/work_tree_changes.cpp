#include "flowrun/git/work_tree_changes.h"

#include <sys/stat.h>

#include <algorithm>
#include <unordered_set>

#include "flowrun/git/repository.h"

namespace flowrun::git::detail {
namespace {

bool is_gitlink(const git_diff_delta* delta) {
  return delta != nullptr &&
         (delta->old_file.mode == GIT_FILEMODE_COMMIT || delta->new_file.mode == GIT_FILEMODE_COMMIT);
}

const char* entry_path(const git_status_entry* entry) {
  const git_diff_delta* delta = entry->index_to_workdir ? entry->index_to_workdir : entry->head_to_index;
  if (delta == nullptr) return nullptr;
  return delta->new_file.path ? delta->new_file.path : delta->old_file.path;
}

// Restores the index entry of `path` to what HEAD has (or removes it when HEAD has none).
void restore_from_head(git_index* index, const git_tree* head_tree, const std::string& path) {
  git_tree_entry* raw = nullptr;
  if (git_tree_entry_bypath(&raw, head_tree, path.c_str()) != 0) {
    git_index_remove_bypath(index, path.c_str());
    return;
  }
  TreeEntryPtr tree_entry(raw);
  git_index_entry entry{};
  entry.mode = static_cast<std::uint32_t>(git_tree_entry_filemode(tree_entry.get()));
  entry.id = *git_tree_entry_id(tree_entry.get());
  entry.path = path.c_str();
  check(git_index_add(index, &entry), "cannot restore " + path + " in the index");
}

char status_letter(git_delta_t status) {
  switch (status) {
    case GIT_DELTA_ADDED:
    case GIT_DELTA_UNTRACKED:
    case GIT_DELTA_COPIED:
      return 'A';
    case GIT_DELTA_DELETED:
      return 'D';
    case GIT_DELTA_MODIFIED:
      return 'M';
    case GIT_DELTA_RENAMED:
      return 'R';
    case GIT_DELTA_TYPECHANGE:
      return 'T';
    default:
      return 0;
  }
}

void find_renames(git_diff* diff, unsigned int extra_flags) {
  git_diff_find_options find;
  git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
  find.flags = GIT_DIFF_FIND_RENAMES | extra_flags;
  check(git_diff_find_similar(diff, &find), "cannot detect renames");
}

// True when the index holds exactly HEAD's tree: nothing is staged. The index's tree cache (written by git on
// clone, checkout, reset and commit) usually answers without reading a single tree object.
bool index_is_head(git_repository* repo, const git_tree* head_tree) {
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo) != 0) return false;
  IndexPtr index(raw);
  git_oid tree;
  if (git_index_read(index.get(), 0) != 0 || git_index_write_tree(&tree, index.get()) != 0) return false;
  return git_oid_equal(&tree, git_tree_id(head_tree)) != 0;
}

// True when a folder on the way to `path` is not a real folder (a symbolic link, say to a folder outside the work
// tree): the file behind it is not part of the work tree and is staged as gone. `real_folders` caches the answers.
bool behind_a_link(const std::filesystem::path& top, const std::string& path,
                   std::unordered_set<std::string>& real_folders) {
  for (auto slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    const std::string folder = path.substr(0, slash);
    if (real_folders.count(folder)) continue;
    struct stat info {};
    if (::lstat((top / folder).c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) return true;
    real_folders.insert(folder);
  }
  return false;
}

}  // namespace

WorkTreeScan scan_work_tree(git_repository* repo, const Exclusions& exclusions, const git_tree* head_tree) {
  git_status_options options;
  git_status_options_init(&options, GIT_STATUS_OPTIONS_VERSION);
  const bool nothing_staged = head_tree != nullptr && index_is_head(repo, head_tree);
  options.show = nothing_staged ? GIT_STATUS_SHOW_WORKDIR_ONLY : GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  // No rename detection here: staging a rename as "remove old, add new" gives the same tree, faster.
  options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;

  git_status_list* raw = nullptr;
  check(git_status_list_new(&raw, repo, &options), "cannot read the status of the work tree");
  StatusListPtr list(raw);

  WorkTreeScan scan;
  const std::size_t count = git_status_list_entrycount(list.get());
  for (std::size_t i = 0; i < count; ++i) {
    const git_status_entry* entry = git_status_byindex(list.get(), i);
    if (entry == nullptr || entry->status == GIT_STATUS_CURRENT || (entry->status & GIT_STATUS_IGNORED)) continue;
    const char* raw_path = entry_path(entry);
    if (raw_path == nullptr) continue;
    std::string path = raw_path;
    const bool staged = entry->head_to_index != nullptr;
    // A nested repository shows as an untracked folder ("dir/"); a submodule as a gitlink.
    if (is_gitlink(entry->head_to_index) || is_gitlink(entry->index_to_workdir) || path.ends_with('/')) {
      while (path.ends_with('/')) path.pop_back();
      if (staged) scan.to_restore.push_back(path);
      scan.submodules.push_back(std::move(path));
      continue;
    }
    if (exclusions.excludes(path)) {
      if (staged) scan.to_restore.push_back(path);
      scan.excluded.push_back(std::move(path));
      continue;
    }
    scan.to_stage.push_back(std::move(path));
  }
  return scan;
}

git_oid stage_changes(git_repository* repo, const WorkTreeScan& scan, const git_tree* head_tree) {
  git_index* raw = nullptr;
  check(git_repository_index(&raw, repo), "cannot open the index");
  IndexPtr index(raw);
  // Re-read only when the file changed since the status scan loaded it: parsing 100,000 entries again costs.
  check(git_index_read(index.get(), 0), "cannot read the index");

  const std::filesystem::path top = work_tree_top(repo);
  std::unordered_set<std::string> real_folders;
  for (const auto& path : scan.to_stage) {
    struct stat info {};
    const bool present =
        !behind_a_link(top, path, real_folders) && ::lstat((top / path).c_str(), &info) == 0 && !S_ISDIR(info.st_mode);
    if (present) {
      // Reads symlinks as links (never followed) and takes the executable bit from the file.
      check(git_index_add_bypath(index.get(), path.c_str()), "cannot stage " + path);
    } else {
      check(git_index_remove_bypath(index.get(), path.c_str()), "cannot stage the removal of " + path);
    }
  }
  for (const auto& path : scan.to_restore) restore_from_head(index.get(), head_tree, path);

  check(git_index_write(index.get()),
        "cannot write the index (if another git process crashed, remove .git/index.lock)");
  git_oid tree;
  check(git_index_write_tree(&tree, index.get()), "cannot write the tree of the commit");
  return tree;
}

std::vector<FileChange> summarize_diff(git_diff* diff, const std::vector<std::string>& skip) {
  const std::unordered_set<std::string> skipped(skip.begin(), skip.end());
  std::vector<FileChange> files;
  const std::size_t count = git_diff_num_deltas(diff);
  for (std::size_t i = 0; i < count; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff, i);
    const char letter = status_letter(delta->status);
    if (letter == 0) continue;
    const std::string path = delta->new_file.path ? delta->new_file.path : delta->old_file.path;
    const std::string old_path = delta->old_file.path ? delta->old_file.path : path;
    if (path.ends_with('/') || skipped.count(path) || skipped.count(old_path)) continue;

    FileChange change{path, letter == 'R' ? old_path : std::string(), letter, false, 0, 0};
    git_patch* raw = nullptr;
    check(git_patch_from_diff(&raw, diff, i), "cannot compute the changes of " + path);
    PatchPtr patch(raw);
    const git_diff_delta* patched = patch ? git_patch_get_delta(patch.get()) : delta;
    change.binary = (patched->flags & GIT_DIFF_FLAG_BINARY) != 0;
    if (patch && !change.binary) {
      std::size_t context = 0, additions = 0, deletions = 0;
      check(git_patch_line_stats(&context, &additions, &deletions, patch.get()), "cannot count lines of " + path);
      change.additions = static_cast<int>(additions);
      change.deletions = static_cast<int>(deletions);
    }
    files.push_back(std::move(change));
  }
  return files;
}

DiffPtr diff_base_to_work_tree(git_repository* repo, git_tree* base) {
  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_SHOW_UNTRACKED_CONTENT |
                  GIT_DIFF_INCLUDE_TYPECHANGE;
  git_diff* raw = nullptr;
  check(git_diff_tree_to_workdir_with_index(&raw, repo, base, &options), "cannot compare the work tree");
  DiffPtr diff(raw);
  find_renames(diff.get(), GIT_DIFF_FIND_FOR_UNTRACKED);
  return diff;
}

DiffPtr diff_trees(git_repository* repo, git_tree* from, git_tree* to) {
  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  options.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
  git_diff* raw = nullptr;
  check(git_diff_tree_to_tree(&raw, repo, from, to, &options), "cannot compare the commits");
  DiffPtr diff(raw);
  find_renames(diff.get(), 0);
  return diff;
}

}  // namespace flowrun::git::detail
