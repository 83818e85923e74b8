#include "flowrun/git/follow_up.h"

#include "flowrun/git/push.h"
#include "flowrun/git/repository.h"

namespace flowrun::git::detail {
namespace {

std::string short_id(const std::string& hex) { return hex.substr(0, 12); }

// `commit` (made on its parent) applied onto `onto`: a new commit with the same author, committer and message, or
// nullopt when the change does not apply cleanly there.
std::optional<git_oid> cherry_pick(git_repository* repo, git_commit* commit, git_commit* onto) {
  git_index* raw_index = nullptr;
  check(git_cherrypick_commit(&raw_index, repo, commit, onto, 0, nullptr), "cannot apply the change");
  IndexPtr index(raw_index);
  if (git_index_has_conflicts(index.get()) == 1) return std::nullopt;
  git_oid tree_id;
  check(git_index_write_tree_to(&tree_id, index.get(), repo), "cannot write the tree");
  git_tree* raw_tree = nullptr;
  check(git_tree_lookup(&raw_tree, repo, &tree_id), "cannot read the new tree");
  TreePtr tree(raw_tree);
  const git_commit* parents[] = {onto};
  git_oid id;
  check(git_commit_create(&id, repo, nullptr, git_commit_author(commit), git_commit_committer(commit), nullptr,
                          git_commit_message(commit), tree.get(), 1, parents),
        "cannot create the commit");
  return id;
}

std::string refusal_reason(const PushResult& push, const std::string& branch) {
  switch (push.status) {
    case PushStatus::non_fast_forward:
      return "the merge request's branch " + branch + " moved while the agent worked";
    case PushStatus::rejected:
      return "the server refused the push to " + branch + " (" + push.message + "; a protected branch or a push rule)";
    case PushStatus::auth_failed:
    case PushStatus::forbidden:
      return "the token may not push to " + branch;
    default:
      return "pushing to " + branch + " failed: " + push.message;
  }
}

}  // namespace

GitResult push_follow_up(const GitOptions& options, GitResult committed) {
  const FollowUp& follow_up = *options.follow_up;
  RepositoryPtr repo = open_work_tree_repository(options.workdir);
  git_oid head;
  if (git_oid_fromstr(&head, follow_up.head.c_str()) != 0) {
    committed.follow_up_fallback = "GitLab gave no usable head commit for " + follow_up.branch;
    return committed;
  }
  git_oid made;
  check(git_oid_fromstr(&made, committed.commit.c_str()), "cannot read the commit id");
  git_oid base;
  check(git_oid_fromstr(&base, committed.base_commit.c_str()), "cannot read the job's commit id");

  std::string to_push = committed.commit;
  if (!git_oid_equal(&head, &base)) {
    git_commit* raw_head = nullptr;
    if (git_commit_lookup(&raw_head, repo.get(), &head) != 0) {
      // GitLab checks out the merge request's head for a job it starts from one: a head the job does not have
      // came after the checkout.
      committed.follow_up_fallback = "the merge request's branch " + follow_up.branch +
                                     " moved while the agent worked (its head is now " + short_id(follow_up.head) +
                                     ", which the job's checkout does not hold)";
      return committed;
    }
    CommitPtr onto(raw_head);
    const auto picked = cherry_pick(repo.get(), lookup_commit(repo.get(), made).get(), onto.get());
    if (!picked) {
      committed.follow_up_fallback = "the change does not apply cleanly on the head of " + follow_up.branch + " (" +
                                     short_id(follow_up.head) + ")";
      return committed;
    }
    to_push = oid_hex(*picked);
  }

  PushRequest request{repo.get(), &options, committed.remote_display, to_push, follow_up.branch};
  const PushResult push = push_branch(request);
  committed.push_attempts += push.attempts;
  if (push.status != PushStatus::pushed) {
    committed.follow_up_fallback = mask_credentials(refusal_reason(push, follow_up.branch), options);
    return committed;
  }
  committed.outcome = Outcome::pushed;
  committed.followed_up = true;
  committed.commit = to_push;
  committed.branch = follow_up.branch;
  if (options.log) options.log("pushed " + short_id(to_push) + " onto the merge request's branch " + follow_up.branch);
  return committed;
}

}  // namespace flowrun::git::detail
