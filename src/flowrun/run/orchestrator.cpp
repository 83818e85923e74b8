#include "flowrun/run/orchestrator.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

#include "flowrun/core/exit_codes.h"
#include "flowrun/core/own_files.h"
#include "flowrun/core/secret_policy.h"
#include "flowrun/core/terminal.h"
#include "flowrun/exec/cancellation.h"
#include "flowrun/exec/reaper.h"
#include "flowrun/exec/shell_session.h"
#include "flowrun/flow/command_checks.h"
#include "flowrun/flow/discovery.h"
#include "flowrun/flow/handoff.h"
#include "flowrun/git/git.h"
#include "flowrun/log/logger.h"
#include "flowrun/log/masker.h"
#include "flowrun/log/secret_set.h"
#include "flowrun/log/sections.h"
#include "flowrun/log/sink.h"
#include "flowrun/run/clean_inputs.h"
#include "flowrun/run/dotenv.h"
#include "flowrun/run/phase_guard.h"
#include "flowrun/run/run_context.h"

namespace flowrun::run {

namespace {

std::string iso8601_now() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Before the masked output exists (nothing secret is known yet), errors go straight to stderr.
int fail_early(RunReport& report, ExitCode code, RunOutcome outcome, const std::string& message) {
  std::cerr << "flowrun: " << message << "\n";
  report.outcome = outcome;
  report.exit_code = to_int(code);
  return to_int(code);
}

// The job's variables as the commands see them: the process, then --env-file (later files win), then the local
// stand-ins for GitLab's AI_FLOW_* variables.
std::optional<std::string> assemble_job_environment(const RunSettings& settings, Environment& env) {
  for (const auto& file : settings.env_files) {
    auto parsed = read_dotenv_file(file);
    if (auto* error = std::get_if<DotenvError>(&parsed)) return error->message;
    for (auto& [name, value] : std::get<std::map<std::string, std::string>>(parsed)) env.set(name, value);
  }
  if (settings.input) env.set("AI_FLOW_INPUT", *settings.input);
  if (settings.input_file) {
    auto text = read_file(*settings.input_file);
    if (!text) return settings.input_file->string() + ": cannot read the --input-file";
    env.set("AI_FLOW_INPUT", *text);
  }
  if (settings.context_file) {
    auto text = read_file(*settings.context_file);
    if (!text) return settings.context_file->string() + ": cannot read the --context-file";
    env.set("AI_FLOW_CONTEXT", *text);
  }
  if (settings.event) env.set("AI_FLOW_EVENT", *settings.event);
  return std::nullopt;
}

std::filesystem::path choose_workdir(const RunSettings& settings, const Environment& env) {
  if (!settings.workdir.empty()) return std::filesystem::absolute(settings.workdir);
  if (auto dir = env.non_empty("CI_PROJECT_DIR")) return *dir;
  return std::filesystem::current_path();
}

void run_commands(RunContext& context, exec::CancellationToken& cancel) {
  const flow::Flow& flow = *context.flow;
  exec::SessionOptions options;
  // The handoff line (`exec flowrun run`) is what started flowrun in the job: run the commands after it.
  std::size_t first = 0;
  if (auto handoff = flow::find_handoff(flow)) first = handoff->index + 1;
  for (std::size_t i = first; i < flow.commands.size(); ++i) options.commands.push_back(flow.commands[i].text);
  options.environment = context.job_env.values();
  options.workdir = context.workdir;
  options.timeout = context.budget.commands;
  options.kill_grace = context.plan.kill_grace;
  options.color = context.color;
  options.on_output = [&context](std::string_view bytes) { context.output->write(bytes); };

  context.section_start("commands",
                        "Running " + std::to_string(options.commands.size()) + " commands of flow " + flow.name);
  context.capturing_tail = true;
  exec::SessionResult result = exec::run_session(options, cancel);
  context.output->flush_partial();
  context.capturing_tail = false;

  for (const auto& command : result.commands) {
    CommandReport entry;
    entry.index = command.index + first;
    entry.first_line = context.mask(command.first_line);
    entry.state = command.state;
    entry.exit_code = command.exit_code;
    entry.signal = command.signal;
    entry.duration_seconds = std::chrono::duration<double>(command.duration).count();
    context.report.commands.push_back(std::move(entry));
  }
  if (result.failed_index) context.report.failed_command = *result.failed_index + first;
  if (result.last_seen_index) context.report.last_command_seen = *result.last_seen_index + first;
  context.report.shell_exited_early = result.shell_exited_early;
  context.report.shell_exit_code = result.shell_exit_code;
  // A stopped run names the command it stopped, in the log and in the note.
  std::string running;
  if (result.last_seen_index) {
    const auto& command = result.commands[*result.last_seen_index];
    running = " while command " + std::to_string(command.index + first + 1) + " (`" + context.mask(command.first_line) +
              "`) was running";
  }

  switch (result.outcome) {
    case exec::SessionOutcome::succeeded:
      context.commands_outcome = CommandsOutcome::succeeded;
      if (result.shell_exited_early) {
        log::warn("a command ended the shell with `exit " + std::to_string(result.shell_exit_code) +
                  "`: the commands after it did not run");
      }
      break;
    case exec::SessionOutcome::command_failed: {
      context.commands_outcome = CommandsOutcome::failed;
      if (!result.failed_index) {
        log::error("the commands failed: " + result.error);
        break;
      }
      const auto& failed = result.commands[*result.failed_index];
      std::string how = failed.signal != 0 ? "was killed by signal " + std::to_string(failed.signal)
                                           : "exited with code " + std::to_string(failed.exit_code);
      log::error("command " + std::to_string(failed.index + first + 1) + " (`" + context.mask(failed.first_line) +
                 "`) " + how +
                 (failed.index + 1 < result.commands.size() ? "; the commands after it did not run" : ""));
      break;
    }
    case exec::SessionOutcome::timed_out:
      context.commands_outcome = CommandsOutcome::timed_out;
      if (result.last_seen_index) context.report.failed_command = *result.last_seen_index + first;
      log::error("the commands ran out of time after " + std::to_string(context.budget.commands.count()) +
                 " s (timeout from " + context.budget.source + ", " + std::to_string(context.budget.reserve.count()) +
                 " s kept for git and the report); they were stopped" + running);
      break;
    case exec::SessionOutcome::cancelled:
      context.commands_outcome = CommandsOutcome::cancelled;
      if (result.last_seen_index) context.report.failed_command = *result.last_seen_index + first;
      log::error("the run was cancelled (SIGTERM/SIGINT); the commands were stopped" + running);
      break;
    case exec::SessionOutcome::failed_to_start:
      context.commands_outcome = CommandsOutcome::failed;
      log::error("could not start bash: " + result.error);
      break;
  }
  context.section_end("commands");
}

void write_outputs(RunContext& context) {
  auto write = [&context](const std::filesystem::path& path, const std::string& content, const char* what) {
    if (auto error = write_own_file(path, context.mask(content)); !error.empty()) {
      log::error(std::string("could not write the ") + what + ": " + error);
    }
  };
  write(context.report_file, to_json(context.report), "report");
  if (context.junit_file) write(*context.junit_file, to_junit(context.report), "JUnit report");
}

int exit_code_for(const RunContext& context) {
  if (!context.report.internal_errors.empty()) return to_int(ExitCode::internal);
  switch (context.commands_outcome) {
    case CommandsOutcome::failed:
      return to_int(ExitCode::failed);
    case CommandsOutcome::timed_out:
      return to_int(ExitCode::timed_out);
    case CommandsOutcome::cancelled:
      return to_int(ExitCode::cancelled);
    default:
      break;
  }
  if (git_failed(context.report.git.outcome)) {
    return to_int(ExitCode::git_failed);
  }
  if (context.report.git.outcome == git::Outcome::refused) return to_int(ExitCode::push_refused);
  if (context.report.agent && !context.report.agent->stopped_early.empty())
    return to_int(ExitCode::agent_stopped_early);
  if (!context.report.api.error.empty()) return to_int(ExitCode::report_failed);
  return to_int(ExitCode::ok);
}

RunOutcome run_outcome(const RunContext& context, int exit_code) {
  if (exit_code == to_int(ExitCode::internal)) return RunOutcome::internal_error;
  switch (context.commands_outcome) {
    case CommandsOutcome::failed:
      return RunOutcome::command_failed;
    case CommandsOutcome::timed_out:
      return RunOutcome::timed_out;
    case CommandsOutcome::cancelled:
      return RunOutcome::cancelled;
    case CommandsOutcome::not_run:
    case CommandsOutcome::succeeded:
      break;
  }
  if (exit_code == to_int(ExitCode::git_failed)) return RunOutcome::git_failed;
  if (exit_code == to_int(ExitCode::push_refused)) return RunOutcome::push_refused;
  if (exit_code == to_int(ExitCode::agent_stopped_early)) return RunOutcome::stopped_early;
  if (exit_code == to_int(ExitCode::report_failed)) return RunOutcome::report_failed;
  if (context.report.git.outcome == git::Outcome::no_changes) return RunOutcome::no_changes;
  return RunOutcome::succeeded;
}

// Runs one phase behind the guard (see phase_guard.h).
void guarded(RunContext& context, const char* name, const std::function<void()>& phase) {
  run_guarded(
      name, phase, [&context](const std::string& text) { return context.mask(text); }, context.report.internal_errors);
}

// Git and the report get the reserve from now on, and never more than what is left of the run's time: enforced, so
// the job's own timeout never cuts the answer off.
void reserve_time_for_git_and_report(RunContext& context) {
  const auto now = std::chrono::steady_clock::now();
  const auto end_of_run = context.started + context.budget.total;
  auto end = std::min(end_of_run, now + context.budget.reserve);
  if (end < now + std::chrono::seconds(10)) end = now + std::chrono::seconds(10);
  context.phases_deadline = end;
  context.report_share = std::max(std::chrono::seconds(5), context.budget.reserve / 3);
}

}  // namespace

std::string RunContext::mask(const std::string& text) const { return masker ? masker->mask(text) : text; }

void RunContext::say(const std::string& line) { output->write(line + "\n"); }

void RunContext::section_start(const std::string& name, const std::string& header) {
  output->write(log::section_start(name, header, true));
}

void RunContext::section_end(const std::string& name) { output->write(log::section_end(name)); }

int run_flow(const RunSettings& settings, const Environment& process_environment) {
  RunContext context(settings, process_environment);
  context.started = std::chrono::steady_clock::now();
  context.report.started_at = iso8601_now();
  context.report.dry_run = settings.dry_run;

  if (auto error = assemble_job_environment(settings, context.job_env)) {
    return fail_early(context.report, ExitCode::usage, RunOutcome::invalid_arguments, *error);
  }
  context.workdir = choose_workdir(settings, context.job_env);
  context.report.event = context.job_env.get("AI_FLOW_EVENT").value_or("");

  // Which flow.
  auto resolved = flow::resolve_flow(settings.flow, context.workdir);
  if (!resolved.path) return fail_early(context.report, ExitCode::usage, RunOutcome::invalid_arguments, resolved.error);

  // Preflight 1: the flow is valid (the same findings as `flowrun validate`; errors stop the run).
  flow::LoadResult loaded = flow::load_flow_file(*resolved.path);
  std::vector<flow::Diagnostic> diagnostics = loaded.diagnostics;
  if (loaded.flow) {
    auto checks = flow::check_commands({&*loaded.flow}, flow::CommandCheckOptions{.use_shellcheck = false});
    diagnostics.insert(diagnostics.end(), checks.front().begin(), checks.front().end());
    auto handoff = flow::check_handoff(*loaded.flow);
    diagnostics.insert(diagnostics.end(), handoff.begin(), handoff.end());
  }
  context.report.flow_path = resolved.path->string();
  context.report.flow_name = loaded.flow ? loaded.flow->name : resolved.path->stem().string();
  if (!loaded.flow || flow::has_errors(diagnostics)) {
    for (const auto& diagnostic : diagnostics) {
      if (diagnostic.severity == flow::Severity::error) {
        std::cerr << flow::format_text(diagnostic) << "\n";
        context.report.diagnostics.push_back(flow::format_text(diagnostic));
      }
    }
    return fail_early(
        context.report, ExitCode::invalid_flow, RunOutcome::invalid_flow,
        "the flow has errors; nothing was run (check it with: flowrun validate " + resolved.path->string() + ")");
  }
  context.flow = std::move(loaded.flow);
  const flow::Flow& flow = *context.flow;

  // Outputs: everything that leaves flowrun from here on goes through the masker.
  std::vector<std::string> variable_names;
  for (const auto& variable : flow.variables) variable_names.push_back(variable.value);
  std::vector<std::string> forced_masked;
  std::vector<std::string> forced_unmasked;
  for (const auto& name : flow.settings.mask) forced_masked.push_back(name.value);
  for (const auto& name : flow.settings.unmask) forced_unmasked.push_back(name.value);
  log::SecretSet secrets = log::collect_secrets(context.job_env, variable_names, forced_masked, forced_unmasked);
  context.masker = std::make_shared<log::Masker>(secrets.values);
  context.masked_variable_names = secrets.masked_names;
  context.color = color_enabled(STDOUT_FILENO, context.job_env);

  // Every setting, once: a value that cannot be used stops the run before anything runs.
  PlanResult planned = resolve_run_plan(settings, flow.settings, context.job_env, context.workdir);
  if (!planned.errors.empty()) {
    std::string message = "a setting cannot be used; nothing was run:";
    for (const auto& error : planned.errors) message += "\n  " + context.mask(error.message);
    message += "\nFix or remove each value named above (see `flowrun run --help` and the README's settings table).";
    return fail_early(context.report, ExitCode::usage, RunOutcome::invalid_settings, message);
  }
  context.plan = std::move(planned.plan);
  context.artifacts_dir = context.plan.artifacts_dir;
  context.log_file = context.plan.log_file;
  context.report_file = context.plan.report_file;
  context.junit_file = context.plan.junit_file;
  std::vector<std::unique_ptr<log::Sink>> sinks;
  sinks.push_back(std::make_unique<log::FdSink>(STDOUT_FILENO));
  if (!settings.dry_run) {
    auto file_sink = log::FileSink::open(context.log_file);
    if (file_sink.sink) {
      sinks.push_back(std::move(file_sink.sink));
    } else {
      std::cerr << "flowrun: " << file_sink.error << "\n";
    }
  }
  sinks.push_back(std::make_unique<log::CallbackSink>([&context](std::string_view bytes) {
    if (context.capturing_tail) context.tail.append(bytes);
  }));
  context.output = std::make_unique<log::MaskedOutput>(context.masker, std::move(sinks));
  log::set_color(context.color);
  log::set_output(context.output.get());

  // Preflight 2: every variable the flow lists is present.
  context.section_start("preflight", "Preflight: flow " + flow.name);
  log::info("flow " + flow.name + " (" + resolved.path->string() + "): " + std::to_string(flow.commands.size()) +
            " commands, image " + flow.image.value);
  for (const auto& diagnostic : diagnostics) {
    if (diagnostic.severity == flow::Severity::warning) log::warn(flow::format_text(diagnostic));
  }
  // Which listed variables are masked, and why: a value left in clear is a choice the log shows, not an accident.
  for (const auto& [name, decision] : secrets.decisions) {
    if (std::find(variable_names.begin(), variable_names.end(), name) == variable_names.end()) continue;
    log::info(name + (decision.masked ? ": masked, " : ": not masked, ") +
              std::string(secret_policy::describe(decision.reason)));
  }
  for (const auto& name : secrets.short_names) {
    log::warn("the value of " + name + " is shorter than 8 characters, so it cannot be masked in the output");
    context.report.warnings.push_back(name + " is too short to be masked");
  }
  for (const auto& name : variable_names) {
    if (!context.job_env.non_empty(name)) context.report.missing_variables.push_back(name);
  }
  context.budget =
      compute_time_budget(context.plan.timeout, context.plan.timeout_source,
                          context.plan.timeout_from_job ? context.job_env.non_empty("CI_JOB_STARTED_AT") : std::nullopt,
                          std::chrono::system_clock::now());
  provide_clean_inputs(context.job_env);
  if (!context.report.missing_variables.empty()) {
    std::string list;
    for (const auto& name : context.report.missing_variables) list += (list.empty() ? "" : ", ") + name;
    log::error("missing variables: " + list + ". The flow lists them under `variables:` but the job has no value for " +
               (context.report.missing_variables.size() == 1 ? "it" : "them") +
               ". Add each as a CI/CD variable (Settings > CI/CD > Variables; masked, not protected, not expanded) and "
               "keep it listed in " +
               resolved.path->string() + "; for a local run, put it in an --env-file. Nothing was run.");
  }
  context.section_end("preflight");

  if (settings.dry_run) {
    print_dry_run(context);
    int code = context.report.missing_variables.empty() ? to_int(ExitCode::ok) : to_int(ExitCode::missing_variables);
    context.report.exit_code = code;
    context.report.outcome = code == 0 ? RunOutcome::dry_run : RunOutcome::missing_variables;
    context.output->finish();
    log::set_output(nullptr);
    return code;
  }
  if (!context.report.missing_variables.empty()) {
    context.report.outcome = RunOutcome::missing_variables;
    context.report.exit_code = to_int(ExitCode::missing_variables);
    run_report_phase(context);
    write_outputs(context);
    context.output->finish();
    log::set_output(nullptr);
    return to_int(ExitCode::missing_variables);
  }

  // The commands, then git and the report whatever happened to them.
  exec::become_child_subreaper();
  exec::CancellationToken cancel;
  exec::install_cancel_signal_handlers(cancel);
  context.base_commit = context.plan.base_commit;
  if (auto head = git::head_commit(context.workdir); head && context.base_commit.empty()) context.base_commit = *head;
  guarded(context, "agent answer", [&] { prepare_agent_answer(context); });
  guarded(context, "commands", [&] { run_commands(context, cancel); });
  if (context.commands_outcome == CommandsOutcome::not_run && !context.report.internal_errors.empty()) {
    context.commands_outcome = CommandsOutcome::failed;
  }
  exec::reap_orphans();
  guarded(context, "agent answer", [&] { collect_agent_answer(context); });
  context.report.output_tail = context.tail.lines();
  reserve_time_for_git_and_report(context);
  context.cancelled = [&cancel] { return cancel.cancelled(); };

  guarded(context, "git", [&] { run_git_phase(context); });
  // The note says how the commands and git went; a failure to post it only changes the exit code.
  context.report.outcome = run_outcome(context, exit_code_for(context));
  guarded(context, "report", [&] { run_report_phase(context); });

  int code = exit_code_for(context);
  context.report.exit_code = code;
  context.report.outcome = run_outcome(context, code);
  context.report.duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - context.started).count();
  guarded(context, "report files", [&] { write_outputs(context); });
  log::info("done: " + std::string(outcome_name(context.report.outcome)) + " in " +
            std::to_string(static_cast<long long>(context.report.duration_seconds)) +
            " s; report: " + context.report_file.string());
  context.output->finish();
  log::set_output(nullptr);
  return code;
}

}  // namespace flowrun::run
