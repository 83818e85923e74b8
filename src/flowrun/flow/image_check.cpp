#include "flowrun/flow/image_check.h"

#include <string>

namespace flowrun::flow {

std::vector<Diagnostic> check_image(const Flow& flow) {
  const std::string& image = flow.image.value;
  const std::string repository(placeholder_image_repository);
  if (image != repository && !image.starts_with(repository + ":") && !image.starts_with(repository + "@")) return {};
  return {{flow.image.position, Severity::warning,
           "`" + image +
               "` is a placeholder that no registry publishes: the job would fail to pull it. Use the stock "
               "`node:22-slim` with the handoff `exec npx --yes flowrun@VERSION run NAME` (what `flowrun init` "
               "writes), or an image of yours with flowrun inside (docker/README.md)",
           "image-placeholder"}};
}

}  // namespace flowrun::flow
