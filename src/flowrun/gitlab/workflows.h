#pragma once
// GitLab Duo Agent Platform flows API: start a flow (POST /ai/duo_workflows/workflows) and list the privileges an
// agent can be given (GET /ai/duo_workflows/workflows/agent_privileges). Used by `flowrun start` and
// `flowrun privileges`.
#include <optional>
#include <string>
#include <vector>

#include "flowrun/gitlab/client.h"

namespace flowrun::gitlab {

struct StartWorkflowRequest {
  std::string goal;                            // what the agent should do
  std::string project;                         // project id or full path (project_id)
  std::optional<std::string> definition;       // workflow_definition, e.g. "developer/v1"
  std::optional<long long> consumer_id;        // ai_catalog_item_consumer_id (GitLab prefers it over a definition)
  std::optional<std::string> source_branch;    // the pipeline's branch; GitLab's default: the default branch
  std::optional<long long> issue_iid;          // issue_id (an IID, despite the name)
  std::optional<long long> merge_request_iid;  // merge_request_id (an IID)
  std::optional<std::string> environment;      // ide, web, chat_partial, chat, ambient
  bool start = true;                           // start_workflow
};

struct StartedWorkflow {
  long long id = 0;
  std::string status;  // created, running, paused, finished, failed, stopped, input_required, ...
  std::string workflow_definition;
  std::string workload_id;
  std::string workload_message;
  std::string gitlab_url;  // the instance, as GitLab reports it
  long long project_id = 0;
  std::string session_url;  // <gitlab_url>/<project path>/-/automate/agent-sessions/<id>, when the path is known
  std::string raw_json;     // GitLab's answer, for --format json
  std::string error;        // empty on success
};

struct AgentPrivilege {
  long long id = 0;
  std::string name;
  std::string description;
  bool default_enabled = false;
};

struct AgentPrivileges {
  std::vector<AgentPrivilege> privileges;
  std::string raw_json;
  std::string error;  // empty on success
};

// The environments the API accepts.
const std::vector<std::string>& workflow_environments();

// The request body: only the attributes that are set; project_id is always sent as a string (id or path).
std::string start_workflow_body(const StartWorkflowRequest& request);

// Creates (and unless request.start is false, starts) the flow. When the project is given by path, the session
// link is built from it; for a numeric id the project's path is looked up (GET /projects/:id), and the link is
// left empty when that fails.
StartedWorkflow start_workflow(Client& client, const StartWorkflowRequest& request);

AgentPrivileges list_agent_privileges(Client& client);

// Machine-readable output of `flowrun start --format json` and `flowrun privileges --format json`.
std::string started_workflow_json(const StartedWorkflow& started);
std::string agent_privileges_json(const AgentPrivileges& privileges);

}  // namespace flowrun::gitlab
