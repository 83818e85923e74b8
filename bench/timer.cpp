// flowrun_bench_timer RESULT_FILE PROGRAM [ARGS...]: runs PROGRAM with this process's stdin, stdout and stderr, and
// writes one line to RESULT_FILE: "<wall ns> <user us> <system us> <peak RSS KiB> <exit status>". The times and the
// peak RSS come from wait4 for that one child (and what it waited for), so no interpreter start-up is counted and
// /usr/bin/time is not needed. Exit status: the program's (128 + signal when killed), 127 when it cannot start.
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s RESULT_FILE PROGRAM [ARGS...]\n", argv[0]);
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  const pid_t child = fork();
  if (child < 0) {
    std::perror("fork");
    return 127;
  }
  if (child == 0) {
    execvp(argv[2], argv + 2);
    std::fprintf(stderr, "%s: %s\n", argv[2], std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  while (wait4(child, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      std::perror("wait4");
      return 127;
    }
  }
  const auto wall = std::chrono::steady_clock::now() - start;
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  auto micros = [](const timeval& t) { return static_cast<long long>(t.tv_sec) * 1000000LL + t.tv_usec; };
  std::FILE* out = std::fopen(argv[1], "w");
  if (out == nullptr) {
    std::perror(argv[1]);
    return 127;
  }
  std::fprintf(out, "%lld %lld %lld %ld %d\n",
               static_cast<long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count()),
               micros(usage.ru_utime), micros(usage.ru_stime), usage.ru_maxrss, code);
  std::fclose(out);
  return code;
}
