#include "flowrun/agent/agent_files.h"

#include <fstream>
#include <sstream>

#include "flowrun/agent/event_stream.h"

namespace flowrun::agent {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

fs::path answer_file(const fs::path& artifacts_dir) { return artifacts_dir / "agent-answer.md"; }

fs::path events_file(const fs::path& artifacts_dir, const std::string& agent) {
  return artifacts_dir / ("agent-" + agent + ".jsonl");
}

void remove_stale_answer(const fs::path& artifacts_dir) {
  std::error_code ec;
  fs::remove(answer_file(artifacts_dir), ec);
  for (const auto& agent : known_agents()) fs::remove(events_file(artifacts_dir, agent), ec);
}

std::optional<AgentResult> read_agent_answer(const fs::path& artifacts_dir) {
  std::optional<AgentResult> result;
  std::optional<fs::file_time_type> newest;
  for (const auto& agent : known_agents()) {
    std::error_code ec;
    auto written = fs::last_write_time(events_file(artifacts_dir, agent), ec);
    if (ec || (newest && written < *newest)) continue;
    auto text = read_text(events_file(artifacts_dir, agent));
    if (!text) continue;
    newest = written;
    result = read_event_text(agent, *text);
  }
  if (auto answer = read_text(answer_file(artifacts_dir));
      answer && answer->find_first_not_of(" \t\r\n") != std::string::npos) {
    if (!result) result.emplace();
    result->final_message = *answer;
  }
  return result;
}

}  // namespace flowrun::agent
