#pragma once
// Ends the processes that write into this process's standard input when it is a pipe: how `flowrun agent-log` stops
// an agent CLI that would otherwise retry a hopeless request for minutes (Claude Code ignores a closed pipe).
namespace flowrun::agent {

// SIGTERM to every process (of this user) whose standard output is the pipe this process reads on stdin. Returns how
// many were signalled; 0 when stdin is not a pipe or /proc cannot be read.
int stop_stdin_writers();

}  // namespace flowrun::agent
