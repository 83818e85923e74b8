#pragma once
// Whether anything the commands started is still running once they are over: the git phase must not read a work
// tree that a leftover process is still writing (or move .git/HEAD under it).
#include <sys/types.h>

#include <vector>

namespace flowrun::exec {

// flowrun's live descendants (zombies excluded), found through /proc. Orphans of the commands count when flowrun
// adopts them (see reaper.h); without /proc the list is empty.
std::vector<pid_t> live_descendants();

}  // namespace flowrun::exec
