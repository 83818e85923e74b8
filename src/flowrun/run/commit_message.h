#pragma once
// The commit message: a template with {placeholders} (flow's `flowrun.commit_message`, or the default below).
#include <map>
#include <string>

namespace flowrun::run {

// Placeholders: {flow} {event} {task} {reference} {pipeline_url} {job_url} {branch}. Unknown ones are kept as written;
// `{{` and `}}` stand for literal braces.
inline constexpr const char* default_commit_message_template =
    "{flow}: {task}\n"
    "\n"
    "Changes made by the {flow} flow ({event}) for {reference}.\n"
    "\n"
    "Pipeline: {pipeline_url}\n"
    "Job: {job_url}\n";

std::string render_commit_message(const std::string& template_text, const std::map<std::string, std::string>& values);

// `message` with a `Co-authored-by: <co_author>` trailer: added to its closing block of trailers ("Key: value" lines)
// when it ends in one, else in a block of its own. Unchanged when `co_author` is empty or already credited.
std::string with_co_author(std::string message, const std::string& co_author);

// The task in one line: the first non-empty line of the input with leading @mentions removed ("@claude fix x" -> "fix
// x"), cut at `max_length` characters on a UTF-8 boundary with "…".
std::string task_summary(const std::string& input, std::size_t max_length = 72);

}  // namespace flowrun::run
