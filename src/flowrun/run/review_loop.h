#pragma once
// The review loop: the checks before pushing, and where a follow-up request on a merge request is pushed.
#include <optional>
#include <string>

#include "flowrun/git/git.h"
#include "flowrun/git/push_checks.h"
#include "flowrun/gitlab/merge_request.h"
#include "flowrun/gitlab/note.h"
#include "flowrun/run/run_context.h"

namespace flowrun::run {

// The checks before pushing, from the review settings and the run's masker (the one secret policy: a value the run
// masks, or a token shape).
git::PushCheckRules push_check_rules(const RunContext& context);

// Whether the branch to push to was named (--branch, FLOWRUN_BRANCH, flowrun.branch) rather than derived from
// CI_WORKLOAD_REF.
bool branch_chosen(const RunContext& context);

// For a run started from a merge request (its context, a thread on it, or a merge request event): its source branch
// and head, when push_to allows it, no branch was chosen, and GitLab says the merge request is open and its branch
// is in the same project. nullopt otherwise; then `why_not` says why when the run was started from a merge request
// (for the note), and is empty when it was not.
std::optional<git::FollowUp> follow_up_target(const RunContext& context, std::string& why_not);

// Draft, labels (review settings) and the person who asked as reviewer (GITLAB_USER_ID, when the job has it).
gitlab::MergeRequestDetails merge_request_details(const RunContext& context);

// The note's lines about the review loop: the commit added to the merge request that asked, or why the changes
// went to a workload branch with a merge request of their own.
void review_loop_notes(const GitReport& git, gitlab::NoteModel& model);

}  // namespace flowrun::run
