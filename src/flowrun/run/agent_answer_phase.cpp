// The agent's answer between the commands and the report: the commands are told where to leave it, and flowrun reads
// it back (agent-files.h) when they end. The raw event stream is masked in place, since it stays in the artifacts.
#include <fstream>
#include <sstream>

#include "flowrun/agent/agent_files.h"
#include "flowrun/agent/event_stream.h"
#include "flowrun/log/logger.h"
#include "flowrun/run/run_context.h"

namespace flowrun::run {

namespace {

void mask_in_place(const RunContext& context, const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  in.close();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << context.mask(buffer.str());
}

}  // namespace

void prepare_agent_answer(RunContext& context) {
  agent::remove_stale_answer(context.artifacts_dir);
  std::error_code ec;
  std::filesystem::create_directories(context.artifacts_dir, ec);
  context.job_env.set(agent::kAnswerFileVariable, agent::answer_file(context.artifacts_dir).string());
  context.job_env.set(agent::kArtifactsDirVariable, context.artifacts_dir.string());
  std::string names;
  for (const auto& name : context.masked_variable_names) names += (names.empty() ? "" : ",") + name;
  context.job_env.set(agent::kMaskedVariablesVariable, names);
}

void collect_agent_answer(RunContext& context) {
  for (const auto& name : agent::known_agents())
    mask_in_place(context, agent::events_file(context.artifacts_dir, name));
  mask_in_place(context, agent::answer_file(context.artifacts_dir));
  context.report.agent = agent::read_agent_answer(context.artifacts_dir);
  if (!context.report.agent) return;
  const agent::AgentResult& result = *context.report.agent;
  std::string summary = agent::usage_summary(result.usage);
  log::info("the agent's answer: " + std::to_string(result.final_message.size()) + " bytes" +
            (summary.empty() ? std::string() : "; usage: " + summary));
  if (!result.stopped_early.empty()) log::warn("the agent stopped early: " + context.mask(result.stopped_early));
}

}  // namespace flowrun::run
