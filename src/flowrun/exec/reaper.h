#pragma once
// Orphaned processes of the commands. When a command's child outlives its parent (a background job of a
// killed shell, a daemon that double-forked), Linux re-parents it to the nearest "child subreaper", or to PID 1.
// In a container flowrun may itself be PID 1; then nobody else would ever collect those zombies.
namespace flowrun::exec {

// Makes orphans of flowrun's descendants become children of flowrun (prctl PR_SET_CHILD_SUBREAPER), so a
// timed-out session can find and kill them and reap_orphans() can collect them. Best effort: without
// subreaper support (Linux < 3.4) orphans go to PID 1 as before.
void become_child_subreaper();

// True when orphans of flowrun's descendants end up as flowrun's children: it is a subreaper, or PID 1.
bool adopts_orphans();

// Collects every child of flowrun that has exited (waitpid(-1, WNOHANG) until none is left). Does nothing unless
// adopts_orphans(), since otherwise the only children flowrun has are its own and someone waits for them.
// Call it only while no other part of flowrun waits for a particular child of its own (run_session calls it
// after it has collected the shell's status): waitpid(-1) would take that child's status away.
void reap_orphans();

}  // namespace flowrun::exec
