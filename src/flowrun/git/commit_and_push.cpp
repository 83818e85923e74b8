#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>

#include "flowrun/git/blocking_files.h"
#include "flowrun/git/follow_up.h"
#include "flowrun/git/git.h"
#include "flowrun/git/isolated_step.h"
#include "flowrun/git/patch_file.h"
#include "flowrun/git/push.h"
#include "flowrun/git/push_check_diff.h"
#include "flowrun/git/repository.h"
#include "flowrun/git/result_codec.h"
#include "flowrun/git/snapshot.h"
#include "flowrun/git/work_tree_changes.h"

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

// A name or email as a signature can hold it: git refuses '<', '>' and line breaks in either ("Claude <bot>" as
// user.name would otherwise stop the commit and lose the work).
std::string signature_safe(const std::string& text) {
  std::string safe;
  for (const char c : text) {
    if (c == '<' || c == '>' || static_cast<unsigned char>(c) < 0x20) continue;
    safe += c;
  }
  const auto first = safe.find_first_not_of(" .,;:\"'");
  const auto last = safe.find_last_not_of(" .,;:\"'");
  return first == std::string::npos ? std::string() : safe.substr(first, last - first + 1);
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
    const std::string name = signature_safe(identity.name);
    const std::string email = signature_safe(identity.email);
    return Identity{name.empty() ? "flowrun" : name, email.empty() ? "flowrun@localhost" : email};
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

std::string kept_suffix(const GitResult& result) {
  return "; the commit " + short_id(result.commit) + (result.patch_file ? " and " + result.patch_file->string() : "") +
         " keep the changes";
}

std::string push_failure_message(const PushResult& push, const GitResult& result, const GitOptions& options) {
  const std::string kept = kept_suffix(result);
  switch (push.status) {
    case PushStatus::auth_failed:
      if (options.credentials.empty()) {
        return "authentication failed for " + result.remote_display +
               ": no token found (set FLOWRUN_GIT_TOKEN, list a GITLAB_TOKEN_<INTEGRATION> variable in the flow, or "
               "set GITLAB_TOKEN)" +
               kept;
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

// Inside the isolated step: snapshot, stage, commit on the job's commit, patch. Never pushes.
GitResult prepare_commit(const GitOptions& options) {
  GitResult result;
  result.branch = options.branch;
  result.remote_display = without_userinfo(options.remote_url);

  Snapshot snapshot = take_snapshot(options);
  git_repository* repo = snapshot.repo.get();
  result.base_commit = oid_hex(snapshot.base);
  result.changes.commands_committed = snapshot.head_moved;
  result.unfinished_operation = snapshot.unfinished_operation;
  if (snapshot.head_moved) log_line(options, snapshot.head_story + ": committing what the work tree holds instead");
  if (!snapshot.unfinished_operation.empty()) {
    log_line(options, "the commands left " + snapshot.unfinished_operation + " unfinished");
  }
  GitOptions resolved = options;
  if (options.resolve_identities) std::tie(resolved.author, resolved.committer) = options.resolve_identities();

  const auto base_commit = lookup_commit(repo, snapshot.base);
  const auto base_tree = commit_tree(base_commit.get());
  const WorkTreeScan scan = scan_work_tree(repo, exclusions_for(options, work_tree_top(repo)), base_tree.get());
  result.changes.excluded = scan.excluded;
  result.changes.submodules_changed = scan.submodules;
  for (const auto& path : scan.excluded) log_line(options, "not committed (excluded): " + path);
  for (const auto& path : scan.submodules) log_line(options, "not committed (submodule or nested repository): " + path);

  git_oid commit = snapshot.base;
  if (!scan.to_stage.empty() || !scan.to_restore.empty()) {
    const git_oid tree = stage_changes(repo, scan, base_tree.get());
    if (!git_oid_equal(&tree, git_tree_id(base_tree.get()))) {
      commit = create_commit(repo, resolved, tree, base_commit.get());
      log_line(options, "committed " + short_id(oid_hex(commit)) + " (" + std::to_string(scan.to_stage.size()) +
                            " changed paths)");
    }
  }
  if (git_oid_equal(&commit, &snapshot.base)) {
    result.outcome = Outcome::no_changes;
    log_line(options, "no changes to commit");
    return result;
  }
  result.commit = oid_hex(commit);
  result.outcome = Outcome::committed;
  const auto new_tree = commit_tree(lookup_commit(repo, commit).get());
  const DiffPtr diff = diff_trees(repo, base_tree.get(), new_tree.get());
  result.changes.files = summarize_diff(diff.get());
  result.changes.refusals = check_diff(repo, diff.get(), options.checks, work_tree_top(repo));
  const bool holds_secret = std::any_of(result.changes.refusals.begin(), result.changes.refusals.end(),
                                        [](const PushRefusal& r) { return r.kind == PushRefusal::Kind::secret; });

  if (!options.artifacts_dir.empty()) {
    try {
      result.patch_file = write_patch_file(repo, snapshot.base, commit, options.artifacts_dir);
      if (holds_secret) mask_file(*result.patch_file, options.checks);
      log_line(options, "patch written to " + result.patch_file->string());
    } catch (const GitError& e) {
      log_line(options, std::string("could not write the patch file: ") + e.what());
    }
  }
  return result;
}

// Inside the isolated step: push the commit prepare_commit made.
GitResult push_prepared(const GitOptions& options, GitResult result) {
  RepositoryPtr repo = open_work_tree_repository(options.workdir);
  push_commit(repo.get(), options, result);
  return result;
}

// Why a committed result is not pushed, or empty when it may be.
std::string reason_not_to_push(const GitOptions& options, const GitResult& result) {
  if (!result.unfinished_operation.empty()) {
    return "not pushed: the commands left " + result.unfinished_operation +
           " unfinished, so what the work tree holds may be half done (finish or abort it in the flow's commands)";
  }
  if (!is_valid_branch_name(options.branch)) {
    return "not pushed: \"" + options.branch +
           "\" is not a valid branch name (check CI_WORKLOAD_REF or the branch "
           "setting)";
  }
  if (result.remote_display.empty()) {
    return "not pushed: no remote URL to push to (CI_SERVER_URL and CI_PROJECT_PATH must be set and CI_PROJECT_PATH "
           "a valid project path such as group/project; or pass --remote)";
  }
  if (options.cancelled && options.cancelled()) return "not pushed: the run was cancelled";
  return "";
}

std::string seconds_text(Clock::duration duration) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(duration).count()) + " s";
}

GitResult failed_result(const GitOptions& options, std::string error) {
  GitResult result;
  result.branch = options.branch;
  result.remote_display = without_userinfo(options.remote_url);
  result.error = mask_credentials(std::move(error), options);
  log_line(options, result.error);
  return result;
}

// Runs `step` isolated and decodes its GitResult; `what_stopped` says what was under way when it did not finish.
std::optional<GitResult> isolated(const GitOptions& options, Clock::time_point deadline,
                                  const std::function<GitResult(const GitOptions&)>& step, StepRun::End& end,
                                  const std::function<void()>& on_stall) {
  StepLimits limits;
  limits.deadline = deadline;
  limits.cancelled = options.cancelled;
  limits.log = [&options](std::string_view line) { log_line(options, std::string(line)); };
  limits.on_stall = on_stall;
  const StepRun run = run_isolated(
      [&options, &step](const StepLog& log) {
        GitOptions inside = options;
        inside.log = log;
        try {
          return encode_result(step(inside));
        } catch (const std::exception& e) {
          GitResult result = failed_result(inside, e.what());
          return encode_result(result);
        }
      },
      limits);
  end = run.end;
  if (run.end != StepRun::End::finished) return std::nullopt;
  return decode_result(run.result);
}

GitResult run(const GitOptions& options) {
  const auto started = Clock::now();
  const auto deadline = options.deadline.value_or(started + std::chrono::hours(1));

  // Reading the work tree: FIFOs the agent left where git reads are released when the step stalls.
  std::optional<std::vector<std::filesystem::path>> fifos;
  const auto release_fifos = [&options, &fifos]() {
    if (!fifos) {
      const auto top = std::filesystem::absolute(options.workdir);
      fifos = find_fifos(top, top / ".git");
      for (const auto& fifo : *fifos)
        log_line(options, "a FIFO blocks reading the work tree, released: " + fifo.string());
    }
    release_fifo_readers(*fifos);
  };
  StepRun::End end = StepRun::End::crashed;
  // A cancelled run still commits (local and quick, bounded by the deadline): only the push is given up.
  GitOptions uncancelled = options;
  uncancelled.cancelled = nullptr;
  auto prepared = isolated(uncancelled, deadline, prepare_commit, end, release_fifos);
  if (!prepared) {
    switch (end) {
      case StepRun::End::timed_out:
        return failed_result(options, "reading the work tree and committing did not finish within " +
                                          seconds_text(deadline - started) +
                                          " (something in the work tree or .git blocks reading, such as a device): "
                                          "nothing was committed");
      case StepRun::End::cancelled:
        return failed_result(options,
                             "the run was cancelled while the changes were being committed: nothing was "
                             "committed");
      default:
        return failed_result(options, "committing the changes stopped unexpectedly: nothing was committed");
    }
  }
  GitResult result = std::move(*prepared);
  if (result.outcome != Outcome::committed || !options.push) return result;
  if (!result.changes.refusals.empty()) {
    result.outcome = Outcome::refused;
    result.error = "not pushed: the checks before pushing refused " + std::to_string(result.changes.refusals.size()) +
                   " change(s)" + kept_suffix(result);
    for (const auto& refusal : result.changes.refusals) log_line(options, "refused: " + describe(refusal));
    log_line(options, result.error);
    return result;
  }

  if (const std::string reason = reason_not_to_push(options, result); !reason.empty()) {
    result.outcome = Outcome::push_failed;
    result.error = reason + kept_suffix(result);
    log_line(options, result.error);
    return result;
  }
  std::string fallback;
  if (options.follow_up) {
    const GitResult made = result;
    auto followed = isolated(
        options, deadline, [&made](const GitOptions& inside) { return push_follow_up(inside, made); }, end,
        release_fifos);
    if (followed && followed->followed_up) return std::move(*followed);
    fallback = followed ? followed->follow_up_fallback
                        : "pushing to the merge request's branch " + options.follow_up->branch + " did not finish";
    log_line(options, fallback + ": the commit goes to " + options.branch + " instead");
    if (followed) result.push_attempts = followed->push_attempts;
  }
  result.follow_up_fallback = fallback;
  const GitResult committed = result;
  auto pushed = isolated(
      options, deadline, [&committed](const GitOptions& inside) { return push_prepared(inside, committed); }, end,
      release_fifos);
  if (pushed) return std::move(*pushed);
  result.outcome = Outcome::push_failed;
  result.error = (end == StepRun::End::cancelled
                      ? "not pushed: the run was cancelled during the push"
                      : "pushing to " + result.remote_display + " did not finish within the time kept for it (" +
                            seconds_text(deadline - started) + "; the server stopped answering?)") +
                 kept_suffix(result);
  log_line(options, result.error);
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
    case Outcome::refused:
      return "refused";
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
    RepositoryPtr repo = open_work_tree_repository(options.workdir);
    const auto head = head_oid(repo.get());
    if (!head) throw GitError("the repository has no commit yet (unborn HEAD)");
    const git_oid base = options.base_commit.empty() ? *head : resolve_commit_id(repo.get(), options.base_commit);
    changes.commands_committed = !git_oid_equal(&*head, &base);
    const WorkTreeScan scan = scan_work_tree(repo.get(), exclusions_for(options, work_tree_top(repo.get())));
    changes.excluded = scan.excluded;
    changes.submodules_changed = scan.submodules;
    std::vector<std::string> not_committed = scan.excluded;
    not_committed.insert(not_committed.end(), scan.submodules.begin(), scan.submodules.end());
    const auto base_tree = commit_tree(lookup_commit(repo.get(), base).get());
    const DiffPtr diff = diff_base_to_work_tree(repo.get(), base_tree.get());
    changes.files = summarize_diff(diff.get(), not_committed);
    changes.refusals = check_diff(repo.get(), diff.get(), options.checks, work_tree_top(repo.get()), not_committed);
  } catch (const std::exception& e) {
    log_line(options, std::string("cannot detect changes: ") + e.what());
  }
  return changes;
}

GitResult commit_and_push(const GitOptions& options) {
  try {
    return run(options);
  } catch (const std::exception& e) {
    return failed_result(options, e.what());
  }
}

}  // namespace flowrun::git
