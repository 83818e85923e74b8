#include "flowrun/core/terminal.h"

#include <unistd.h>

#include "flowrun/core/environment.h"

namespace flowrun {

bool color_enabled(int fd, const Environment& env) {
  if (env.non_empty("NO_COLOR")) return false;
  if (env.non_empty("FORCE_COLOR")) return true;
  if (env.get("GITLAB_CI") == "true") return true;
  return ::isatty(fd) == 1;
}

}  // namespace flowrun
