// `flowrun validate`, `flowrun list` and `flowrun schema`, run as a user runs them: the built binary, its exit
// status, what it prints on standard output and standard error.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "flowrun/core/process.h"

namespace {

namespace core = flowrun::core;

namespace fs = std::filesystem;

const fs::path fixtures = FLOWRUN_FIXTURES_DIR;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A fresh folder, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "flowrun-validate-cli-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code error;
    fs::remove_all(path_, error);
  }
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& relative, const std::string& content) const {
    fs::path target = path_ / relative;
    fs::create_directories(target.parent_path());
    std::ofstream(target, std::ios::binary) << content;
    return target;
  }

 private:
  fs::path path_;
};

// Runs the flowrun binary in `cwd` with `stdin_text` as standard input. Output goes through files, so neither
// side can block on a full pipe. The environment is the test's own with NO_COLOR set, plus `extra_env`.
Outcome run_flowrun(const std::vector<std::string>& arguments, const fs::path& cwd = fs::current_path(),
                    const std::string& stdin_text = "", const std::map<std::string, std::string>& extra_env = {}) {
  TempDir io;
  fs::path in = io.write("stdin", stdin_text), out = io.path() / "stdout", err = io.path() / "stderr";

  std::map<std::string, std::string> env_map;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string item(*entry);
    auto equals = item.find('=');
    if (equals != std::string::npos) env_map[item.substr(0, equals)] = item.substr(equals + 1);
  }
  env_map.erase("FORCE_COLOR");
  env_map.erase("GITLAB_CI");
  env_map["NO_COLOR"] = "1";
  for (const auto& [name, value] : extra_env) env_map[name] = value;
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env_map) env_strings.push_back(name + "=" + value);

  // Files opened close-on-exec: the launcher installs them as the child's 0-2 and closes everything else.
  const int in_fd = ::open(in.c_str(), O_RDONLY | O_CLOEXEC);
  const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  core::SpawnResult child;
  if (in_fd >= 0 && out_fd >= 0 && err_fd >= 0) {
    core::SpawnRequest request;
    request.executable = FLOWRUN_BINARY;
    request.arguments = arguments;
    request.environment = env_strings;
    request.workdir = cwd;
    request.stdin_fd = in_fd;
    request.stdout_fd = out_fd;
    request.stderr_fd = err_fd;
    child = core::spawn_process(request);
  }
  for (int fd : {in_fd, out_fd, err_fd}) {
    if (fd >= 0) ::close(fd);
  }
  Outcome outcome;
  int status = 0;
  if (child.pid > 0 && ::waitpid(child.pid, &status, 0) == child.pid && WIFEXITED(status)) {
    outcome.exit_code = WEXITSTATUS(status);
  }
  outcome.out = read_all(out);
  outcome.err = read_all(err);
  return outcome;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::string clean_flow = "image: alpine:3.20\ncommands:\n  - echo \"hello\"\n";
const std::string broken_flow = "image: 22\ncommand:\n  - echo \"hello\"\n";
const std::string warning_flow = "image: alpine:3.20\ncommands:\n  - echo \"hello\"\nstages: [test]\n";

TEST(ValidateCli, ACleanFlowExitsZero) {
  TempDir dir;
  dir.write("clean.yaml", clean_flow);
  Outcome outcome = run_flowrun({"validate", "clean.yaml"}, dir.path());
  EXPECT_EQ(outcome.exit_code, 0) << outcome.out << outcome.err;
  EXPECT_EQ(outcome.out, "");
  EXPECT_NE(outcome.err.find("1 file checked: 0 errors, 0 warnings, 0 info"), std::string::npos) << outcome.err;
}

