#include "flowrun/run/clean_inputs.h"

#include <nlohmann/json.hpp>

#include "flowrun/core/hidden_text.h"
#include "flowrun/log/logger.h"

namespace flowrun::run {
namespace {

struct Removed {
  std::size_t characters = 0;
  std::size_t comments = 0;
};

std::string clean_text(std::string_view text, Removed& removed) {
  VisibleText visible = visible_text(text);
  removed.characters += visible.hidden_characters;
  removed.comments += visible.html_comments;
  return std::move(visible.text);
}

// Every string of the document (keys too), cleaned: GitLab's JSON may escape what hides (`\u200b`, `\u003c!--`).
void clean_json(nlohmann::json& value, Removed& removed) {
  if (value.is_string()) {
    value = clean_text(value.get_ref<const std::string&>(), removed);
  } else if (value.is_array()) {
    for (auto& item : value) clean_json(item, removed);
  } else if (value.is_object()) {
    nlohmann::json cleaned = nlohmann::json::object();
    for (auto& [key, item] : value.items()) {
      clean_json(item, removed);
      cleaned[clean_text(key, removed)] = std::move(item);
    }
    value = std::move(cleaned);
  }
}

std::string clean_context(const std::string& context, Removed& removed) {
  auto document = nlohmann::json::parse(context, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return clean_text(context, removed);
  clean_json(document, removed);
  return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void say_removed(const char* original, const char* copy, const Removed& removed) {
  if (removed.characters == 0 && removed.comments == 0) return;
  log::info(std::string(original) + " holds text a reader cannot see: " + std::to_string(removed.characters) +
            " hidden character(s) and " + std::to_string(removed.comments) + " HTML comment(s), left out of " + copy +
            " (" + original + " itself is unchanged)");
}

}  // namespace

void provide_clean_inputs(Environment& env) {
  Removed from_input;
  env.set("FLOWRUN_INPUT_CLEAN", clean_text(env.get("AI_FLOW_INPUT").value_or(""), from_input));
  say_removed("AI_FLOW_INPUT", "FLOWRUN_INPUT_CLEAN", from_input);
  Removed from_context;
  env.set("FLOWRUN_CONTEXT_CLEAN", clean_context(env.get("AI_FLOW_CONTEXT").value_or(""), from_context));
  say_removed("AI_FLOW_CONTEXT", "FLOWRUN_CONTEXT_CLEAN", from_context);
}

}  // namespace flowrun::run
