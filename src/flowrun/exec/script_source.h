#pragma once
// Where bash reads the session script from: its standard input, as with GitLab Runner's Docker executor, but an
// anonymous in-memory file rather than a pipe: bash reads a pipe one byte at a time (so as not to take input meant
// for the commands), a regular file in blocks. The commands never see it: Runner's script gives them /dev/null.
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