TEST(ValidateCli, ErrorsExitOneWithOneLinePerFinding) {
  TempDir dir;
  dir.write("broken.yaml", broken_flow);
  Outcome outcome = run_flowrun({"validate", "--no-shellcheck", "broken.yaml"}, dir.path());
  EXPECT_EQ(outcome.exit_code, 1);
  auto lines = lines_of(outcome.out);
  ASSERT_EQ(lines.size(), 3u) << outcome.out;
  const std::regex format(R"(^broken\.yaml:\d+:\d+: (error|warning|info): .+ \[[a-z0-9-]+\]$)");
  for (const auto& line : lines) EXPECT_TRUE(std::regex_match(line, format)) << line;
  EXPECT_EQ(lines[0].rfind("broken.yaml:1:1: error: no `commands:`", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("broken.yaml:1:8: error: `image` must be a string", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind("broken.yaml:2:1: warning: unknown key `command`", 0), 0u) << lines[2];
  EXPECT_NE(outcome.err.find("1 file checked: 2 errors, 1 warning, 0 info"), std::string::npos);
}

TEST(ValidateCli, JsonFormatParses) {
  TempDir dir;
  dir.write("a.yaml", broken_flow);
  dir.write("b.yaml", clean_flow);
  Outcome outcome = run_flowrun({"validate", "--format", "json", "--no-shellcheck", "a.yaml", "b.yaml"}, dir.path());
  EXPECT_EQ(outcome.exit_code, 1);
  auto json = nlohmann::json::parse(outcome.out);
  ASSERT_EQ(json["files"].size(), 2u);
  EXPECT_EQ(json["files"][0]["path"], "a.yaml");
  EXPECT_EQ(json["files"][0]["diagnostics"].size(), 3u);
  EXPECT_EQ(json["files"][0]["diagnostics"][0]["rule"], "schema-required");
  EXPECT_EQ(json["files"][0]["diagnostics"][0]["line"], 1);
  EXPECT_EQ(json["files"][1]["diagnostics"].size(), 0u);
  EXPECT_EQ(json["summary"]["files"], 2);
  EXPECT_EQ(json["summary"]["errors"], 2);
  EXPECT_EQ(json["summary"]["warnings"], 1);
}

TEST(ValidateCli, CodeQualityFingerprintsAreUnique) {
  Outcome outcome = run_flowrun({"validate", "--format=codequality", (fixtures / "seed004").string(),
                                 (fixtures / "flows" / "invalid" / "variable_names.yaml").string()});
  EXPECT_EQ(outcome.exit_code, 1);
  auto issues = nlohmann::json::parse(outcome.out);
  ASSERT_TRUE(issues.is_array());
  ASSERT_GT(issues.size(), 10u);
  std::set<std::string> fingerprints;
  for (const auto& issue : issues) {
    for (const char* key : {"description", "check_name", "fingerprint", "severity"}) {
      EXPECT_TRUE(issue[key].is_string()) << key;
    }
    EXPECT_TRUE(issue["location"]["path"].is_string());
    EXPECT_GE(issue["location"]["lines"]["begin"].get<int>(), 1);
    std::set<std::string> severities = {"info", "minor", "major", "critical", "blocker"};
    EXPECT_EQ(severities.count(issue["severity"]), 1u);
    fingerprints.insert(issue["fingerprint"].get<std::string>());
  }
  EXPECT_EQ(fingerprints.size(), issues.size());
}

TEST(ValidateCli, ReadsStandardInput) {
  TempDir dir;
  Outcome outcome = run_flowrun({"validate", "--no-shellcheck", "-"}, dir.path(), broken_flow);
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_EQ(outcome.out.rfind("<stdin>:1:1: error: no `commands:`", 0), 0u) << outcome.out;
  Outcome clean = run_flowrun({"validate", "-"}, dir.path(), clean_flow);
  EXPECT_EQ(clean.exit_code, 0) << clean.out;
}

TEST(ValidateCli, ChecksTheFlowsOfAFolder) {
  TempDir dir;
  dir.write("flows/one.yaml", clean_flow);
  dir.write("flows/two.yml", broken_flow);
  dir.write("flows/notes.md", "not a flow");
  Outcome outcome = run_flowrun({"validate", "--no-shellcheck", "flows"}, dir.path());
  EXPECT_EQ(outcome.exit_code, 1);
  for (const auto& line : lines_of(outcome.out)) EXPECT_EQ(line.rfind("flows/two.yml:", 0), 0u) << line;
  EXPECT_NE(outcome.err.find("2 files checked"), std::string::npos);
}

TEST(ValidateCli, WithoutArgumentsChecksTheRepositorysFlowsFromASubfolder) {
  TempDir dir;
  fs::create_directories(dir.path() / ".git");
  dir.write(".gitlab/duo/flows/agent.yaml", warning_flow);
  fs::create_directories(dir.path() / "src" / "lib");
  Outcome outcome = run_flowrun({"validate", "--no-shellcheck"}, dir.path() / "src" / "lib");
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(outcome.out.rfind("../../.gitlab/duo/flows/agent.yaml:4:1: warning: unknown key `stages`", 0), 0u)
      << outcome.out;
  // Code Quality wants paths from the repository root.
  Outcome report = run_flowrun({"validate", "--no-shellcheck", "--format", "codequality"}, dir.path() / "src");
  EXPECT_EQ(nlohmann::json::parse(report.out)[0]["location"]["path"], ".gitlab/duo/flows/agent.yaml");
}

TEST(ValidateCli, SaysWhereItLookedWhenThereAreNoFlows) {
  TempDir dir;
  fs::create_directories(dir.path() / ".git");
  Outcome outcome = run_flowrun({"validate"}, dir.path());
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.err.find(".gitlab/duo/flows/"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find(dir.path().string()), std::string::npos) << outcome.err;
}

TEST(ValidateCli, StrictMakesWarningsFail) {
  TempDir dir;
  dir.write("warn.yaml", warning_flow);
  EXPECT_EQ(run_flowrun({"validate", "--no-shellcheck", "warn.yaml"}, dir.path()).exit_code, 0);
  EXPECT_EQ(run_flowrun({"validate", "--no-shellcheck", "--strict", "warn.yaml"}, dir.path()).exit_code, 1);
}

TEST(ValidateCli, QuietPrintsOnlyErrorsAndWarnings) {
  // The documentation's Claude flow has info findings (an unused variable, the hand-written git tail).
  Outcome normal = run_flowrun({"validate", (fixtures / "seed004" / "claude.yaml").string()});
  ASSERT_NE(normal.out.find(": info: "), std::string::npos);
  Outcome quiet = run_flowrun({"validate", "--quiet", (fixtures / "seed004" / "claude.yaml").string()});
  EXPECT_EQ(quiet.exit_code, 1);
  EXPECT_EQ(quiet.out.find(": info: "), std::string::npos);
  EXPECT_NE(quiet.out.find(": error: "), std::string::npos);
  EXPECT_EQ(quiet.err, "");
}

TEST(ValidateCli, BadArgumentsAndUnreadablePathsExitTwo) {
  TempDir dir;
  EXPECT_EQ(run_flowrun({"validate", "--no-such-option"}, dir.path()).exit_code, 2);
  EXPECT_EQ(run_flowrun({"validate", "--format", "xml", "x.yaml"}, dir.path()).exit_code, 2);
  Outcome missing = run_flowrun({"validate", "missing.yaml"}, dir.path());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.out.find("missing.yaml: error: no such file"), std::string::npos) << missing.out;
  fs::create_directories(dir.path() / "empty");
  EXPECT_EQ(run_flowrun({"validate", "empty"}, dir.path()).exit_code, 2);
}

TEST(ValidateCli, NotesWhenShellcheckIsMissing) {
  TempDir dir;
  dir.write("clean.yaml", clean_flow);
  // No shellcheck on this PATH; bash is still found where systems keep it.
  Outcome outcome = run_flowrun({"validate", "clean.yaml"}, dir.path(), "", {{"PATH", dir.path().string()}});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.out << outcome.err;
  EXPECT_NE(outcome.err.find("shellcheck not found: shell checks limited to bash -n (install shellcheck)"),
            std::string::npos)
      << outcome.err;
  Outcome disabled =
      run_flowrun({"validate", "--no-shellcheck", "clean.yaml"}, dir.path(), "", {{"PATH", dir.path().string()}});
  EXPECT_EQ(disabled.err.find("shellcheck not found"), std::string::npos);
}

TEST(ValidateCli, HelpDocumentsEveryOption) {
  Outcome help = run_flowrun({"validate", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* option :
       {"--format", "text", "json", "codequality", "--strict", "--no-shellcheck", "--quiet", "PATH"}) {
    EXPECT_NE(help.out.find(option), std::string::npos) << option;
  }
}

TEST(ListCli, ShowsTheFlowsAsATableOrJson) {
  TempDir dir;
  fs::create_directories(dir.path() / ".git");
  dir.write(".gitlab/duo/flows/claude.yaml",
            "image: node:22-slim\ncommands:\n  - a\n  - b\nvariables:\n  - ANTHROPIC_API_KEY\n");
  dir.write(".gitlab/duo/flows/broken.yml", broken_flow);
  Outcome table = run_flowrun({"list"}, dir.path());
  EXPECT_EQ(table.exit_code, 0) << table.err;
  auto lines = lines_of(table.out);
  ASSERT_EQ(lines.size(), 3u) << table.out;
  EXPECT_EQ(lines[0].rfind("NAME", 0), 0u);
  EXPECT_NE(lines[1].find("broken"), std::string::npos);
  EXPECT_NE(lines[1].find("2 errors"), std::string::npos);
  EXPECT_NE(lines[2].find("claude"), std::string::npos);
  EXPECT_NE(lines[2].find("node:22-slim"), std::string::npos);
  EXPECT_NE(lines[2].find("ANTHROPIC_API_KEY"), std::string::npos);
  EXPECT_NE(lines[2].find(".gitlab/duo/flows/claude.yaml"), std::string::npos);

  Outcome json = run_flowrun({"list", "--format", "json"}, dir.path());
  EXPECT_EQ(json.exit_code, 0);
  auto flows = nlohmann::json::parse(json.out)["flows"];
  ASSERT_EQ(flows.size(), 2u);
  EXPECT_EQ(flows[1]["name"], "claude");
  EXPECT_EQ(flows[1]["commands"], 2);
  EXPECT_EQ(flows[1]["image"], "node:22-slim");
  EXPECT_EQ(flows[1]["variables"], nlohmann::json({"ANTHROPIC_API_KEY"}));

  TempDir empty;
  fs::create_directories(empty.path() / ".git");
  EXPECT_EQ(run_flowrun({"list"}, empty.path()).exit_code, 2);
}

TEST(SchemaCli, PrintsTheJsonSchema) {
  Outcome outcome = run_flowrun({"schema"});
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_EQ(outcome.out, read_all(fs::path(FLOWRUN_SOURCE_DIR) / "src" / "flowrun" / "flow" / "flow.schema.json"));
  auto schema = nlohmann::json::parse(outcome.out);
  EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
  EXPECT_TRUE(schema["properties"].contains("commands"));
  EXPECT_TRUE(schema["properties"].contains("flowrun"));
}

}  // namespace
