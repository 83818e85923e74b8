// Gemini CLI's `--output-format stream-json`: "init", "message" (assistant text, often in deltas), "tool_use",
// "tool_result", "error", and a last "result" with the status and the token counts.
#include "flowrun/agent/internal/event.h"
#include "flowrun/agent/internal/stream_kinds.h"

namespace flowrun::agent::internal {

namespace {

class GeminiStream final : public EventStream {
 public:
  GeminiStream() : EventStream("gemini") {}

 private:
  std::string text_since_last_tool_;
  long long tool_calls_ = 0;

  void on_event(const Event& event, std::vector<std::string>& progress) override {
    const json& e = event.json;
    const std::string type = text_field(e, "type");
    if (type == "init") {
      result_.usage.model = text_field(e, "model");
      progress.push_back("started" +
                         (result_.usage.model.empty() ? std::string() : " (model " + result_.usage.model + ")"));
    } else if (type == "message" && text_field(e, "role") == "assistant") {
      text_since_last_tool_ += text_field(e, "content");
    } else if (type == "tool_use") {
      if (auto line = one_line(text_since_last_tool_); !line.empty()) progress.push_back("says: " + line);
      text_since_last_tool_.clear();
      ++tool_calls_;
      const std::string name = text_field(e, "tool_name");
      note_file_edited(edited_path(name, field(e, "parameters")));
      progress.push_back(tool_line(name, field(e, "parameters")));
    } else if (type == "tool_result" && text_field(e, "status") == "error") {
      progress.push_back("tool failed: " + one_line(text_field(field(e, "error"), "message")));
    } else if (type == "error") {
      progress.push_back("error: " + one_line(text_field(e, "message")));
    } else if (type == "result") {
      on_result(e, progress);
    }
  }

  void on_result(const json& e, std::vector<std::string>& progress) {
    result_.finished = true;
    result_.final_message = text_since_last_tool_;
    const json& stats = field(e, "stats");
    AgentUsage& usage = result_.usage;
    usage.input_tokens = integer_field(stats, "input_tokens");
    usage.output_tokens = integer_field(stats, "output_tokens");
    if (auto ms = number_field(stats, "duration_ms")) usage.duration_seconds = *ms / 1000.0;
    if (text_field(e, "status") != "success") {
      std::string message = text_field(field(e, "error"), "message");
      result_.stopped_early = message.empty() ? "it reported an error" : one_line(message, 300);
    }
    progress.push_back("finished: " + (result_.stopped_early.empty() ? std::string("done") : result_.stopped_early) +
                       " (" + std::to_string(tool_calls_) + " tool calls" +
                       (usage.empty() ? std::string() : ", " + usage_summary(usage)) + ")");
  }
};

}  // namespace

std::unique_ptr<EventStream> make_gemini_stream() { return std::make_unique<GeminiStream>(); }

}  // namespace flowrun::agent::internal
