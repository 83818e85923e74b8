#include "flowrun/gitlab/note.h"

#include <algorithm>
#include <csignal>

#include "flowrun/core/text.h"
#include "flowrun/gitlab/agent_answer.h"

namespace flowrun::gitlab {

namespace {

using Outcome = NoteModel::Outcome;

constexpr std::size_t kFilesShownOpen = 10;
// GitLab refuses notes over 1,000,000 characters. The file list stops after this many files (50,000 files of a
// node_modules would fill it alone), and a note still over kNoteBudgetBytes goes without the patch.
constexpr std::size_t kFilesListed = 200;
constexpr std::size_t kNoteBudgetBytes = 900'000;

struct OutcomeText {
  std::string_view emoji;
  std::string_view title;
  bool ran_to_the_end;  // "in 3 min" rather than "after 3 min"
};

OutcomeText outcome_text(Outcome outcome) {
  switch (outcome) {
    case Outcome::succeeded:
      return {"\u2705", "Succeeded", true};
    case Outcome::no_changes:
      return {"\u2611\uFE0F", "Finished without changes", true};
    case Outcome::command_failed:
      return {"\u274C", "A command failed", false};
    case Outcome::timed_out:
      return {"\u23F1\uFE0F", "Timed out", false};
    case Outcome::cancelled:
      return {"\U0001F6AB", "Cancelled", false};
    case Outcome::invalid_flow:
      return {"\u26A0\uFE0F", "The flow file is not valid", false};
    case Outcome::missing_variables:
      return {"\u26A0\uFE0F", "Variables are missing", false};
    case Outcome::git_failed:
      return {"\u274C", "The changes could not be pushed", false};
    case Outcome::internal_error:
      return {"\u26A0\uFE0F", "flowrun hit an internal error", false};
    case Outcome::stopped_early:
      return {"\u26A0\uFE0F", "Stopped early", false};
    case Outcome::push_refused:
      return {"\U0001F6D1", "Not pushed: the checks before pushing refused the changes", true};
  }
  return {"\u2753", "Finished", true};
}

std::string signal_name(int signal) {
  switch (signal) {
    case SIGHUP:
      return "SIGHUP";
    case SIGINT:
      return "SIGINT";
    case SIGQUIT:
      return "SIGQUIT";
    case SIGILL:
      return "SIGILL";
    case SIGABRT:
      return "SIGABRT";
    case SIGBUS:
      return "SIGBUS";
    case SIGFPE:
      return "SIGFPE";
    case SIGKILL:
      return "SIGKILL";
    case SIGSEGV:
      return "SIGSEGV";
    case SIGPIPE:
      return "SIGPIPE";
    case SIGALRM:
      return "SIGALRM";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "";
  }
}

// A URL GitLab gave us, as a Markdown link target; empty when it is not a plain http(s) URL.
std::string safe_url(std::string_view url) {
  if (!url.starts_with("https://") && !url.starts_with("http://")) return "";
  for (unsigned char c : url) {
    if (c <= ' ' || c == 0x7F || c == '<' || c == '>' || c == '"' || c == '(' || c == ')' || c == '`') return "";
  }
  return std::string(url);
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  for (std::string_view line : text::split_lines(text)) lines.emplace_back(line);
  return lines;
}

std::string sha_text(std::string_view sha) { return inline_code(sha.substr(0, 12)); }

std::string counts(long additions, long deletions) {
  return "+" + std::to_string(additions) + " -" + std::to_string(deletions);
}

std::string failing_command_section(const NoteModel& model) {
  const FailingCommand& command = *model.failing_command;
  std::string text = "Command " + std::to_string(command.index) + ", " + inline_code(command.first_line) + ", ";
  if (model.outcome == Outcome::timed_out) {
    text += "was still running when the time ran out";
  } else if (model.outcome == Outcome::cancelled) {
    text += "was running when the job was cancelled";
  } else if (command.signal) {
    std::string name = signal_name(*command.signal);
    text += "was stopped by signal " + std::to_string(*command.signal) + (name.empty() ? "" : " (" + name + ")");
  } else if (command.exit_code) {
    text += "exited with code " + std::to_string(*command.exit_code);
  } else {
    text += "failed";
  }
  return text + ".";
}

std::string changes_section(const NoteModel& model) {
  long additions = 0;
  long deletions = 0;
  for (const ChangedFile& file : model.files) {
    additions += file.additions;
    deletions += file.deletions;
  }
  // `branch` is set only when the commit reached the server.
  const bool pushed = !model.branch.empty() && !model.commit_sha.empty();
  std::string summary = std::to_string(model.files.size()) + (model.files.size() == 1 ? " file" : " files") +
                        " changed (" + counts(additions, deletions) + ")";
  std::string text;
  if (pushed) {
    text = "Pushed " + sha_text(model.commit_sha);
    if (!model.branch.empty()) text += " to branch " + inline_code(model.branch);
    text += model.files.empty() ? "." : ": " + summary + ".";
  } else if (!model.commit_sha.empty()) {
    text = "Committed " + sha_text(model.commit_sha) + " in the job, not pushed: " + summary + ".";
  } else if (!model.files.empty()) {
    text = "Changed, not pushed: " + summary + ".";
  }
  if (model.files.empty()) return text;

  std::string list;
  for (std::size_t i = 0; i < model.files.size() && i < kFilesListed; ++i) {
    const ChangedFile& file = model.files[i];
    list += "- " + inline_code(visible_file_name(file.path)) + " \u2014 ";
    list += file.status.empty() ? std::string("changed") : neutralize_untrusted(file.status);
    list += ", " + counts(file.additions, file.deletions) + "\n";
  }
  if (model.files.size() > kFilesListed) {
    list += "- \u2026 and " + std::to_string(model.files.size() - kFilesListed) +
            " more (every file is listed in the job's `.flowrun/report.json`)\n";
  }
  if (model.files.size() > kFilesShownOpen) {
    return text + "\n\n<details><summary>" + summary + "</summary>\n\n" + list + "\n</details>";
  }
  return text + "\n\n" + list.substr(0, list.size() - 1);
}

std::string merge_request_section(const NoteModel& model) {
  std::string url = safe_url(model.merge_request_url);
  if (url.empty()) return "";
  return (model.merge_request_existing ? "Merge request (already open, now updated): " : "Merge request: ") + url;
}

std::string output_section(const NoteModel& model) {
  const std::size_t count = model.output_tail.size();
  return "<details><summary>Last " + std::to_string(count) + (count == 1 ? " line" : " lines") +
         " of output</summary>\n\n" + code_block(model.output_tail) + "\n</details>";
}

std::string missing_variables_section(const NoteModel& model) {
  std::string names;
  for (const std::string& name : model.missing_variables) names += (names.empty() ? "" : ", ") + inline_code(name);
  return "These variables are listed in the flow but missing or empty, so nothing ran: " + names +
         ".\nSet them in the project's Settings > CI/CD > Variables; a protected variable only reaches protected "
         "branches and tags.";
}

std::string links_section(const NoteModel& model) {
  std::string text;
  if (auto job = safe_url(model.job_url); !job.empty()) text += "[Job log](" + job + ")";
  if (auto pipeline = safe_url(model.pipeline_url); !pipeline.empty())
    text += (text.empty() ? "" : " \u00B7 ") + std::string("[Pipeline](") + pipeline + ")";
  return text;
}

std::string render_sections(const NoteModel& model, std::string_view marker);
// What the agent says it did, first (people read the top of a note), then what it used.
void agent_sections(const NoteModel& model, std::vector<std::string>& sections) {
  if (!text::trim(model.agent_message).empty()) {
    sections.push_back(agent_message_markdown(model.agent_message, model.job_url, kAgentMessageInNoteBytes));
  }
  if (model.outcome != Outcome::stopped_early && !model.stopped_early.empty()) {
    sections.push_back("The agent reported: " + neutralize_untrusted(model.stopped_early));
  }
  if (!model.agent_usage.empty()) sections.push_back("Usage: " + neutralize_untrusted(model.agent_usage));
}

}  // namespace

std::string format_duration(std::chrono::milliseconds duration) {
  const long long ms = std::max<long long>(0, duration.count());
  if (ms < 1000) return std::to_string(ms) + " ms";
  const long long seconds = ms / 1000;
  if (seconds < 60) return std::to_string(seconds) + " s";
  if (seconds < 3600) return std::to_string(seconds / 60) + " min " + std::to_string(seconds % 60) + " s";
  return std::to_string(seconds / 3600) + " h " + std::to_string(seconds % 3600 / 60) + " min";
}

std::string marker_comment(std::string_view marker) {
  std::string clean;
  for (char c : marker) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                         c == '_' || c == ':' || c == '/' || c == '-';
    clean += allowed ? c : '_';
  }
  // "--" may not appear inside an HTML comment; "-->" would end it.
  for (auto pos = clean.find("--"); pos != std::string::npos; pos = clean.find("--")) clean.replace(pos, 2, "-_");
  return "<!-- flowrun:" + clean + " -->";
}

