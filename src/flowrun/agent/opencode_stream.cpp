// opencode's `opencode run --format json`: one event a line, each with a "part" of the session: "text", "tool_use"
// (a tool call that completed or failed), "step_start", "step_finish" (tokens and cost of the step), "error".
#include "flowrun/agent/internal/event.h"
#include "flowrun/agent/internal/stream_kinds.h"
#include "flowrun/core/text.h"

namespace flowrun::agent::internal {

namespace {

class OpencodeStream final : public EventStream {
 public:
  OpencodeStream() : EventStream("opencode") {}

 private:
  std::string last_text_;
  std::string refused_;
  std::string error_;

  void on_event(const Event& event, std::vector<std::string>& progress) override {
    const json& e = event.json;
    const std::string type = text_field(e, "type");
    const json& part = field(e, "part");
    if (type == "step_start" && !result_.usage.turns) {
      progress.push_back("started");
    } else if (type == "text") {
      last_text_ = text_field(part, "text");
      if (auto line = one_line(last_text_); !line.empty()) progress.push_back("says: " + line);
    } else if (type == "tool_use") {
      on_tool(part, progress);
    } else if (type == "step_finish") {
      AgentUsage& usage = result_.usage;
      usage.turns = usage.turns.value_or(0) + 1;
      const json& tokens = field(part, "tokens");
      long long input =
          integer_field(tokens, "input").value_or(0) + integer_field(field(tokens, "cache"), "read").value_or(0);
      usage.input_tokens = usage.input_tokens.value_or(0) + input;
      usage.output_tokens = usage.output_tokens.value_or(0) + integer_field(tokens, "output").value_or(0);
      if (auto cost = number_field(part, "cost")) usage.cost_usd = usage.cost_usd.value_or(0) + *cost;
      // A step that ends for any reason but a tool call is the end of the agent's work.
      if (text_field(part, "reason") != "tool-calls") {
        result_.finished = true;
        progress.push_back("finished (" + usage_summary(usage) + ")");
      }
    } else if (type == "error") {
      const json& error = field(e, "error");
      error_ = text_field(field(error, "data"), "message");
      if (error_.empty()) error_ = text_field(error, "name");
      error_ = one_line(error_.empty() ? std::string("an error") : error_, 300);
      progress.push_back("error: " + error_);
    }
  }

  void on_tool(const json& part, std::vector<std::string>& progress) {
    const std::string tool = text_field(part, "tool");
    const json& state = field(part, "state");
    const json& input = field(state, "input");
    progress.push_back(tool_line(tool, input));
    if (text_field(state, "status") == "error") {
      const std::string error = text_field(state, "error");
      progress.push_back(tool + " failed: " + one_line(error));
      if (text::to_lower(error).find("rejected permission") != std::string::npos && refused_.empty()) {
        refused_ = "a tool call was refused permission: " + tool_line(tool, input);
      }
      return;
    }
    note_file_edited(edited_path(tool, input));
  }

  void on_end() override {
    result_.final_message = last_text_;
    if (!error_.empty()) {
      result_.stopped_early = error_;
    } else if (!refused_.empty()) {
      result_.stopped_early = refused_;
    }
  }
};

}  // namespace

std::unique_ptr<EventStream> make_opencode_stream() { return std::make_unique<OpencodeStream>(); }

}  // namespace flowrun::agent::internal
