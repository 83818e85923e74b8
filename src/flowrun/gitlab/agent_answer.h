#pragma once
// The agent's own words in GitLab: its final message at the top of the note, and as the merge request's title and
// description. The message is the agent's text: it is neutralised here (no quick action, mention or Markdown that
// acts) and cut to a size a thread can carry, with a pointer to the job log for the rest. Mask it before.
#include <string>
#include <string_view>

#include "flowrun/gitlab/merge_request.h"

namespace flowrun::gitlab {

// The note keeps this much of the agent's message; the merge request description twice as much.
inline constexpr std::size_t kAgentMessageInNoteBytes = 6000;

// The message as inert Markdown of at most about `max_bytes`, ending with a line that links `job_url` when cut.
std::string agent_message_markdown(std::string_view message, std::string_view job_url, std::size_t max_bytes);

// The merge request from the agent's summary: the title is the summary's first sentence-like line when there is one
// (else `fallback.title`); the description is `fallback.description` (where it was requested, by whom, the job,
// "Closes #N") followed by the summary. `requester` is the GitLab user name of who asked (GITLAB_USER_LOGIN), linked on
// `server_url`, never mentioned. When the agent `stopped_early`, the description says so first: the work is partial.
MergeRequestText merge_request_text_from_answer(const MergeRequestText& fallback, std::string_view message,
                                                std::string_view requester, std::string_view server_url,
                                                std::string_view job_url, std::string_view stopped_early = {});

}  // namespace flowrun::gitlab
