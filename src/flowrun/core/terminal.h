#pragma once
// Whether flowrun may write ANSI colour to a stream.
namespace flowrun {

class Environment;

// Colour when the stream is a terminal or the job log of GitLab CI (which renders ANSI colour),
// never when NO_COLOR is set (https://no-color.org), and always when FORCE_COLOR is set.
bool color_enabled(int fd, const Environment& env);

}  // namespace flowrun
