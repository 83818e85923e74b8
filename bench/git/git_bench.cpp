// Commits what changed in a work tree with the git module (detect, stage, commit; no push), for bench/git_bench.sh.
// Usage: flowrun_git_bench <work tree>. Prints the files committed and the time taken in milliseconds.
#include <chrono>
#include <cstdio>

#include "flowrun/git/git.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <work tree>\n", argv[0]);
    return 2;
  }
  flowrun::git::GitOptions options;
  options.workdir = argv[1];
  options.base_commit = flowrun::git::head_commit(options.workdir).value_or("");
  options.push = false;
  options.author = options.committer = {"Bench", "bench@example.com"};
  options.message = "bench commit";
  const auto started = std::chrono::steady_clock::now();
  // Progress lines with the time they came, to see where the time goes.
  options.log = [&started](std::string_view line) {
    const auto at = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
    std::fprintf(stderr, "[%7.1f ms] %.*s\n", at.count(), static_cast<int>(line.size()), line.data());
  };
  const auto result = flowrun::git::commit_and_push(options);
  const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
  if (result.outcome != flowrun::git::Outcome::committed) {
    std::fprintf(stderr, "unexpected outcome %s: %s\n", std::string(to_string(result.outcome)).c_str(),
                 result.error.c_str());
    return 1;
  }
  std::printf("%zu files committed in %.1f ms\n", result.changes.files.size(), elapsed.count());
  return 0;
}
