// The differential test: each case's commands run twice, through `flowrun run` and through bash executing the script
// exactly as GitLab Runner 19.x writes it (generated here, independently of flowrun's own code, from the same list),
// fed on stdin as the Docker executor feeds it. The exit status, the files the commands leave and the output (echo
// lines included: flowrun prints Runner's) must be the same. Differences that cannot be helped are listed in the
// case and in the README ("Differences from GitLab Runner").
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "run_fixture.h"

namespace flowrun::testing {
namespace {

struct ParityCase {
  std::string name;
  std::vector<std::string> commands;
  std::map<std::string, std::string> env = {};
  // Files (relative paths) whose content is known to differ, with the reason; empty for an exact match.
  std::set<std::string> files_that_differ = {};
  // flowrun's preflight refuses the flow (a command bash cannot parse) where Runner runs the commands before it.
  bool preflight_refuses = false;
};

void PrintTo(const ParityCase& parity, std::ostream* out) { *out << parity.name; }

// ---- GitLab Runner's script, from shells/bash.go and shells/abstract.go (19.1+) ---------------------------------

std::string go_trim_space(std::string text) {
  auto space_at_front = [&]() -> std::size_t {
    if (text.empty()) return 0;
    if (std::string(" \t\n\r\v\f").find(text.front()) != std::string::npos) return 1;
    if (text.rfind("\xc2\xa0", 0) == 0 || text.rfind("\xc2\x85", 0) == 0) return 2;
    return 0;
  };
  auto space_at_back = [&]() -> std::size_t {
    if (text.empty()) return 0;
    if (std::string(" \t\n\r\v\f").find(text.back()) != std::string::npos) return 1;
    if (text.size() >= 2 && (text.ends_with("\xc2\xa0") || text.ends_with("\xc2\x85"))) return 2;
    return 0;
  };
  while (std::size_t n = space_at_front()) text.erase(0, n);
  while (std::size_t n = space_at_back()) text.erase(text.size() - n);
  return text;
}

// Every byte but letters and digits as \xHH: a different spelling from flowrun's, decoding to the same bytes.
std::string dollar_quote(const std::string& text) {
  static const char* hex = "0123456789abcdef";
  std::string out = "$'";
  for (unsigned char c : text) {
    if (std::isalnum(c)) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out + "'";
}

std::string runner_script(const std::vector<std::string>& commands) {
  std::string body;
  for (const std::string& raw : commands) {
    const std::string command = go_trim_space(raw);
    if (command.empty()) {
      body += "echo\n";
    } else {
      const std::size_t newline = command.find('\n');
      std::string notice = "$ " + command.substr(0, newline);
      if (newline != std::string::npos) notice += " # collapsed multi-line command";
      body += "echo " + dollar_quote("\x1b[32;1m" + notice + "\x1b[0;m") + "\n";
    }
    body += command + "\n";
  }
  return "#!/usr/bin/env bash\n\ntrap 'exit 1' TERM\n\nset -o pipefail\nset -o errexit\nset +o noclobber\n"
         "(trap 'exit 1' TERM; eval " +
         dollar_quote(body) + ") < /dev/null\nexit 0\n";
}

// How the Docker executor starts the shell (shells/bash.go, BashDetectShellScript), output and errors in one stream.
const char* const kDetectShell =
    "exec 2>&1; if [ -x /usr/local/bin/bash ]; then exec /usr/local/bin/bash; elif [ -x /usr/bin/bash ]; then "
    "exec /usr/bin/bash; elif [ -x /bin/bash ]; then exec /bin/bash; fi; echo shell not found; exit 1";

// bash's "line N" in its messages counts the lines of the whole script, and Runner's also holds an `export` line
// per job variable and a `cd`: the numbers cannot agree, the messages must.
std::string without_line_numbers(std::string text) {
  const std::string marker = ": line ";
  for (std::size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + 1)) {
    std::size_t end = at + marker.size();
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    if (end > at + marker.size()) text.replace(at + marker.size(), end - at - marker.size(), "N");
  }
  return text;
}

// ---- Running both ------------------------------------------------------------------------------------------------

std::string yaml_quoted(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02x", c);
      out += escape;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string flow_text(const ParityCase& parity) {
  std::string yaml = "image: alpine:3.20\ncommands:\n";
  for (const auto& command : parity.commands) yaml += "  - " + yaml_quoted(command) + "\n";
  return yaml;
}

using Files = std::map<std::string, std::string>;

// Everything the commands left in the work tree (flowrun's own .flowrun/ and the flow file excepted).
Files snapshot(const std::filesystem::path& root) {
  Files files;
  for (auto it = std::filesystem::recursive_directory_iterator(root); it != std::filesystem::end(it); ++it) {
    const std::string relative = std::filesystem::relative(it->path(), root).string();
    if (relative == ".flowrun" || relative == ".gitlab" || relative == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_symlink()) {
      files[relative] = "<link to " + std::filesystem::read_symlink(it->path()).string() + ">";
    } else if (it->is_directory()) {
      files[relative] = "<dir>";
    } else {
      files[relative] = read_text(it->path());
    }
  }
  return files;
}

// A checkout holding the flow, as a job's is: flowrun commits what the commands changed (--no-push keeps it local).
void fresh_workdir(const std::filesystem::path& workdir, const ParityCase& parity,
                   const std::map<std::string, std::string>& env) {
  std::filesystem::remove_all(workdir);
  std::filesystem::create_directories(workdir);
  write_text(workdir / ".gitlab/duo/flows/parity.yaml", flow_text(parity));
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"init", "--quiet", "-b", "main", "."},
        {"add", "-A"},
        {"-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "flow"}}) {
    ASSERT_EQ(git(args, workdir, env).exit_code, 0);
  }
}

// The commands' part of flowrun's output: inside its "commands" section, before flowrun's own closing lines.
std::string commands_output(const std::string& out) {
  const std::size_t start_marker = out.find(":commands[collapsed=true]\r");
  if (start_marker == std::string::npos) return "<no commands section>\n" + out;
  const std::size_t start = out.find('\n', start_marker) + 1;
  const std::size_t end_name = out.find(":commands\r", start);
  std::size_t end = end_name == std::string::npos ? std::string::npos : out.rfind("\x1b[0Ksection_end:", end_name);
  if (end == std::string::npos || end < start) end = out.size();
  std::string text = out.substr(start, end - start);
  // flowrun's own lines after the output ("flowrun: error: command 2 ... exited with code 3").
  for (;;) {
    const std::size_t line = text.rfind("flowrun: ");
    if (line == std::string::npos || (line > 0 && text[line - 1] != '\n') || text.find('\n', line) != text.size() - 1) {
      break;
    }
    text.erase(line);
  }
  return text;
}

class RunnerParity : public ::testing::TestWithParam<ParityCase> {};

TEST_P(RunnerParity, FlowrunRunsTheCommandsAsGitLabRunnerDoes) {
  const ParityCase& parity = GetParam();
  TempDir dir;
  const std::filesystem::path workdir = dir.path() / "work";
  std::map<std::string, std::string> env = base_environment();
  env["FORCE_COLOR"] = "1";  // flowrun's echo lines in Runner's colours, so whole outputs compare
  env["AI_FLOW_EVENT"] = "mention";
  env["AI_FLOW_INPUT"] = "please fix";
  env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = "Test";
  env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] = "test@example.com";
  for (const auto& [name, value] : parity.env) env[name] = value;

