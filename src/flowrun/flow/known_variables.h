#pragma once
// Variables a flow's commands may use without listing them under `variables`: GitLab puts them into the job
// (CI_*, AI_FLOW_*, ...), or bash and the operating system set them (HOME, PATH, $1, ...).
#include <string_view>

namespace flowrun::flow {

bool is_provided_variable(std::string_view name);

}  // namespace flowrun::flow
