#pragma once
// The flow's `image:` against images known not to exist: flowrun's placeholder image name, which no registry
// publishes, makes the job fail before it starts ("failed to pull image").
#include <string_view>
#include <vector>

#include "flowrun/flow/diagnostic.h"
#include "flowrun/flow/flow.h"

namespace flowrun::flow {

// The repository of the placeholder image that flows once named; any tag of it is unpublished.
inline constexpr std::string_view placeholder_image_repository = "registry.gitlab.com/flowrun/flowrun";

// A warning when `image:` names the placeholder image.
std::vector<Diagnostic> check_image(const Flow& flow);

}  // namespace flowrun::flow
