#pragma once
// The state one run carries from phase to phase (internal to the run module).
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flowrun/core/environment.h"
#include "flowrun/flow/flow.h"
#include "flowrun/log/masker.h"
#include "flowrun/log/sink.h"
#include "flowrun/run/output_tail.h"
#include "flowrun/run/review_settings.h"
#include "flowrun/run/run_report.h"
#include "flowrun/run/settings.h"
#include "flowrun/run/time_budget.h"

namespace flowrun::run {

// How the commands ended, as the later phases need to know it.
enum class CommandsOutcome { not_run, succeeded, failed, timed_out, cancelled };

struct RunContext {
  RunContext(const RunSettings& run_settings, Environment environment)
      : settings(run_settings), job_env(std::move(environment)) {}

  const RunSettings& settings;
  Environment job_env;  // what the commands see: the process, --env-file, and the AI_FLOW_* stand-ins
  std::filesystem::path workdir;
  std::optional<flow::Flow> flow;
  ReviewSettings review;  // the review loop and the checks before pushing (review_settings.h)
  std::filesystem::path artifacts_dir;
  std::filesystem::path log_file;
  std::filesystem::path report_file;
  std::optional<std::filesystem::path> junit_file;
  bool color = false;
  TimeBudget budget;
  std::chrono::steady_clock::time_point started;
  std::string base_commit;  // HEAD before the commands ran
  CommandsOutcome commands_outcome = CommandsOutcome::not_run;
  std::shared_ptr<log::Masker> masker;
  std::vector<std::string> masked_variable_names;  // whose values the masker hides (see core/secret_policy.h)
  std::unique_ptr<log::MaskedOutput> output;
  OutputTail tail;
  bool capturing_tail = false;  // only the commands' output goes into the tail, not flowrun's own lines
  RunReport report;
  // After the commands: git and the report must be done by `phases_deadline`; the report keeps `report_share` of it.
  std::optional<std::chrono::steady_clock::time_point> phases_deadline;
  std::chrono::seconds report_share{0};
  std::function<bool()> cancelled;  // raised by SIGTERM/SIGINT; the later phases stop waiting when it is

  std::string mask(const std::string& text) const;
  // Writes flowrun's own line to the masked output (terminal and log file).
  void say(const std::string& line);
  void section_start(const std::string& name, const std::string& header);
  void section_end(const std::string& name);
  bool is_ci() const { return job_env.get("GITLAB_CI") == "true" || job_env.get("CI") == "true"; }
};

// Phases, each in its own file.
void run_git_phase(RunContext& context);
void run_report_phase(RunContext& context);
void print_dry_run(RunContext& context);
// Before the commands: where they leave the agent's answer. After them: the answer, read into report.agent.
void prepare_agent_answer(RunContext& context);
void collect_agent_answer(RunContext& context);

}  // namespace flowrun::run
