#pragma once
// Internal to flowrun_gitlab: reading as much as possible of a JSON object that may have been cut short.
#include <nlohmann/json.hpp>
#include <string_view>

namespace flowrun::gitlab::internal {

// The members of the top-level object in `text` that are complete before the text ends or stops being JSON.
// GitLab cuts AI_FLOW_CONTEXT at about 100,000 characters, usually inside a long diff or comment list, after the
// fields that say what the resource is (id, iid, project_id, title, web_url come first). An empty object when
// `text` does not start with '{'.
nlohmann::json salvage_object_members(std::string_view text);

}  // namespace flowrun::gitlab::internal
