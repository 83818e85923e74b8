// Codex's `codex exec --json`: JSONL events. Items (agent messages, commands, file changes) start and complete; each
// turn ends with "turn.completed" and its token usage, or "turn.failed".
#include "flowrun/agent/internal/event.h"
#include "flowrun/agent/internal/stream_kinds.h"

namespace flowrun::agent::internal {

namespace {

class CodexStream final : public EventStream {
 public:
  CodexStream() : EventStream("codex") {}

 private:
  std::string last_error_;

  void on_event(const Event& event, std::vector<std::string>& progress) override {
    const json& e = event.json;
    const std::string type = text_field(e, "type");
    if (type == "thread.started") {
      progress.push_back("started");
    } else if (type == "item.started") {
      on_item_started(field(e, "item"), progress);
    } else if (type == "item.completed") {
      on_item_completed(field(e, "item"), progress);
    } else if (type == "turn.completed") {
      result_.finished = true;
      result_.stopped_early.clear();
      AgentUsage& usage = result_.usage;
      usage.turns = usage.turns.value_or(0) + 1;
      const json& tokens = field(e, "usage");
      usage.input_tokens = usage.input_tokens.value_or(0) + integer_field(tokens, "input_tokens").value_or(0);
      usage.output_tokens = usage.output_tokens.value_or(0) + integer_field(tokens, "output_tokens").value_or(0);
      progress.push_back("turn finished (" + usage_summary(usage) + ")");
    } else if (type == "turn.failed") {
      std::string message = text_field(field(e, "error"), "message");
      result_.stopped_early = message.empty() ? "its turn failed" : one_line(message, 300);
      progress.push_back("turn failed: " + result_.stopped_early);
    } else if (type == "error") {
      last_error_ = one_line(text_field(e, "message"), 300);
      progress.push_back("error: " + last_error_);
    }
  }

  void on_item_started(const json& item, std::vector<std::string>& progress) {
    const std::string kind = text_field(item, "type");
    if (kind == "command_execution") progress.push_back("Bash: " + one_line(text_field(item, "command")));
    if (kind == "mcp_tool_call")
      progress.push_back("tool " + text_field(item, "server") + "/" + text_field(item, "tool"));
    if (kind == "web_search") progress.push_back("web search: " + one_line(text_field(item, "query")));
  }

  void on_item_completed(const json& item, std::vector<std::string>& progress) {
    const std::string kind = text_field(item, "type");
    if (kind == "agent_message") {
      result_.final_message = text_field(item, "text");
      if (auto line = one_line(result_.final_message); !line.empty()) progress.push_back("says: " + line);
    } else if (kind == "file_change") {
      const json& changes = field(item, "changes");
      if (!changes.is_array()) return;
      for (const json& change : changes) {
        const std::string path = text_field(change, "path");
        note_file_edited(path);
        progress.push_back("Edit " + one_line(path) + " (" + text_field(change, "kind") + ")");
      }
    } else if (kind == "command_execution") {
      if (auto code = integer_field(item, "exit_code"); code && *code != 0) {
        progress.push_back("the command exited with code " + std::to_string(*code));
      }
    } else if (kind == "error") {
      progress.push_back("error: " + one_line(text_field(item, "message")));
    }
  }

  void on_end() override {
    if (!result_.finished && result_.stopped_early.empty() && !last_error_.empty()) result_.stopped_early = last_error_;
  }
};

}  // namespace

std::unique_ptr<EventStream> make_codex_stream() { return std::make_unique<CodexStream>(); }

}  // namespace flowrun::agent::internal
