// Fuzz target: arbitrary bytes as AI_FLOW_CONTEXT (and as AI_FLOW_INPUT) through gitlab::parse_context and
// gitlab::resolve_noteable, in a few job environments. Both promise never to throw and never to fail.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "flowrun/core/environment.h"
#include "flowrun/gitlab/target.h"

namespace {

using flowrun::Environment;
using flowrun::gitlab::Noteable;
using flowrun::gitlab::NoteableOverride;

void check(const std::optional<Noteable>& noteable) {
  if (!noteable) return;
  // An answer always says where it goes: a project or group, and an iid.
  const bool has_place = noteable->kind == Noteable::Kind::epic ? !noteable->group.empty() : !noteable->project.empty();
  if (!has_place || noteable->iid <= 0) std::abort();
  (void)flowrun::gitlab::kind_name(noteable->kind);
  (void)flowrun::gitlab::short_reference(noteable->kind, noteable->iid);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  const flowrun::gitlab::ContextView view = flowrun::gitlab::parse_context(bytes);
  if (view.kind) (void)flowrun::gitlab::short_reference(*view.kind, view.iid);

  const Environment bare;
  const Environment ci(std::map<std::string, std::string>{
      {"CI_PROJECT_ID", "42"}, {"CI_PROJECT_PATH", "group/app"}, {"AI_FLOW_DISCUSSION_ID", "abc123"}});
  Environment with_input(std::map<std::string, std::string>{{"AI_FLOW_PROJECT_PATH", "group/sub/app"}});
  with_input.set("AI_FLOW_INPUT", std::string(bytes));

  check(flowrun::gitlab::resolve_noteable(bytes, "mention", bare, {}));
  check(flowrun::gitlab::resolve_noteable(bytes, "merge_request", ci, {}));
  check(flowrun::gitlab::resolve_noteable("", "assign_reviewer", with_input, {}));
  check(flowrun::gitlab::resolve_noteable("{}", "work_item", with_input, {}));
  NoteableOverride issue_three;
  issue_three.issue_iid = 3;
  check(flowrun::gitlab::resolve_noteable(bytes, "pipeline", ci, issue_three));
  return 0;
}
