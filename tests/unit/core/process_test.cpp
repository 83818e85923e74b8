// flowrun's one way to start a program: output, exit status, signals, timeouts, the process group, and exactly the
// environment and descriptors it is given.
#include "flowrun/core/process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace flowrun::core {
namespace {

using namespace std::chrono_literals;

RunRequest bash(const std::string& script) {
  RunRequest request;
  request.executable = "/bin/bash";
  request.arguments = {"-c", script};
  request.environment = {"PATH=/usr/bin:/bin"};
  request.timeout = 20s;
  return request;
}

// Whether the process `pid` is gone (exited) within `bound`: its pidfd becomes readable when it exits, and it
// cannot be opened once the process has been reaped.
bool ends_within(pid_t pid, std::chrono::milliseconds bound) {
  const long fd = ::syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0) return errno == ESRCH;
  pollfd entry{static_cast<int>(fd), POLLIN, 0};
  const int ready = ::poll(&entry, 1, static_cast<int>(bound.count()));
  ::close(static_cast<int>(fd));
  return ready == 1;
}

TEST(CoreRunProcess, CollectsBothStreamsAndTheExitStatus) {
  const RunResult run = run_process(bash("echo to-out; echo to-err >&2; exit 3"));
  ASSERT_TRUE(run.started) << run.error;
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.signal, 0);
  EXPECT_FALSE(run.timed_out);
  EXPECT_EQ(run.out, "to-out\n");
  EXPECT_EQ(run.err, "to-err\n");
}

TEST(CoreRunProcess, WritesTheInputThenClosesIt) {
  RunRequest request = bash("cat; echo end");
  request.input = std::string(3 * 1024 * 1024, 'x');  // more than a pipe holds: written while output is read
  const RunResult run = run_process(request);
  ASSERT_TRUE(run.started) << run.error;
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out.size(), request.input->size() + 4);
}

TEST(CoreRunProcess, WithoutInputStdinIsDevNull) {
  const RunResult run = run_process(bash("readlink /proc/self/fd/0"));
  EXPECT_EQ(run.out, "/dev/null\n");
}

TEST(CoreRunProcess, TheEnvironmentIsExactlyTheOneGiven) {
  RunRequest request;
  request.executable = "/usr/bin/env";
  request.environment = {"ONLY=this"};
  const RunResult run = run_process(request);
  EXPECT_EQ(run.out, "ONLY=this\n");
}

TEST(CoreRunProcess, ArgvZeroIsTheExecutableUnlessGiven) {
  RunRequest request = bash("echo \"$0\"");
  request.arguments.push_back("named");
  EXPECT_EQ(run_process(request).out, "named\n");
  request = bash("cat /proc/$$/cmdline | tr '\\0' ' '");
  request.argv0 = "my-shell";
  EXPECT_EQ(run_process(request).out.rfind("my-shell -c", 0), 0U);
}

TEST(CoreRunProcess, ASignalIsReportedAsSuch) {
  const RunResult run = run_process(bash("kill -TERM $$"));
  ASSERT_TRUE(run.started);
  EXPECT_EQ(run.exit_code, -1);
  EXPECT_EQ(run.signal, SIGTERM);
}

TEST(CoreRunProcess, TheTimeoutKillsTheWholeGroup) {
  RunRequest request = bash("sleep 300 & echo $!; wait");
  request.timeout = 300ms;
  const RunResult run = run_process(request);
  EXPECT_TRUE(run.timed_out);
  EXPECT_EQ(run.signal, SIGKILL);
  const pid_t background = std::stoi(run.out);
  EXPECT_TRUE(ends_within(background, 5s));
}

TEST(CoreRunProcess, AProgramThatIgnoresSigtermIsKilledAfterTheGrace) {
  RunRequest request = bash("trap '' TERM; echo ready; while :; do sleep 0.1; done");
  request.timeout = 300ms;
  request.kill_grace = 200ms;
  const RunResult run = run_process(request);
  EXPECT_TRUE(run.timed_out);
  EXPECT_EQ(run.signal, SIGKILL);
  EXPECT_EQ(run.out, "ready\n");
}

