// Fuzz target: arbitrary bytes as a flow file, through the loader, the schema checks and the checks of the commands
// that run no program (handoff, variables, secrets, known bugs), then the validation report renderers.
// `bash -n` and shellcheck are left out: they start processes, far too slow for a fuzzer and not flowrun's code.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "flowrun/flow/flow.h"
#include "flowrun/flow/handoff.h"
#include "flowrun/flow/known_bug_checks.h"
#include "flowrun/flow/secret_checks.h"
#include "flowrun/flow/shell_syntax.h"
#include "flowrun/flow/validation.h"
#include "flowrun/flow/validation_report.h"
#include "flowrun/flow/variable_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flowrun::flow;
  const std::string text(reinterpret_cast<const char*>(data), size);
  LoadResult loaded = load_flow_text(text, "fuzz.yaml");

  FileReport report{"fuzz.yaml", {}, std::move(loaded.diagnostics)};
  if (loaded.flow) {
    const Flow& flow = *loaded.flow;
    std::vector<ShellScan> scans;
    scans.reserve(flow.commands.size());
    for (const FlowCommand& command : flow.commands) {
      scans.push_back(scan_shell(command.text));
      for (const SimpleCommand& simple : scans.back().commands) {
        // Every word must lie inside the command's text, and positions must map into the file.
        for (const ShellWord& word : simple.words) {
          if (word.offset > word.end || word.end > command.text.size()) std::abort();
          (void)file_position(flow, command, word.offset);
        }
        (void)effective_words(simple);
      }
    }
    (void)find_handoff(flow);
    for (auto& d : check_handoff(flow)) report.diagnostics.push_back(std::move(d));
    for (auto& d : check_variables(flow, scans)) report.diagnostics.push_back(std::move(d));
    for (auto& d : check_secrets(flow, scans)) report.diagnostics.push_back(std::move(d));
    for (auto& d : check_known_bugs(flow, scans)) report.diagnostics.push_back(std::move(d));
    (void)join_commands(flow);
  }
  sort_diagnostics(report.diagnostics);
  const std::vector<FileReport> reports{report};
  (void)render_text(reports, /*color=*/true);
  (void)render_json(reports);
  (void)summary_line(summarize(reports));
  return 0;
}
