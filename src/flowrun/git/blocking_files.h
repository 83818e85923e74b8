#pragma once
// FIFOs the agent may leave where git reads (.gitattributes, a .gitignore, a config include.path target): opening
// one for reading blocks until someone writes. Found only when a step of the git phase stalls, since looking costs
// a walk of the tree. Internal.
#include <filesystem>
#include <vector>

namespace flowrun::git::detail {

// The FIFOs in the work tree and its git directory (links followed only to see where they point), and those that
// the repository's config includes.
std::vector<std::filesystem::path> find_fifos(const std::filesystem::path& top, const std::filesystem::path& git_dir);

// Opens each FIFO for writing without blocking and closes it at once: a reader blocked in open() gets the FIFO and
// then end of file, as if the file were empty, which is what git would commit for it (nothing).
void release_fifo_readers(const std::vector<std::filesystem::path>& fifos);

}  // namespace flowrun::git::detail
