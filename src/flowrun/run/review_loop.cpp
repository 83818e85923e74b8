#include "flowrun/run/review_loop.h"

#include "flowrun/gitlab/merge_request_source.h"
#include "flowrun/gitlab/target.h"
#include "flowrun/log/logger.h"
#include "flowrun/run/api_client.h"

namespace flowrun::run {

git::PushCheckRules push_check_rules(const RunContext& context) {
  git::PushCheckRules rules;
  rules.enabled = true;
  rules.protected_globs = context.plan.review.protected_paths;
  rules.allowed_globs = context.plan.review.allowed_protected;
  rules.max_file_bytes = context.plan.review.max_file_bytes;
  if (context.masker) {
    rules.mask = [masker = context.masker](std::string_view text) { return masker->mask(text); };
  }
  return rules;
}

bool branch_chosen(const RunContext& context) { return context.plan.branch_named; }

std::optional<git::FollowUp> follow_up_target(const RunContext& context, std::string& why_not) {
  why_not.clear();
  const Environment& env = context.job_env;
  gitlab::NoteableOverride override;
  override.issue_iid = context.settings.issue_iid;
  override.merge_request_iid = context.settings.merge_request_iid;
  const auto noteable = gitlab::resolve_noteable(env.get("AI_FLOW_CONTEXT").value_or(""),
                                                 env.get("AI_FLOW_EVENT").value_or(""), env, override);
  if (!noteable || noteable->kind != gitlab::Noteable::Kind::merge_request) return std::nullopt;
  const std::string reference = "!" + std::to_string(noteable->iid);
  if (context.plan.review.push_to == PushTo::workload_branch) {
    why_not = "the flow pushes to a workload branch (push_to: workload-branch)";
    return std::nullopt;
  }
  if (branch_chosen(context)) {
    why_not = "the flow names the branch to push to";
    return std::nullopt;
  }
  auto client = make_api_client(context);
  if (!client) {
    why_not = "flowrun cannot read " + reference + " without a GitLab URL and token";
    return std::nullopt;
  }
  std::string error;
  const auto source = gitlab::read_merge_request_source(*client, noteable->project, noteable->iid, error);
  if (!source) {
    why_not = context.mask(error);
    return std::nullopt;
  }
  if (source->state != "opened") {
    why_not = reference + " is " + (source->state.empty() ? "not open" : source->state);
    return std::nullopt;
  }
  if (!source->same_project()) {
    why_not = "the source branch of " + reference + " is in a fork, where the agent's token may not push";
    return std::nullopt;
  }
  const auto default_branch = env.non_empty("CI_DEFAULT_BRANCH");
  if (default_branch && source->source_branch == *default_branch) {
    why_not = "the source branch of " + reference + " is the project's default branch";
    return std::nullopt;
  }
  if (!git::is_valid_branch_name(source->source_branch) || source->sha.size() != 40) {
    why_not = "GitLab gave no usable source branch and head commit for " + reference;
    return std::nullopt;
  }
  log::info("started from " + reference + ": the commit goes onto its branch " + source->source_branch + " (head " +
            source->sha.substr(0, 12) + ")");
  return git::FollowUp{source->source_branch, source->sha};
}

gitlab::MergeRequestDetails merge_request_details(const RunContext& context) {
  gitlab::MergeRequestDetails details;
  details.draft = context.plan.review.draft;
  details.labels = context.plan.review.labels;
  if (auto id = context.job_env.non_empty("GITLAB_USER_ID")) {
    try {
      if (const long long value = std::stoll(*id); value > 0) details.reviewer_ids.push_back(value);
    } catch (const std::exception&) {
      log::warn("GITLAB_USER_ID is not a user id; the merge request gets no reviewer");
    }
  }
  return details;
}

void review_loop_notes(const GitReport& git, gitlab::NoteModel& model) {
  const bool pushed = was_pushed(git.outcome);
  if (!pushed) return;
  if (git.followed_up) {
    model.notes.push_back("Added the commit " + git.commit.substr(0, 12) + " to this merge request (branch " +
                          git.branch + "); its description is unchanged.");
  } else if (!git.follow_up_fallback.empty()) {
    model.notes.push_back("The changes are on their own branch, with a merge request into this one's branch: " +
                          git.follow_up_fallback + ".");
  }
}

}  // namespace flowrun::run
