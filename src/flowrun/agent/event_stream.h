#pragma once
// Reads an agent CLI's machine-readable output (one JSON event a line) as it arrives: each event becomes zero or more
// readable progress lines for the job log, and the events together become the AgentResult.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flowrun/agent/agent_result.h"

namespace flowrun::agent {

class EventStream {
 public:
  virtual ~EventStream() = default;
  // One line of the CLI's output. A line that is not a JSON object is passed through as it is.
  std::vector<std::string> feed_line(std::string_view line);
  // The CLI's output ended: what it amounts to.
  AgentResult finish();
  // The run cannot succeed and the CLI would only retry (the model API refused the credentials): stop it now.
  bool hopeless() const { return hopeless_; }

 protected:
  explicit EventStream(std::string agent) { result_.agent = std::move(agent); }
  struct Event;  // the parsed JSON object, kept out of this header
  virtual void on_event(const Event& event, std::vector<std::string>& progress) = 0;
  // Called once at the end, for what only the whole stream tells.
  virtual void on_end() {}
  AgentResult result_;
  bool hopeless_ = false;
  // Files the agent wrote, each recorded once, in order.
  void note_file_edited(const std::string& path);
};

// The agents whose output flowrun reads: "claude" (stream-json), "codex" (exec --json), "gemini" (stream-json),
// "opencode" (run --format json).
const std::vector<std::string>& known_agents();
// nullptr for an agent flowrun does not know.
std::unique_ptr<EventStream> make_event_stream(std::string_view agent);
// Every line of `text` fed to a new stream of `agent`, then finished.
AgentResult read_event_text(std::string_view agent, std::string_view text);

}  // namespace flowrun::agent
