#include <iomanip>
#include <sstream>

#include "flowrun/run/run_report.h"

namespace flowrun::run {

namespace {

// XML 1.0 allows no control characters but tab, newline and carriage return, even escaped: drop the others.
std::string xml_escape(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
        out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string seconds(double value) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << value;
  return out.str();
}

std::string tail_text(const RunReport& report) {
  std::string tail;
  for (const auto& line : report.output_tail) tail += line + "\n";
  return tail;
}

}  // namespace

std::string to_junit(const RunReport& report) {
  std::size_t failures = 0, errors = 0, skipped = 0;
  for (const auto& command : report.commands) {
    if (command.state == exec::CommandState::failed) ++failures;
    if (command.state == exec::CommandState::interrupted) ++errors;
    if (command.state == exec::CommandState::not_run) ++skipped;
  }
  const std::string suite = "flowrun." + report.flow_name;
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"flowrun\" tests=\"" << report.commands.size() << "\" failures=\"" << failures
      << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\" time=\"" << seconds(report.duration_seconds)
      << "\">\n";
  out << "  <testsuite name=\"" << xml_escape(suite) << "\" tests=\"" << report.commands.size() << "\" failures=\""
      << failures << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\" time=\""
      << seconds(report.duration_seconds) << "\" timestamp=\"" << xml_escape(report.started_at) << "\">\n";
  for (const auto& command : report.commands) {
    out << "    <testcase classname=\"" << xml_escape(suite) << "\" name=\""
        << xml_escape("command " + std::to_string(command.index + 1) + ": " + command.first_line) << "\" time=\""
        << seconds(command.duration_seconds) << "\"";
    if (command.state == exec::CommandState::succeeded) {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    if (command.state == exec::CommandState::failed) {
      std::string how = command.signal != 0 ? "killed by signal " + std::to_string(command.signal)
                                            : "exit code " + std::to_string(command.exit_code);
      out << "      <failure message=\"" << xml_escape(how) << "\" type=\"command_failed\">"
          << xml_escape(tail_text(report)) << "</failure>\n";
    } else if (command.state == exec::CommandState::interrupted) {
      out << "      <error message=\""
          << xml_escape(report.outcome == RunOutcome::cancelled ? "cancelled" : "timed out") << "\" type=\""
          << xml_escape(std::string(outcome_name(report.outcome))) << "\">" << xml_escape(tail_text(report))
          << "</error>\n";
    } else {
      out << "      <skipped message=\"not run: an earlier command ended the job\"/>\n";
    }
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
  return out.str();
}

}  // namespace flowrun::run
