#include "flowrun/core/parent_watch.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <charconv>
#include <string_view>

namespace flowrun {

namespace {

constexpr const char* kVariable = "FLOWRUN_STOP_WITH_PARENT";

}  // namespace

void stop_with_parent_if_asked() {
  const char* value = ::getenv(kVariable);
  if (value == nullptr) return;
  const std::string_view text(value);
  pid_t parent = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parent);
  const bool valid = error == std::errc() && end == text.data() + text.size() && parent > 1;
  ::unsetenv(kVariable);
  if (!valid) return;
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  // The parent may have gone before the request took effect: then flowrun has a new parent already.
  if (::getppid() != parent) ::raise(SIGTERM);
}

}  // namespace flowrun
