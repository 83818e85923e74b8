#include "flowrun/git/git.h"

#include "flowrun/git/patch_file.h"
#include "flowrun/git/push.h"
#include "flowrun/git/repository.h"
#include "flowrun/git/work_tree_changes.h"

#include <utility>

namespace flowrun::git {
namespace {

using namespace detail;

constexpr std::string_view kDefaultMessage = "Changes made by the flow";

void log_line(const GitOptions& options, const std::string& line) {
  if (options.log) options.log(line);
}

std::string short_id(const std::string& hex) { return hex.substr(0, 12); }

Exclusions exclusions_for(const GitOptions& options, const std::filesystem::path& top) {
  auto own = options.never_commit;
  if (!options.artifacts_dir.empty()) own.push_back(options.artifacts_dir / kPatchFileName);
  return Exclusions(top, own, options.exclude_globs);
}

// The repository, HEAD and the job's commit, checked to belong together.
struct Commits {
  RepositoryPtr repo;
  git_oid head;
  git_oid base;
  bool commands_committed;
};

Commits open_commits(const GitOptions& options) {
  Commits commits{open_work_tree_repository(options.workdir), {}, {}, false};
  const auto head = head_oid(commits.repo.get());
  if (!head) throw GitError("the repository at " + options.workdir.string() + " has no commit yet (unborn HEAD)");
  commits.head = *head;
  commits.base = options.base_commit.empty() ? *head : resolve_commit_id(commits.repo.get(), options.base_commit);
  commits.commands_committed = !git_oid_equal(&commits.head, &commits.base);
  if (commits.commands_committed && !is_descendant(commits.repo.get(), commits.head, commits.base)) {
    throw GitError("the commands moved HEAD to " + oid_hex(commits.head) + ", which does not contain the job's commit " +
                   oid_hex(commits.base) + ": nothing was committed or pushed; the work tree is left as it is");
  }
  return commits;
}

git_oid create_commit(git_repository* repo, const GitOptions& options, const git_oid& tree_id, git_commit* parent) {
  const auto signature = [](const Identity& identity, std::string_view role) {
    git_signature* raw = nullptr;
    if (git_signature_now(&raw, identity.name.c_str(), identity.email.c_str()) != 0) {
      throw GitError("invalid commit " + std::string(role) + " \"" + identity.name + " <" + identity.email +
                     ">\": " + last_error_message() + " (set flowrun.author or GIT_" +
                     (role == "author" ? "AUTHOR" : "COMMITTER") + "_NAME/EMAIL)");
    }
    return SignaturePtr(raw);
  };
  const auto with_fallback = [](const Identity& identity) {
    return Identity{identity.name.empty() ? "flowrun" : identity.name,
                    identity.email.empty() ? "flowrun@localhost" : identity.email};
  };
  const Identity author = with_fallback(options.author);
  const Identity committer =
      options.committer.name.empty() && options.committer.email.empty() ? author : with_fallback(options.committer);
  const auto author_signature = signature(author, "author");
  const auto committer_signature = signature(committer, "committer");

  git_tree* raw_tree = nullptr;
  check(git_tree_lookup(&raw_tree, repo, &tree_id), "cannot read the new tree");
  TreePtr tree(raw_tree);
  std::string message = options.message.empty() ? std::string(kDefaultMessage) : options.message;
  if (!message.ends_with('\n')) message += '\n';

  // Written directly: no hook of the repository runs. "HEAD" moves the current branch, or HEAD itself when detached.
  git_oid id;
  check(git_commit_create_v(&id, repo, "HEAD", author_signature.get(), committer_signature.get(), nullptr,
                            message.c_str(), tree.get(), 1, parent),
        "cannot create the commit");
  return id;
}

std::string alternative_branch(const std::string& branch, const std::string& commit) {
  return branch + "-" + commit.substr(0, 7);
}

std::string push_failure_message(const PushResult& push, const GitResult& result, const GitOptions& options) {
  const std::string kept = result.patch_file ? "; the commit " + short_id(result.commit) + " and " +
                                                   result.patch_file->string() + " keep the changes"
                                             : "; the commit " + short_id(result.commit) + " keeps the changes";
  switch (push.status) {
    case PushStatus::auth_failed:
      if (options.credentials.empty()) {
        return "authentication failed for " + result.remote_display +
               ": no token found (set FLOWRUN_GIT_TOKEN, list a GITLAB_TOKEN_<INTEGRATION> variable in the flow, or "
               "set GITLAB_TOKEN)" + kept;
      }
      return "authentication failed for " + result.remote_display + " with " + describe_sources(options.credentials) +
             ": check the token has write_repository (and, for a project access token, at least the Developer role)" +
             kept;
    case PushStatus::rejected:
      return "pushing to " + result.branch + " at " + result.remote_display + " was refused: " + push.message +
             " (a protected branch or a server hook; check the project's push rules)" + kept;
    case PushStatus::transient:
      return "pushing to " + result.remote_display + " failed after " + std::to_string(push.attempts) +
             " attempts: " + push.message + " (check the server is reachable from the runner)" + kept;
    default:
      return "pushing to " + result.branch + " at " + result.remote_display + " failed: " + push.message + kept;
  }
}

void push_commit(git_repository* repo, const GitOptions& options, GitResult& result) {
  PushRequest request{repo, &options, result.remote_display, result.commit, result.branch};
  PushResult push = push_branch(request);
  result.push_attempts = push.attempts;
  if (push.status == PushStatus::non_fast_forward) {
    const std::string branch = alternative_branch(result.branch, result.commit);
    log_line(options, result.branch + " moved on the server: pushing to the new branch " + branch + " instead");
    request.branch = branch;
    PushResult second = push_branch(request);
    result.push_attempts += second.attempts;
    if (second.status == PushStatus::pushed) {
      result.outcome = Outcome::pushed_to_new_branch;
      result.error = result.branch + " moved on the server since the job started; the changes are on the new branch " +
                     branch + " instead";
      result.branch = branch;
      return;
    }
    push = second;
    result.branch = branch;
  }
  if (push.status == PushStatus::pushed) {
    result.outcome = Outcome::pushed;
    log_line(options, "pushed " + short_id(result.commit) + " to " + result.branch);
    return;
  }
  result.outcome = Outcome::push_failed;
  result.error = mask_credentials(push_failure_message(push, result, options), options);
  log_line(options, result.error);
}

GitResult run(const GitOptions& options) {
  GitResult result;
  result.branch = options.branch;
  result.remote_display = without_userinfo(options.remote_url);
  if (options.push && !is_valid_branch_name(options.branch)) {
    result.error = "\"" + options.branch + "\" is not a valid branch name: check CI_WORKLOAD_REF or the branch setting";
    return result;
  }
  if (options.push && result.remote_display.empty()) {
    result.error = "no remote URL to push to: set CI_SERVER_URL and CI_PROJECT_PATH, or pass the remote URL";
    return result;
  }

  Commits commits = open_commits(options);
  git_repository* repo = commits.repo.get();
  result.base_commit = oid_hex(commits.base);
  result.changes.commands_committed = commits.commands_committed;

  const auto head_commit = lookup_commit(repo, commits.head);
  const auto head_tree = commit_tree(head_commit.get());
  const WorkTreeScan scan = scan_work_tree(repo, exclusions_for(options, work_tree_top(repo)), head_tree.get());
  result.changes.excluded = scan.excluded;
  result.changes.submodules_changed = scan.submodules;
  for (const auto& path : scan.excluded) log_line(options, "not committed (excluded): " + path);
  for (const auto& path : scan.submodules) log_line(options, "not committed (submodule or nested repository): " + path);

  git_oid commit = commits.head;
  if (!scan.to_stage.empty() || !scan.to_restore.empty()) {
    const git_oid tree = stage_changes(repo, scan, head_tree.get());
    if (!git_oid_equal(&tree, git_tree_id(head_tree.get()))) {
      commit = create_commit(repo, options, tree, head_commit.get());
      log_line(options, "committed " + short_id(oid_hex(commit)) + " (" + std::to_string(scan.to_stage.size()) +
                            " changed paths)");
    }
  }
  if (git_oid_equal(&commit, &commits.base)) {
    result.outcome = Outcome::no_changes;
    log_line(options, "no changes to commit");
    return result;
  }
  result.commit = oid_hex(commit);

  const auto base_tree = commit_tree(lookup_commit(repo, commits.base).get());
  const auto new_tree = commit_tree(lookup_commit(repo, commit).get());
  result.changes.files = summarize_diff(diff_trees(repo, base_tree.get(), new_tree.get()).get());

  if (!options.artifacts_dir.empty()) {
    try {
      result.patch_file = write_patch_file(repo, commits.base, commit, options.artifacts_dir);
      log_line(options, "patch written to " + result.patch_file->string());
    } catch (const GitError& e) {
      log_line(options, std::string("could not write the patch file: ") + e.what());
    }
  }

  if (!options.push) {
    result.outcome = Outcome::committed;
    return result;
  }
  push_commit(repo, options, result);
  return result;
}

}  // namespace

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::no_changes:
      return "no_changes";
    case Outcome::committed:
      return "committed";
    case Outcome::pushed:
      return "pushed";
    case Outcome::pushed_to_new_branch:
      return "pushed_to_new_branch";
    case Outcome::push_failed:
      return "push_failed";
    case Outcome::failed:
      return "failed";
  }
  return "failed";
}

