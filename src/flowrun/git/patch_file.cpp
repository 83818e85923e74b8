#include "flowrun/git/patch_file.h"

#include "flowrun/core/own_files.h"
#include "flowrun/git/repository.h"

namespace flowrun::git::detail {

std::filesystem::path write_patch_file(git_repository* repo, const git_oid& base, const git_oid& commit,
                                       const std::filesystem::path& artifacts_dir) {
  const auto base_commit = lookup_commit(repo, base);
  const auto new_commit = lookup_commit(repo, commit);
  const auto base_tree = commit_tree(base_commit.get());
  const auto new_tree = commit_tree(new_commit.get());

  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  // Binary content as git's base85 "GIT binary patch"; type changes stay a deletion plus an addition, which
  // `git apply` takes in every version.
  options.flags = GIT_DIFF_SHOW_BINARY;
  git_diff* raw = nullptr;
  check(git_diff_tree_to_tree(&raw, repo, base_tree.get(), new_tree.get(), &options), "cannot compute the patch");
  DiffPtr diff(raw);
  Buffer text;
  check(git_diff_to_buf(text.get(), diff.get(), GIT_DIFF_FORMAT_PATCH), "cannot format the patch");

  auto target = artifacts_dir / kPatchFileName;  // not const: returned by move
  // `git apply` skips text before the first "diff --git" line.
  const std::string content = "Changes from " + oid_hex(base) + " to " + oid_hex(commit) + ".\n" +
                              "Apply them to a checkout of " + oid_hex(base) + " with: git apply " +
                              std::string(kPatchFileName) + "\n\n" + std::string(text.view());
  if (auto error = write_own_file(target, content); !error.empty()) throw GitError(error);
  return target;
}

}  // namespace flowrun::git::detail
