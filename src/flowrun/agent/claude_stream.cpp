// Claude Code's `--print --output-format stream-json --verbose`: one JSON event a line; the last, "result", carries the
// final message, the turns, the tokens and the cost.
#include <map>

#include "flowrun/agent/internal/event.h"
#include "flowrun/agent/internal/stream_kinds.h"

namespace flowrun::agent::internal {

namespace {

class ClaudeStream final : public EventStream {
 public:
  ClaudeStream() : EventStream("claude") {}

 private:
  std::map<std::string, std::string> tool_names_;  // tool_use id -> name, to say which tool a refusal was for

  void on_event(const Event& event, std::vector<std::string>& progress) override {
    const json& e = event.json;
    const std::string type = text_field(e, "type");
    if (type == "system") return on_system(e, progress);
    if (type == "assistant") return on_assistant(field(e, "message"), progress);
    if (type == "user") return on_tool_results(field(field(e, "message"), "content"), progress);
    if (type == "result") return on_result(e, progress);
  }

  void on_system(const json& e, std::vector<std::string>& progress) {
    const std::string subtype = text_field(e, "subtype");
    if (subtype == "init") {
      result_.usage.model = text_field(e, "model");
      progress.push_back("started" +
                         (result_.usage.model.empty() ? std::string() : " (model " + result_.usage.model + ")"));
    } else if (subtype == "api_retry") {
      std::string why = text_field(e, "error");
      if (auto status = integer_field(e, "error_status"))
        why += (why.empty() ? "HTTP " : ", HTTP ") + std::to_string(*status);
      std::string line =
          "the model API failed" + (why.empty() ? std::string() : " (" + one_line(why) + ")") + "; retrying";
      if (auto attempt = integer_field(e, "attempt")) {
        line += ", attempt " + std::to_string(*attempt);
        if (auto max = integer_field(e, "max_retries")) line += " of " + std::to_string(*max);
      }
      if (auto delay = integer_field(e, "retry_delay_ms"))
        line += " in " + std::to_string((*delay + 500) / 1000) + " s";
      progress.push_back(line);
      // A refused key stays refused: Claude Code would retry it for minutes before giving up.
      if (auto status = integer_field(e, "error_status"); status && (*status == 401 || *status == 403)) {
        hopeless_ = true;
        result_.stopped_early = "the model API refused the credentials (HTTP " + std::to_string(*status) +
                                (why.empty() ? std::string() : ", " + one_line(text_field(e, "error"))) +
                                "): check the API key";
      }
    }
  }

  void on_assistant(const json& message, std::vector<std::string>& progress) {
    const json& content = field(message, "content");
    if (!content.is_array()) return;
    for (const json& block : content) {
      const std::string kind = text_field(block, "type");
      if (kind == "text") {
        if (auto line = one_line(text_field(block, "text")); !line.empty()) progress.push_back("says: " + line);
      } else if (kind == "tool_use") {
        const std::string name = text_field(block, "name");
        const json& input = field(block, "input");
        tool_names_[text_field(block, "id")] = name;
        note_file_edited(edited_path(name, input));
        progress.push_back(tool_line(name, input));
      }
    }
  }

  void on_tool_results(const json& content, std::vector<std::string>& progress) {
    if (!content.is_array()) return;
    for (const json& block : content) {
      if (text_field(block, "type") != "tool_result" || !field(block, "is_error").is_boolean() ||
          !field(block, "is_error").get<bool>()) {
        continue;
      }
      const json& body = field(block, "content");
      std::string text = body.is_string() ? body.get<std::string>() : std::string();
      if (body.is_array() && !body.empty()) text = text_field(body.front(), "text");
      std::string tool = tool_names_[text_field(block, "tool_use_id")];
      progress.push_back((tool.empty() ? std::string("a tool") : tool) + " failed: " + one_line(text));
    }
  }

  void on_result(const json& e, std::vector<std::string>& progress) {
    result_.finished = true;
    result_.final_message = text_field(e, "result");
    AgentUsage& usage = result_.usage;
    usage.turns = integer_field(e, "num_turns");
    usage.cost_usd = number_field(e, "total_cost_usd");
    if (auto ms = number_field(e, "duration_ms")) usage.duration_seconds = *ms / 1000.0;
    const json& tokens = field(e, "usage");
    if (tokens.is_object()) {
      long long input = 0;
      for (const char* key : {"input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"}) {
        input += integer_field(tokens, key).value_or(0);
      }
      usage.input_tokens = input;
      usage.output_tokens = integer_field(tokens, "output_tokens");
    }
    if (const json& models = field(e, "modelUsage"); usage.model.empty() && models.is_object() && !models.empty()) {
      usage.model = models.begin().key();
    }

    const std::string subtype = text_field(e, "subtype");
    const bool is_error = field(e, "is_error").is_boolean() && field(e, "is_error").get<bool>();
    if (subtype == "error_max_turns") {
      result_.stopped_early =
          "it reached its turn limit" + (usage.turns ? " (" + std::to_string(*usage.turns) + " turns)" : "");
    } else if (subtype == "error_max_budget_usd") {
      result_.stopped_early = "it reached its budget limit";
    } else if (subtype.starts_with("error")) {
      result_.stopped_early = "an error ended its run (" + subtype + ")";
    } else if (is_error) {
      result_.stopped_early = one_line(result_.final_message, 300);
      if (result_.stopped_early.empty()) result_.stopped_early = "it reported an error";
    } else if (const json& denials = field(e, "permission_denials"); denials.is_array() && !denials.empty()) {
      std::string tools;
      for (const json& denial : denials) {
        std::string line = tool_line(text_field(denial, "tool_name"), field(denial, "tool_input"));
        if (tools.find(line) == std::string::npos) tools += (tools.empty() ? "" : "; ") + line;
      }
      result_.stopped_early = std::to_string(denials.size()) +
                              (denials.size() == 1 ? " tool call was" : " tool calls were") +
                              " refused permission: " + one_line(tools, 300);
    }
    progress.push_back("finished: " + (result_.stopped_early.empty() ? std::string("done") : result_.stopped_early) +
                       (usage.empty() ? std::string() : " (" + usage_summary(usage) + ")"));
  }
};

}  // namespace

std::unique_ptr<EventStream> make_claude_stream() { return std::make_unique<ClaudeStream>(); }

}  // namespace flowrun::agent::internal
