#pragma once
// Where a merge request's changes live, as GET /projects/:id/merge_requests/:iid says: the branch a follow-up
// request is pushed to when it is in the same project.
#include <optional>
#include <string>
#include <string_view>

#include "flowrun/gitlab/client.h"

namespace flowrun::gitlab {

struct MergeRequestSource {
  long long iid = 0;
  std::string state;  // opened, merged, closed, locked
  std::string source_branch;
  long long source_project_id = 0;
  long long project_id = 0;  // the target project
  std::string sha;           // the head of the source branch when GitLab answered (40 hex)
  std::string web_url;
  bool same_project() const { return source_project_id != 0 && source_project_id == project_id; }
};

// nullopt with `error` saying what went wrong when GitLab does not answer with a merge request.
std::optional<MergeRequestSource> read_merge_request_source(Client& client, std::string_view project, long long iid,
                                                            std::string& error);

}  // namespace flowrun::gitlab
