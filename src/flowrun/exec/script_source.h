#pragma once
// Where bash reads the session script from: an anonymous in-memory file, never a path on disk that another
// process could read or change, and never bash's stdin (which stays empty for the commands).
#include <string>
#include <string_view>

#include "flowrun/exec/unique_fd.h"

namespace flowrun::exec {

struct ScriptSource {
  UniqueFd fd;        // readable from offset 0, close-on-exec; invalid on error
  std::string error;  // why it could not be made
};

// A sealed memfd holding `text` (or, where memfd_create is not allowed, an unnamed O_TMPFILE file).
ScriptSource make_script_source(std::string_view text);

}  // namespace flowrun::exec
