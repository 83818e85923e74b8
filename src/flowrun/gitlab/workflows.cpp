#include "flowrun/gitlab/workflows.h"

#include <algorithm>

#include "flowrun/gitlab/internal/json.h"
#include "flowrun/gitlab/reporter.h"

namespace flowrun::gitlab {

namespace {

using nlohmann::json;

constexpr std::string_view kWorkflowsPath = "/ai/duo_workflows/workflows";

bool is_numeric(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The project's full path: the request's own when it is a path, else GitLab's path_with_namespace for the id.
std::string project_full_path(Client& client, const std::string& project) {
  if (!is_numeric(project)) return project;
  Response response = client.get("/projects/" + project);
  if (!response.ok()) return "";
  auto parsed = internal::parse_json(response.body);
  return parsed ? internal::string_field(*parsed, "path_with_namespace") : "";
}

}  // namespace

const std::vector<std::string>& workflow_environments() {
  static const std::vector<std::string> environments{"ide", "web", "chat_partial", "chat", "ambient"};
  return environments;
}

std::string start_workflow_body(const StartWorkflowRequest& request) {
  json body = json::object();
  body["goal"] = request.goal;
  body["project_id"] = request.project;
  body["start_workflow"] = request.start;
  if (request.consumer_id) body["ai_catalog_item_consumer_id"] = *request.consumer_id;
  if (request.definition) body["workflow_definition"] = *request.definition;
  if (request.source_branch) body["source_branch"] = *request.source_branch;
  if (request.issue_iid) body["issue_id"] = *request.issue_iid;
  if (request.merge_request_iid) body["merge_request_id"] = *request.merge_request_iid;
  if (request.environment) body["environment"] = *request.environment;
  return internal::dump(body);
}

StartedWorkflow start_workflow(Client& client, const StartWorkflowRequest& request) {
  StartedWorkflow started;
  Response response = client.post_json(kWorkflowsPath, start_workflow_body(request));
  if (!response.ok()) {
    started.error = "GitLab did not start the flow: " + response.error;
    if (response.status == 404)
      started.error += ". The flows API needs GitLab Premium or Ultimate with GitLab Duo Agent Platform turned on";
    return started;
  }
  started.raw_json = response.body;
  auto parsed = internal::parse_json(response.body);
  if (!parsed || !parsed->is_object()) {
    started.error = "GitLab's answer to POST " + std::string(kWorkflowsPath) + " is not a JSON object";
    return started;
  }
  started.id = internal::integer_field(*parsed, "id").value_or(0);
  started.status = internal::string_field(*parsed, "status");
  started.workflow_definition = internal::string_field(*parsed, "workflow_definition");
  started.gitlab_url = internal::string_field(*parsed, "gitlab_url");
  started.project_id = internal::integer_field(*parsed, "project_id").value_or(0);
  if (auto workload = parsed->find("workload"); workload != parsed->end() && workload->is_object()) {
    started.workload_id = internal::string_field(*workload, "id");
    started.workload_message = internal::string_field(*workload, "message");
  }

  std::string instance = started.gitlab_url.empty() ? web_base_url(client.api_base_url()) : started.gitlab_url;
  while (!instance.empty() && instance.back() == '/') instance.pop_back();
  const std::string path = project_full_path(client, request.project);
  if (started.id > 0 && !path.empty())
    started.session_url = instance + "/" + path + "/-/automate/agent-sessions/" + std::to_string(started.id);
  return started;
}

AgentPrivileges list_agent_privileges(Client& client) {
  AgentPrivileges result;
  Response response = client.get(std::string(kWorkflowsPath) + "/agent_privileges");
  if (!response.ok()) {
    result.error = "GitLab did not list the agent privileges: " + response.error;
    return result;
  }
  result.raw_json = response.body;
  auto parsed = internal::parse_json(response.body);
  const json* list = nullptr;
  if (parsed && parsed->is_object()) {
    auto it = parsed->find("all_privileges");
    if (it != parsed->end() && it->is_array()) list = &*it;
  }
  if (list == nullptr) {
    result.error = "GitLab's answer has no all_privileges list";
    return result;
  }
  for (const json& item : *list) {
    if (!item.is_object()) continue;
    AgentPrivilege privilege;
    privilege.id = internal::integer_field(item, "id").value_or(0);
    privilege.name = internal::string_field(item, "name");
    privilege.description = internal::string_field(item, "description");
    auto enabled = item.find("default_enabled");
    privilege.default_enabled = enabled != item.end() && enabled->is_boolean() && enabled->get<bool>();
    result.privileges.push_back(std::move(privilege));
  }
  return result;
}

std::string started_workflow_json(const StartedWorkflow& started) {
  json out{{"id", started.id},
           {"status", started.status},
           {"workflow_definition", started.workflow_definition},
           {"project_id", started.project_id},
           {"gitlab_url", started.gitlab_url},
           {"workload", {{"id", started.workload_id}, {"message", started.workload_message}}},
           {"session_url", started.session_url}};
  return out.dump(2, ' ', false, json::error_handler_t::replace);
}

std::string agent_privileges_json(const AgentPrivileges& privileges) {
  json list = json::array();
  for (const AgentPrivilege& privilege : privileges.privileges) {
    list.push_back({{"id", privilege.id},
                    {"name", privilege.name},
                    {"description", privilege.description},
                    {"default_enabled", privilege.default_enabled}});
  }
  return json{{"all_privileges", list}}.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace flowrun::gitlab