std::string render_note(const NoteModel& model, std::string_view marker) {
  std::string note = render_sections(model, marker);
  if (note.size() <= kNoteBudgetBytes || model.patch_text.empty()) return note;
  NoteModel without_patch = model;
  without_patch.patch_text.clear();
  return render_sections(without_patch, marker);
}

namespace {

std::string render_sections(const NoteModel& model, std::string_view marker) {
  const OutcomeText outcome = outcome_text(model.outcome);
  std::vector<std::string> sections;

  std::string headline = std::string(outcome.emoji) + " **" + std::string(outcome.title) + "**";
  if (model.outcome == Outcome::stopped_early && !model.stopped_early.empty()) {
    headline += ": " + neutralize_untrusted(text::first_line(model.stopped_early)) + " \u2014";
  }
  headline += std::string(" ") + (outcome.ran_to_the_end ? "in " : "after ") + format_duration(model.duration);
  if (!model.flow_name.empty()) headline += " \u2014 flow " + inline_code(model.flow_name);
  sections.push_back(std::move(headline));
  agent_sections(model, sections);

  if (model.failing_command && model.failing_command->index > 0) sections.push_back(failing_command_section(model));
  switch (model.outcome) {
    case Outcome::no_changes:
      sections.push_back("The agent changed no files, so there was nothing to commit.");
      break;
    case Outcome::invalid_flow:
      sections.push_back("Nothing ran. Run `flowrun validate` on the flow file to see the same findings locally.");
      break;
    case Outcome::missing_variables:
      if (!model.missing_variables.empty()) sections.push_back(missing_variables_section(model));
      break;
    case Outcome::git_failed:
      if (!model.push_error.empty()) {
        std::string block = code_block(lines_of(model.push_error));
        block.pop_back();  // sections are joined by blank lines already
        sections.push_back("The commands succeeded, but Git failed:\n\n" + block);
      }
      break;
    case Outcome::push_refused:
      if (!model.refusals.empty()) {
        std::string list;
        for (const std::string& refusal : model.refusals) list += "\n- " + neutralize_untrusted(refusal);
        sections.push_back("Nothing left the job. Refused:\n" + list);
      }
      break;
    default:
      break;
  }
  if (!model.files.empty() || !model.commit_sha.empty()) {
    if (auto changes = changes_section(model); !changes.empty()) sections.push_back(std::move(changes));
  }
  if (auto merge_request = merge_request_section(model); !merge_request.empty()) sections.push_back(merge_request);
  if (!model.patch_text.empty()) {
    // The job's files vanish with the job; a patch in the note is work nobody has to redo.
    std::vector<std::string> lines;
    std::string_view rest = model.patch_text;
    while (!rest.empty()) {
      auto end = rest.find('\n');
      lines.emplace_back(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    }
    sections.push_back(
        "The changes were not pushed; here they are as a patch (save it and run `git apply` on it):\n\n"
        "<details><summary>" +
        inline_code(model.patch_artifact.empty() ? "changes.patch" : model.patch_artifact) + "</summary>\n\n" +
        code_block(lines, "diff", 100000, /*verbatim=*/true) + "\n</details>");
  } else if (!model.patch_artifact.empty()) {
    sections.push_back("The changes were not pushed; they are kept as the patch " + inline_code(model.patch_artifact) +
                       " in the job's `.flowrun` folder (add it to the job's artifacts to download it).");
  }
  if (!model.output_tail.empty()) sections.push_back(output_section(model));
  if (!model.notes.empty()) {
    std::string list;
    for (const std::string& note : model.notes) {
      std::string line = neutralize_untrusted(note);
      for (auto pos = line.find('\n'); pos != std::string::npos; pos = line.find('\n', pos + 3))
        line.replace(pos, 1, "\n  ");
      list += (list.empty() ? "- " : "\n- ") + line;
    }
    sections.push_back(std::move(list));
  }
  if (auto links = links_section(model); !links.empty()) sections.push_back(std::move(links));
  sections.push_back(marker_comment(marker));

  std::string note;
  for (const std::string& section : sections) {
    if (!note.empty()) note += "\n\n";
    note += section;
  }
  return note;
}

}  // namespace

}  // namespace flowrun::gitlab