std::optional<std::string> head_commit(const std::filesystem::path& workdir) {
  ensure_libgit2_initialised();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, workdir.c_str(), 0, nullptr) != 0) return std::nullopt;
  RepositoryPtr repo(raw);
  const auto head = head_oid(repo.get());
  if (!head) return std::nullopt;
  return oid_hex(*head);
}

ChangeSet detect_changes(const GitOptions& options) {
  ChangeSet changes;
  try {
    Commits commits = open_commits(options);
    git_repository* repo = commits.repo.get();
    changes.commands_committed = commits.commands_committed;
    const WorkTreeScan scan = scan_work_tree(repo, exclusions_for(options, work_tree_top(repo)));
    changes.excluded = scan.excluded;
    changes.submodules_changed = scan.submodules;
    std::vector<std::string> not_committed = scan.excluded;
    not_committed.insert(not_committed.end(), scan.submodules.begin(), scan.submodules.end());
    const auto base_tree = commit_tree(lookup_commit(repo, commits.base).get());
    changes.files = summarize_diff(diff_base_to_work_tree(repo, base_tree.get()).get(), not_committed);
  } catch (const std::exception& e) {
    log_line(options, std::string("cannot detect changes: ") + e.what());
  }
  return changes;
}

GitResult commit_and_push(const GitOptions& options) {
  try {
    return run(options);
  } catch (const std::exception& e) {
    GitResult result;
    result.branch = options.branch;
    result.remote_display = without_userinfo(options.remote_url);
    result.error = mask_credentials(e.what(), options);
    log_line(options, result.error);
    return result;
  }
}

}  // namespace flowrun::git
