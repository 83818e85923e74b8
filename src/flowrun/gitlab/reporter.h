#pragma once
// Posting the run's note where it was asked for: one note per run, edited in place when the run reports again.
#include <string>
#include <string_view>

#include "flowrun/gitlab/client.h"
#include "flowrun/gitlab/merge_request.h"
#include "flowrun/gitlab/target.h"

namespace flowrun::gitlab {

struct ReportResult {
  bool posted = false;         // the note is on GitLab
  bool updated = false;        // an earlier note of this run (same marker) was edited instead of adding one
  bool in_discussion = false;  // it is a reply in the triggering thread
  long long note_id = 0;
  std::string url;    // the noteable's web_url + "#note_<id>", when the web_url is known
  std::string error;  // why it is not posted, and what to do
};

// Posts `body` on `noteable`, as a reply in its discussion when discussion_id is set
// (POST /projects/:id/{issues|merge_requests}/:iid/discussions/:discussion_id/notes, or the epic's under /groups),
// otherwise as a top-level note (POST .../notes). Exactly one note per marker:
//  - before creating, the note that ends with marker_comment(marker) is looked for (the discussion's notes, or the
//    newest 300 top-level notes) and, when found, edited (PUT .../notes/:note_id);
//  - a POST retried after an attempt that may have gone through first looks for the marker again.
// When the Discussions API is refused (403/404, e.g. for AI_FLOW_GITLAB_TOKEN or a deleted thread) the note becomes
// a top-level note. `body` normally ends with the marker comment already (render_note does that); it is appended when
// it does not. An empty marker turns the look-up off. Epics are addressed by their id, looked up from the iid when the
// context did not give it (GET /groups/:id/epics/:iid).
ReportResult post_note(Client& client, const Noteable& noteable, std::string_view body, std::string_view marker);

// The API path of a project or group as used in URLs: a numeric id as is, a path URL-encoded ("g%2Fp").
std::string encoded_api_id(std::string_view id_or_path);

}  // namespace flowrun::gitlab
