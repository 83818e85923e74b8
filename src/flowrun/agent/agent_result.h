#pragma once
// What an agent CLI said about its own run, read from its machine-readable output: its final message, what it used,
// and whether it stopped before finishing. Plain data; every string is the agent's own text, masked and neutralised
// only where it is written out.
#include <optional>
#include <string>
#include <vector>

namespace flowrun::agent {

struct AgentUsage {
  std::string model;
  std::optional<long long> turns;
  std::optional<long long> input_tokens;  // including tokens read from the prompt cache
  std::optional<long long> output_tokens;
  std::optional<double> cost_usd;
  std::optional<double> duration_seconds;
  bool empty() const {
    return model.empty() && !turns && !input_tokens && !output_tokens && !cost_usd && !duration_seconds;
  }
};

struct AgentResult {
  std::string agent;          // "claude", "codex", "gemini", "opencode"; empty for a plain answer file
  std::string final_message;  // the agent's last words: what it did, or its answer to a question
  AgentUsage usage;
  bool finished = false;      // the stream carried the CLI's final result
  std::string stopped_early;  // why the agent ended before its work was done (refused tool, limit, API error)
  std::vector<std::string> files_edited;
};

// "claude-sonnet-4 · 3 turns · 12,345 in / 678 out tokens · $0.0123 · 42 s": the parts that are known.
std::string usage_summary(const AgentUsage& usage);

}  // namespace flowrun::agent
