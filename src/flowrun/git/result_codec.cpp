#include "flowrun/git/result_codec.h"

#include <nlohmann/json.hpp>

namespace flowrun::git::detail {

using nlohmann::json;

std::string encode_result(const GitResult& result) {
  json files = json::array();
  for (const auto& file : result.changes.files) {
    files.push_back(
        {file.path, file.old_path, std::string(1, file.status), file.binary, file.additions, file.deletions});
  }
  json refusals = json::array();
  for (const auto& refusal : result.changes.refusals) {
    refusals.push_back({std::string(to_string(refusal.kind)), refusal.path, refusal.line, refusal.detail});
  }
  return json{{"outcome", static_cast<int>(result.outcome)},
              {"base_commit", result.base_commit},
              {"commit", result.commit},
              {"branch", result.branch},
              {"files", files},
              {"submodules", result.changes.submodules_changed},
              {"excluded", result.changes.excluded},
              {"refusals", refusals},
              {"commands_committed", result.changes.commands_committed},
              {"patch_file", result.patch_file ? result.patch_file->string() : ""},
              {"error", result.error},
              {"push_attempts", result.push_attempts},
              {"remote_display", result.remote_display},
              {"unfinished_operation", result.unfinished_operation},
              {"followed_up", result.followed_up},
              {"follow_up_fallback", result.follow_up_fallback}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<GitResult> decode_result(const std::string& text) {
  try {
    const json in = json::parse(text);
    GitResult result;
    result.outcome = static_cast<Outcome>(in.at("outcome").get<int>());
    result.base_commit = in.at("base_commit").get<std::string>();
    result.commit = in.at("commit").get<std::string>();
    result.branch = in.at("branch").get<std::string>();
    for (const auto& file : in.at("files")) {
      result.changes.files.push_back(FileChange{file.at(0).get<std::string>(), file.at(1).get<std::string>(),
                                                file.at(2).get<std::string>().at(0), file.at(3).get<bool>(),
                                                file.at(4).get<int>(), file.at(5).get<int>()});
    }
    result.changes.submodules_changed = in.at("submodules").get<std::vector<std::string>>();
    result.changes.excluded = in.at("excluded").get<std::vector<std::string>>();
    for (const auto& refusal : in.at("refusals")) {
      result.changes.refusals.push_back(PushRefusal{refusal_kind_from_string(refusal.at(0).get<std::string>()),
                                                    refusal.at(1).get<std::string>(), refusal.at(2).get<int>(),
                                                    refusal.at(3).get<std::string>()});
    }
    result.changes.commands_committed = in.at("commands_committed").get<bool>();
    if (auto patch = in.at("patch_file").get<std::string>(); !patch.empty()) result.patch_file = patch;
    result.error = in.at("error").get<std::string>();
    result.push_attempts = in.at("push_attempts").get<int>();
    result.remote_display = in.at("remote_display").get<std::string>();
    result.unfinished_operation = in.at("unfinished_operation").get<std::string>();
    result.followed_up = in.at("followed_up").get<bool>();
    result.follow_up_fallback = in.at("follow_up_fallback").get<std::string>();
    return result;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace flowrun::git::detail
