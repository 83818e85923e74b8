#pragma once
// Started by a launcher that stays in between (`npx flowrun ...`: npm keeps its own process as flowrun's parent and
// exits on SIGTERM without passing it on), flowrun would never hear that the job was cancelled. The npm package's
// launcher sets FLOWRUN_STOP_WITH_PARENT to its parent's process id; flowrun then asks the kernel for SIGTERM when
// that parent goes, which the run treats as a cancellation.
namespace flowrun {

// Reads and removes FLOWRUN_STOP_WITH_PARENT from this process's environment (so the commands flowrun runs never
// inherit it), and arranges SIGTERM on the parent's exit when it names this process's parent. A parent already gone
// raises SIGTERM at once.
void stop_with_parent_if_asked();

}  // namespace flowrun