TEST(CoreRunProcess, WhatTheProgramLeftInItsGroupIsKilledWhenItExits) {
  // The background sleep holds stdout open: without the group kill, reading would wait for it.
  const RunResult run = run_process(bash("sleep 300 & echo $!"));
  ASSERT_TRUE(run.started);
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_FALSE(run.timed_out);
  EXPECT_TRUE(ends_within(std::stoi(run.out), 5s));
}

TEST(CoreRunProcess, OutputBeyondTheLimitIsDropped) {
  RunRequest request = bash("head -c 200000 /dev/zero");
  request.output_limit = 1000;
  const RunResult run = run_process(request);
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out.size(), 1000U);
}

TEST(CoreRunProcess, AMissingProgramDoesNotStart) {
  RunRequest request;
  request.executable = "/nonexistent/flowrun-no-such-program";
  const RunResult run = run_process(request);
  EXPECT_FALSE(run.started);
  EXPECT_FALSE(run.error.empty());
}

TEST(CoreRunProcess, RunsInTheWorkdir) {
  RunRequest request = bash("pwd");
  request.workdir = "/tmp";
  EXPECT_EQ(run_process(request).out, "/tmp\n");
}

TEST(CoreSpawnProcess, TheChildLeadsItsOwnGroupWithDefaultSignalsAndOnlyTheGivenDescriptors) {
  // Ignored and blocked signals are inherited across exec unless the launcher resets them.
  struct sigaction ignore {
  }, previous_action{};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGUSR2, &ignore, &previous_action), 0);
  sigset_t block, previous_mask;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &block, &previous_mask), 0);
  // A descriptor opened without close-on-exec, as a library might leave one.
  const int stray = ::fcntl(::open("/dev/null", O_RDONLY), F_DUPFD, 60);
  ASSERT_GE(stray, 60);
  int extra[2];
  ASSERT_EQ(::pipe2(extra, O_CLOEXEC), 0);
  const int extra_write = ::fcntl(extra[1], F_DUPFD_CLOEXEC, 10);
  ::close(extra[1]);
  int output[2];
  ASSERT_EQ(::pipe2(output, O_CLOEXEC), 0);

  SpawnRequest request;
  request.executable = "/bin/bash";
  request.arguments = {"-c",
                       "echo extra >&3; read -r _ _ _ _ group _ < /proc/$$/stat; echo \"$$ $group\";"
                       " grep -E '^Sig(Ign|Blk)' /proc/self/status; ls /proc/self/fd | sort -n | tr '\\n' ' '"};
  request.stdout_fd = output[1];
  request.stderr_fd = output[1];
  request.extra_fds = {{extra_write, 3}};
  const SpawnResult spawned = spawn_process(request);
  ::close(output[1]);
  ::close(extra_write);
  ::pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);
  ::sigaction(SIGUSR2, &previous_action, nullptr);
  ::close(stray);
  ASSERT_GT(spawned.pid, 0) << spawned.error;

  std::string out, from_extra;
  char buffer[4096];
  for (ssize_t got; (got = ::read(output[0], buffer, sizeof buffer)) > 0;) out.append(buffer, got);
  for (ssize_t got; (got = ::read(extra[0], buffer, sizeof buffer)) > 0;) from_extra.append(buffer, got);
  ::close(output[0]);
  ::close(extra[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(spawned.pid, &status, 0), spawned.pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;

  EXPECT_EQ(from_extra, "extra\n");
  const std::string pid = std::to_string(spawned.pid);
  EXPECT_NE(out.find(pid + " " + pid + "\n"), std::string::npos) << out;
  EXPECT_NE(out.find("SigIgn:\t0000000000000000\n"), std::string::npos) << out;
  EXPECT_NE(out.find("SigBlk:\t0000000000000000\n"), std::string::npos) << out;
  // 0-2, 3, and the one `ls` opens to read /proc/self/fd; not the stray one.
  EXPECT_NE(out.find("0 1 2 3 "), std::string::npos) << out;
  EXPECT_EQ(out.find(" " + std::to_string(stray) + " "), std::string::npos) << out;
}

TEST(CoreSpawnProcess, AProgramThatCannotBeExecutedIsAnError) {
  SpawnRequest request;
  request.executable = "/etc/hostname";  // a file, not executable
  const SpawnResult spawned = spawn_process(request);
  EXPECT_EQ(spawned.pid, -1);
  EXPECT_FALSE(spawned.error.empty());
}

}  // namespace
}  // namespace flowrun::core
