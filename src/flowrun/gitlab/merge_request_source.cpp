#include "flowrun/gitlab/merge_request_source.h"

#include "flowrun/gitlab/internal/json.h"
#include "flowrun/gitlab/reporter.h"

namespace flowrun::gitlab {

std::optional<MergeRequestSource> read_merge_request_source(Client& client, std::string_view project, long long iid,
                                                            std::string& error) {
  const std::string path = "/projects/" + encoded_api_id(project) + "/merge_requests/" + std::to_string(iid);
  Response response = client.get(path);
  if (!response.ok()) {
    error = "could not read merge request !" + std::to_string(iid) + ": " + response.error;
    return std::nullopt;
  }
  auto parsed = internal::parse_json(response.body);
  if (!parsed || !parsed->is_object()) {
    error = "GitLab's answer about merge request !" + std::to_string(iid) + " is not a merge request";
    return std::nullopt;
  }
  MergeRequestSource source;
  source.iid = internal::integer_field(*parsed, "iid").value_or(iid);
  source.state = internal::string_field(*parsed, "state");
  source.source_branch = internal::string_field(*parsed, "source_branch");
  source.source_project_id = internal::integer_field(*parsed, "source_project_id").value_or(0);
  source.project_id = internal::integer_field(*parsed, "project_id").value_or(0);
  source.sha = internal::string_field(*parsed, "sha");
  source.web_url = internal::string_field(*parsed, "web_url");
  if (source.source_branch.empty()) {
    error = "merge request !" + std::to_string(iid) + " has no source branch in GitLab's answer";
    return std::nullopt;
  }
  return source;
}

}  // namespace flowrun::gitlab
