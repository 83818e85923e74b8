#include "flowrun/flow/command_checks.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "flowrun/flow/agent_checks.h"
#include "flowrun/flow/known_bug_checks.h"
#include "flowrun/flow/secret_checks.h"
#include "flowrun/flow/shell_syntax.h"
#include "flowrun/flow/shellcheck.h"
#include "flowrun/flow/variable_checks.h"

namespace flowrun::flow {
namespace {

// Runs job(0) ... job(count - 1) on a few threads. The jobs mostly wait for bash or shellcheck, which run as
// separate processes, so one thread per core keeps the cores busy.
void run_jobs(std::size_t count, const std::function<void(std::size_t)>& job) {
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t threads = std::min<std::size_t>({count, cores, 8});
  if (threads <= 1) {
    for (std::size_t i = 0; i < count; ++i) job(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      try {
        job(i);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
}

// The checks flowrun makes by reading the commands itself.
std::vector<Diagnostic> check_in_process(const Flow& flow) {
  std::vector<ShellScan> scans;
  scans.reserve(flow.commands.size());
  for (const auto& command : flow.commands) scans.push_back(scan_shell(command.text));
  std::vector<Diagnostic> findings = check_variables(flow, scans);
  for (auto* more : {&check_secrets, &check_known_bugs, &check_agents}) {
    auto found = (*more)(flow, scans);
    findings.insert(findings.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  return findings;
}

}  // namespace

std::vector<std::vector<Diagnostic>> check_commands(const std::vector<const Flow*>& flows,
                                                    const CommandCheckOptions& options) {
  std::vector<std::vector<Diagnostic>> results(flows.size());
  ShellSyntaxCheck syntax(flows);
  const std::size_t batches = syntax.batch_count();
  // The syntax batches first: they are the longest jobs, and the rest fills in around them.
  run_jobs(batches + flows.size(), [&](std::size_t job) {
    if (job < batches) {
      syntax.check_batch(job);
    } else if (const Flow* flow = flows[job - batches]; flow != nullptr) {
      results[job - batches] = check_in_process(*flow);
    }
  });

  std::vector<std::vector<Diagnostic>> shellcheck_results(flows.size());
  if (options.use_shellcheck && shellcheck_available()) {
    // After bash: shellcheck's parse errors are dropped for flows bash already found errors in.
    run_jobs(flows.size(), [&](std::size_t f) {
      if (flows[f] == nullptr) return;
      shellcheck_results[f] = run_shellcheck(*flows[f], has_errors(syntax.findings(f)));
    });
  }

  for (std::size_t f = 0; f < flows.size(); ++f) {
    auto& findings = results[f];
    const auto& from_bash = syntax.findings(f);
    findings.insert(findings.end(), from_bash.begin(), from_bash.end());
    findings.insert(findings.end(), std::make_move_iterator(shellcheck_results[f].begin()),
                    std::make_move_iterator(shellcheck_results[f].end()));
    sort_diagnostics(findings);
  }
  return results;
}

}  // namespace flowrun::flow
