// `flowrun run --dry-run`: everything the run would do, shown and not done. It executes no command, writes nothing to
// the repository and sends nothing: it only reads the flow, the environment and the repository.
#include "flowrun/exec/runner_script.h"
#include "flowrun/flow/handoff.h"
#include "flowrun/git/credentials.h"
#include "flowrun/git/git.h"
#include "flowrun/gitlab/api_endpoint.h"
#include "flowrun/gitlab/api_token.h"
#include "flowrun/gitlab/note.h"
#include "flowrun/gitlab/reporter.h"
#include "flowrun/gitlab/target.h"
#include "flowrun/run/git_plan.h"
#include "flowrun/run/run_context.h"

namespace flowrun::run {

namespace {

constexpr std::size_t kShownValueBytes = 160;

bool is_name_start(char c) { return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// The variable reference at `at` ($NAME or ${NAME}): its name and length, or an empty name.
std::pair<std::string_view, std::size_t> reference_at(std::string_view text, std::size_t at) {
  if (at + 1 >= text.size() || text[at] != '$') return {{}, 0};
  const bool braced = text[at + 1] == '{';
  const std::size_t start = at + (braced ? 2 : 1);
  if (start >= text.size() || !is_name_start(text[start])) return {{}, 0};
  std::size_t end = start;
  while (end < text.size() && is_name_char(text[end])) ++end;
  if (braced && (end >= text.size() || text[end] != '}')) return {{}, 0};
  return {text.substr(start, end - start), end - at + (braced ? 1 : 0)};
}

// The command with $NAME and ${NAME} replaced by the (masked, shortened) values the job has. For people only: this
// text is never run.
std::string with_values(const std::string& command, const RunContext& context) {
  std::string out;
  std::size_t at = 0;
  while (at < command.size()) {
    const std::size_t dollar = command.find('$', at);
    if (dollar == std::string::npos) break;
    out.append(command, at, dollar - at);
    const auto [name, length] = reference_at(command, dollar);
    const auto value = name.empty() ? std::nullopt : context.job_env.get(std::string(name));
    if (!value) {
      const std::size_t kept = name.empty() ? 1 : length;
      out.append(command, dollar, kept);
      at = dollar + kept;
      continue;
    }
    std::string shown = context.mask(*value);
    if (shown.size() > kShownValueBytes) {
      shown = shown.substr(0, kShownValueBytes) + "…(" + std::to_string(value->size()) + " bytes)";
    }
    out += "⟨" + shown + "⟩";
    at = dollar + length;
  }
  if (at < command.size()) out.append(command, at, std::string::npos);
  return out;
}

// Each setting with the value it resolved to and where that came from (setting_table.h), secrets masked.
void show_settings(RunContext& context) {
  context.section_start("dry_run_settings", "Dry run: the settings and where each came from");
  std::size_t width = 0;
  for (const auto& setting : context.plan.explained) width = std::max(width, setting.name.size());
  for (const auto& setting : context.plan.explained) {
    std::string line = setting.name + std::string(width + 2 - setting.name.size(), ' ');
    line += setting.value.empty() ? "(unset)" : setting.value;
    line += "  [" + setting.source + "]";
    context.say(context.mask(line));
  }
  context.section_end("dry_run_settings");
}

void show_commands(RunContext& context) {
  const flow::Flow& flow = *context.flow;
  std::size_t first = 0;
  if (auto handoff = flow::find_handoff(flow)) first = handoff->index + 1;
  std::vector<std::string> commands;
  for (std::size_t i = first; i < flow.commands.size(); ++i) commands.push_back(flow.commands[i].text);
  context.section_start("dry_run_script", "Dry run: the script bash would run");
  if (first > 0)
    context.say("(command 1, `" + flow.commands[first - 1].text + "`, is the handoff to flowrun: skipped)");
  // GitLab Runner's script: the prelude, then the text below run by `eval` in one subshell with stdin from
  // /dev/null, then `exit 0`.
  context.say(std::string(exec::kRunnerPrelude) + "(trap 'exit 1' TERM; eval \"$BODY\") < /dev/null\nexit 0\n" +
              "# where BODY is:");
  context.say(exec::runner_script_body(commands, exec::ScriptOptions{false, ""}));
  context.section_end("dry_run_script");

  context.section_start("dry_run_values", "Dry run: the commands with the values they would see (display only)");
  for (std::size_t i = first; i < flow.commands.size(); ++i) {
    context.say("# command " + std::to_string(i + 1));
    context.say(with_values(flow.commands[i].text, context));
  }
  context.section_end("dry_run_values");
}

void show_git_plan(RunContext& context) {
  context.section_start("dry_run_git", "Dry run: the git plan");
  std::string error;
  auto branch = target_branch(context, error);
  if (!branch) {
    context.say("no commit or push: " + error);
    context.section_end("dry_run_git");
    return;
  }
  git::GitOptions options = git_options(context, *branch);
  auto base = git::head_commit(context.workdir);
  context.say("base commit:  " + (base ? *base : std::string("(not a git repository: nothing would be committed)")));
  context.say("branch:       " + *branch);
  const auto [author, committer] = options.resolve_identities();
  context.say("author:       " + author.name + " <" + author.email + ">");
  context.say("committer:    " + committer.name + " <" + committer.email + ">");
  context.say("push:         " + std::string(options.push ? "yes, to " + options.remote_url : "no"));
  if (options.push) context.say("credentials:  " + git::describe_sources(options.credentials));
  context.say("message:");
  context.say(options.message);
  if (base) {
    git::ChangeSet changes = git::detect_changes(options);
    context.say("changes in the work tree now (the agent's will add to them): " + std::to_string(changes.files.size()) +
                " file(s)");
    for (const auto& file : changes.files) context.say(std::string("  ") + file.status + " " + file.path);
    context.say(changes.refusals.empty() ? std::string("checks before pushing: nothing refused so far")
                                         : "checks before pushing: " + std::to_string(changes.refusals.size()) +
                                               " change(s) refused, nothing would be pushed:");
    for (const auto& refusal : changes.refusals) context.say("  " + git::describe(refusal));
  }
  context.section_end("dry_run_git");
}

void show_api_plan(RunContext& context) {
  const Environment& env = context.job_env;
  context.section_start("dry_run_report", "Dry run: the GitLab requests");
  std::string context_json = env.get("AI_FLOW_CONTEXT").value_or("");
  gitlab::NoteableOverride override;
  override.issue_iid = context.settings.issue_iid;
  override.merge_request_iid = context.settings.merge_request_iid;
  auto noteable = gitlab::resolve_noteable(context_json, env.get("AI_FLOW_EVENT").value_or(""), env, override);
  const auto& api_base = context.plan.gitlab_url;
  std::vector<std::string> names;
  for (const auto& variable : context.flow->variables) names.push_back(variable.value);
  auto tokens = gitlab::api_tokens_from_environment(env, names);
  context.say("API:          " +
              (api_base ? *api_base : std::string("(none configured: the note would only be logged)")));
  std::string sources;
  for (const auto& token : tokens) sources += (sources.empty() ? "" : ", ") + token.source;
  context.say("tokens:       " + (sources.empty() ? std::string("(none)") : sources));
  if (!noteable) {
    context.say("answer:       only logged (no issue, merge request or epic to answer on)");
  } else {
    bool epic = noteable->kind == gitlab::Noteable::Kind::epic;
    std::string base =
        epic ? "/groups/" + gitlab::encoded_api_id(noteable->group) + "/epics/" + std::to_string(noteable->iid)
             : "/projects/" + gitlab::encoded_api_id(noteable->project) +
                   (noteable->kind == gitlab::Noteable::Kind::issue ? "/issues/" : "/merge_requests/") +
                   std::to_string(noteable->iid);
    if (noteable->discussion_id) {
      context.say("answer:       POST " + base + "/discussions/" + *noteable->discussion_id +
                  "/notes (a reply in the thread that asked; PUT instead if this job already answered)");
    } else {
      context.say("answer:       POST " + base + "/notes (PUT instead if this job already answered)");
    }
  }
  context.say(
      "merge request: GET /projects/:id/merge_requests?source_branch=<branch>&state=opened, then "
      "POST /projects/:id/merge_requests when changes were pushed and none is open");
  gitlab::NoteModel preview;
  preview.flow_name = context.flow->name;
  preview.outcome = gitlab::NoteModel::Outcome::succeeded;
  context.say("note (as it would read after a successful run with no changes):");
  preview.outcome = gitlab::NoteModel::Outcome::no_changes;
  context.say(context.mask(gitlab::render_note(preview, "dry-run")));
  context.section_end("dry_run_report");
}

}  // namespace

void print_dry_run(RunContext& context) {
  show_settings(context);
  show_commands(context);
  show_git_plan(context);
  show_api_plan(context);
  context.say("Dry run: nothing was run, written or sent.");
}

}  // namespace flowrun::run
