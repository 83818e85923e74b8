// `flowrun run --dry-run`: everything the run would do, shown and not done. It executes no command, writes nothing to
// the repository and sends nothing: it only reads the flow, the environment and the repository.
#include <regex>

#include "flowrun/exec/script.h"
#include "flowrun/flow/handoff.h"
#include "flowrun/git/git.h"
#include "flowrun/git/credentials.h"
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

// The command with $NAME and ${NAME} replaced by the (masked, shortened) values the job has. For people only: this
// text is never run.
std::string with_values(const std::string& command, const RunContext& context) {
  static const std::regex reference(R"(\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*))");
  std::string out;
  auto begin = std::sregex_iterator(command.begin(), command.end(), reference);
  std::size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& match = *it;
    std::string name = match[1].matched ? match[1].str() : match[2].str();
    out += command.substr(last, static_cast<std::size_t>(match.position()) - last);
    last = static_cast<std::size_t>(match.position() + match.length());
    auto value = context.job_env.get(name);
    if (!value) {
      out += match.str();
      continue;
    }
    std::string shown = context.mask(*value);
    if (shown.size() > kShownValueBytes) {
      shown = shown.substr(0, kShownValueBytes) + "…(" + std::to_string(value->size()) + " bytes)";
    }
    out += "⟨" + shown + "⟩";
  }
  out += command.substr(last);
  return out;
}

void show_commands(RunContext& context) {
  const flow::Flow& flow = *context.flow;
  std::size_t first = 0;
  if (auto handoff = flow::find_handoff(flow)) first = handoff->index + 1;
  std::vector<std::string> commands;
  for (std::size_t i = first; i < flow.commands.size(); ++i) commands.push_back(flow.commands[i].text);
  context.section_start("dry_run_script", "Dry run: the script bash would run");
  if (first > 0) context.say("(command 1, `" + flow.commands[first - 1].text + "`, is the handoff to flowrun: skipped)");
  context.say(exec::build_script(commands, false, 3));
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
    context.say("changes in the work tree now (the agent's will add to them): " +
                std::to_string(changes.files.size()) + " file(s)");
    for (const auto& file : changes.files) context.say(std::string("  ") + file.status + " " + file.path);
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
  auto api_base = gitlab::api_base_url(env, context.settings.gitlab_url.value_or(env.get("FLOWRUN_GITLAB_URL").value_or("")));
  std::vector<std::string> names;
  for (const auto& variable : context.flow->variables) names.push_back(variable.value);
  auto tokens = gitlab::api_tokens_from_environment(env, names);
  context.say("API:          " + (api_base ? *api_base : std::string("(none configured: the note would only be logged)")));
  std::string sources;
  for (const auto& token : tokens) sources += (sources.empty() ? "" : ", ") + token.source;
  context.say("tokens:       " + (sources.empty() ? std::string("(none)") : sources));
  if (!noteable) {
    context.say("answer:       only logged (no issue, merge request or epic to answer on)");
  } else {
    bool epic = noteable->kind == gitlab::Noteable::Kind::epic;
    std::string base = epic ? "/groups/" + gitlab::encoded_api_id(noteable->group) + "/epics/" +
                                  std::to_string(noteable->iid)
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
  context.say("merge request: GET /projects/:id/merge_requests?source_branch=<branch>&state=opened, then "
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
  show_commands(context);
  show_git_plan(context);
  show_api_plan(context);
  context.say("Dry run: nothing was run, written or sent.");
}

}  // namespace flowrun::run