  fresh_workdir(workdir, parity, env);
  const ProcessResult runner =
      run_process({"sh", "-c", kDetectShell}, env, workdir, std::chrono::seconds(60), runner_script(parity.commands));
  ASSERT_FALSE(runner.timed_out);
  const Files runner_files = snapshot(workdir);

  fresh_workdir(workdir, parity, env);
  const ProcessResult flowrun = run_process({FLOWRUN_BINARY, "run", "parity", "--no-push"}, env, workdir);
  ASSERT_FALSE(flowrun.timed_out);
  const Files flowrun_files = snapshot(workdir);
  if (parity.preflight_refuses) {
    EXPECT_NE(runner.exit_code, 0);
    EXPECT_EQ(flowrun.exit_code, 3) << flowrun.out << flowrun.err;
    EXPECT_TRUE(flowrun_files.empty()) << "nothing ran";
    return;
  }
  const std::string report_text = read_text(workdir / ".flowrun/report.json");
  ASSERT_FALSE(report_text.empty()) << flowrun.out << flowrun.err;
  const auto report = nlohmann::json::parse(report_text);

  EXPECT_EQ(report["shell_exit_code"], runner.exit_code) << flowrun.out << flowrun.err;
  if (runner.exit_code == 0) {
    EXPECT_EQ(flowrun.exit_code, 0) << flowrun.out << flowrun.err;
  } else {
    EXPECT_EQ(report["outcome"], "command_failed");
    EXPECT_EQ(flowrun.exit_code, 1);
  }
  EXPECT_EQ(without_line_numbers(commands_output(flowrun.out)), without_line_numbers(runner.out));

  std::set<std::string> names;
  for (const auto& [name, content] : runner_files) names.insert(name);
  for (const auto& [name, content] : flowrun_files) names.insert(name);
  for (const std::string& name : names) {
    if (parity.files_that_differ.count(name) != 0) continue;
    const auto a = runner_files.find(name);
    const auto b = flowrun_files.find(name);
    ASSERT_TRUE(a != runner_files.end()) << name << " only after flowrun";
    ASSERT_TRUE(b != flowrun_files.end()) << name << " only after GitLab Runner's script";
    EXPECT_EQ(b->second, a->second) << name;
  }
}

std::string long_word() { return "x=\"" + std::string(40000, 'a') + "\"; echo ${#x}"; }

const std::vector<ParityCase> kCases = {
    {"Echo", {"echo hello"}},
    {"MultiLineBlock", {"for i in 1 2 3; do\n  echo \"n=$i\"\ndone"}},
    {"YamlQuoting", {"echo 'single' \"double\" `echo back` $'ansi\\tc'", "echo \"a  b\"  c"}},
    {"ExitMidList", {"echo a", "exit 3", "echo never"}},
    {"ExitZeroMidList", {"echo a", "exit 0", "echo never"}},
    {"PipelineFails", {"false | true", "echo after"}},
    {"PipelineSucceeds", {"echo abc | tr a-z A-Z"}},
    {"AndOrLists", {"false && echo no", "echo reached", "false || echo rescued"}},
    {"AndListFailingLast", {"true && false"}},
    {"IfCondition", {"if false; then echo t; else echo f; fi"}},
    {"BangPipeline", {"! true", "echo after-bang"}},
    {"SetPlusEThenFailingLast", {"set +e", "false", "echo still", "(exit 4)"}},
    {"SetPlusEThenSucceeding", {"set +e", "false", "echo still"}},
    {"SetX", {"set -x", "echo traced", "y=1"}},
    {"ExitTrap", {"trap 'echo bye; exit 3' EXIT", "echo work"}},
    {"ExitTrapKeepsStatus", {"trap 'echo cleanup' EXIT", "echo work", "false"}},
    {"ErrTrap", {"trap 'echo err-trap' ERR", "false"}},
    {"DebugTrap", {"trap 'echo dbg' DEBUG", "echo one", "echo two"}},
    {"KillTermTheShell", {"kill -TERM $$", "echo after-kill"}},
    {"KillTheShell", {"kill $$", "echo x"}},
    {"BackgroundJobWaitedFor", {"(sleep 0.2; echo late) &", "echo early", "wait"}},
    {"BackgroundJobLeftRunning", {"sleep 30 &", "echo done"}},
    {"StdinReaders", {"read -r line || echo eof", "cat", "wc -c"}},
    {"CdPersists", {"mkdir -p sub/dir", "cd sub/dir", "pwd | sed 's|.*/||'", "touch here"}},
    {"ExportsWithSpacesAndNewlines",
     {"export A='x  y'", "export B=$'l1\\nl2'", "printf '[%s]\\n' \"$A\" \"$B\"", "bash -c 'echo \"$B\"'"}},
    {"Functions", {"f() { echo \"f:$*\"; }", "f 1 2"}},
    {"ExitFromAFunction", {"f() { exit 5; }", "f", "echo never"}},
    {"AliasesOff", {"alias ll='echo aliased'", "ll"}},
    {"AliasesOn", {"shopt -s expand_aliases", "alias ll='echo aliased'", "ll"}},
    {"Source", {"printf 'SOURCED=yes\\n' > lib.sh", ". ./lib.sh", "echo $SOURCED"}},
    {"ExecOfAProgram", {"echo before", "exec echo replaced", "echo never"}},
    {"ExecOfDescriptors", {"exec 3>out.txt", "echo to-fd >&3", "exec 3>&-", "cat out.txt"}},
    {"HereDoc", {"cat > f.txt <<'EOF'\nline $HOME\nEOF", "cat f.txt"}},
    {"HereDocEndWordWithTrailingSpaces", {"cat <<EOF\nx\nEOF   ", "echo after"}},
    // The echo line of each command the here-doc swallows is text of the document: Runner's, or flowrun's with its
    // marker. Output and status agree; the document's bytes cannot.
    {"HereDocAcrossCommands", {"cat > h.txt <<EOF", "in-heredoc", "EOF", "wc -l < h.txt"}, {}, {"h.txt"}},
    {"Continuation", {"echo a \\", "echo b"}},
    {"PipeBlockEndingInContinuation", {"echo one |\n  tr a-z A-Z; echo \\", "echo next"}},
    // A trailing `|` pipes into the next command's echo line. The left side writes nothing: output written into that
    // line races with its exit (SIGPIPE or not) under Runner and flowrun alike.
    {"PipeIntoTheNextCommand", {"true |", "sort -r"}},
    {"CarriageReturns", {"echo crlf\r", "touch \"name\"\r", "printf 'a\\n'\r\nprintf 'b\\n'\r"}},
    {"BinaryOutput", {"printf '\\x00\\x01\\xff\\xfe\\n'", "printf 'bin\\x00ary\\n'"}},
    {"LongOutput", {"seq 1 20000"}},
    {"VeryLongWord", {long_word()}},
    {"CommandSubstitutionUnderErrexit", {"v=$(false; echo ignored)", "echo \"v=$v\""}},
    {"FailingAssignment", {"v=$(exit 3)", "echo never"}},
    {"LocalOutsideAFunction", {"local x=1", "echo after"}},
    {"Nounset", {"set -u", "echo ${UNDEFINED_VAR}"}},
    {"ErrexitInAFunctionCalledInACondition", {"f() { false; echo in-f; }", "f || echo or", "f"}},
    {"HostileFlowValues",
     {"printf '%s' \"$AI_FLOW_INPUT\" > input.txt", "echo \"$AI_FLOW_CONTEXT\" | wc -c"},
     {{"AI_FLOW_INPUT", "$(touch pwned) `touch pwned2` '; touch pwned3; '\n\\"},
      {"AI_FLOW_CONTEXT", "{\"a\": \"$(id)\"}"}}},
    {"UnicodeSpacesTrimmed",
     {"\xc2\xa0"
      "echo nbsp\xc2\xa0"}},
    {"CommentOnly", {"# just a comment", "echo after-comment"}},
    {"BlankCommand", {" ", "echo x"}},
    // Runner runs `echo` and then fails on the syntax error; flowrun refuses the flow before anything runs.
    {"SyntaxErrorInALaterCommand", {"echo runs-first", "if then fi"}, {}, {}, true},
};

INSTANTIATE_TEST_SUITE_P(Cases, RunnerParity, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<ParityCase>& info) { return info.param.name; });

TEST(RunnerParityCorpus, HasAtLeastFortyCases) { EXPECT_GE(kCases.size(), 40U); }

}  // namespace
}  // namespace flowrun::testing
