// `flowrun run` keeps the job's data from ever running as code, keeps secrets out of everything it writes, and stops
// the whole process tree on timeout or cancellation — then still runs the git and report phases.
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "run_fixture.h"
#include "support/background_process.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;

std::vector<std::string> hostile_values(const std::string& marker) {
  std::vector<std::string> values = {
      "$(touch " + marker + ")",
      "`touch " + marker + "`",
      "'; touch " + marker + "; '",
      "\"; touch " + marker + "; \"",
      "; touch " + marker,
      "&& touch " + marker,
      "|| touch " + marker,
      "| touch " + marker,
      "\ntouch " + marker + "\n",
      "\r\ntouch " + marker,
      "${IFS}touch${IFS}" + marker,
      "$(<" + marker + ")",
      "<(touch " + marker + ")",
      ">(touch " + marker + ")",
      "$((1+1))$(touch " + marker + ")",
      "\\$(touch " + marker + ")",
      "\\`touch " + marker + "\\`",
      "'\"$(touch " + marker + ")\"'",
      "$'\\x74ouch' " + marker,
      "!(touch " + marker + ")",
      "{touch," + marker + "}",
      "*; touch " + marker,
      "~root; touch " + marker,
      "a\0b",
      "--help; touch " + marker,
      "-n $(touch " + marker + ")",
      "\x1b[31mred\x1b[0m; touch " + marker,
      "\x1b]0;title\x07$(touch " + marker + ")",
      "section_start:1:x\r\x1b[0K$(touch " + marker + ")",
      "eval 'touch " + marker + "'",
      "exec touch " + marker,
      "source /dev/stdin; touch " + marker,
      "$(IFS=_;cmd=touch_" + marker + ";$cmd)",
      "${PATH:0:1}$(touch " + marker + ")",
      "${!PATH}$(touch " + marker + ")",
      "${x:-$(touch " + marker + ")}",
      "${x:=`touch " + marker + "`}",
      "$[$(touch " + marker + ")]",
      "%s%n%x$(touch " + marker + ")",
      "() { :; }; touch " + marker,
      "x() { touch " + marker + "; }; x",
      "\\\n$(touch " + marker + ")",
      "'''$(touch " + marker + ")'''",
      "\"\"\"`touch " + marker + "`\"\"\"",
      "; rm -rf ~; touch " + marker,
      "$(printf '\\x74ouch %s' " + marker + " | sh)",
      "{\"json\": \"$(touch " + marker + ")\"}",
      "<script>$(touch " + marker + ")</script>",
      std::string(10000, 'A') + "$(touch " + marker + ")",
      "\xff\xfe$(touch " + marker + ")",
      "@all /merge $(touch " + marker + ")",
      "[ -n x ] && touch " + marker,
  };
  // A NUL cannot be in an environment variable: the value is cut there, as in any job.
  values[23] = "a";
  return values;
}

TEST(RunSafety, HostileFlowVariablesNeverRunAsCode) {
  RunProject project;
  const std::string marker = (project.root() / "pwned").string();
  project.write_flow("hostile", flow_yaml({
                                    "printf '%s' \"$AI_FLOW_INPUT\" > input.txt",
                                    "printf '%s' \"$AI_FLOW_CONTEXT\" > context.txt",
                                    "printf '%s' \"$AI_FLOW_EVENT\" > event.txt",
                                    "echo unquoted: $AI_FLOW_INPUT $AI_FLOW_CONTEXT $AI_FLOW_EVENT > /dev/null",
                                    "prompt=\"Context: $AI_FLOW_CONTEXT Task: $AI_FLOW_INPUT Event: $AI_FLOW_EVENT\"",
                                }));
  auto values = hostile_values(marker);
  ASSERT_GE(values.size(), 50u);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string& value = values[i];
    // The same value in all three variables, rotated so each also meets the others' neighbours.
    project.env()["AI_FLOW_INPUT"] = value;
    project.env()["AI_FLOW_CONTEXT"] = values[(i + 1) % values.size()];
    project.env()["AI_FLOW_EVENT"] = values[(i + 2) % values.size()];
    auto result = project.run({"run", "hostile", "--no-push"});
    ASSERT_EQ(result.exit_code, 0) << "value " << i << ": " << result.out << result.err;
    ASSERT_FALSE(std::filesystem::exists(marker)) << "value " << i << " ran as code";
    EXPECT_EQ(read_text(project.workdir() / "input.txt"), value) << "value " << i;
    EXPECT_EQ(read_text(project.workdir() / "event.txt"), values[(i + 2) % values.size()]) << "value " << i;
  }
}

// A bash function that percent-encodes its argument like a URL query value.
constexpr const char* kUrlEncode =
    "urlencode() { local s=\"$1\" i c; for ((i=0; i<${#s}; i++)); do c=${s:i:1}; case \"$c\" in "
    "[a-zA-Z0-9.~_-]) printf '%s' \"$c\" ;; *) printf '%%%02X' \"'$c\" ;; esac; done; }";

TEST(RunSafety, SecretsAreMaskedInTheTerminalTheLogAndTheReport) {
  RunProject project;
  const std::string flow_secret = "s3cr3t:value/with+chars@42";
  const std::string named_secret = "named-secret-value-987654";
  const std::string job_token = "job-token-value-abcdefgh";
  const std::string gitlab_pat = "glpat-AbCdEfGhIjKlMnOpQrStUv";
  project.env()["MY_FLOW_SECRET"] = flow_secret;
  project.env()["SOME_PASSWORD"] = named_secret;
  project.env()["CI_JOB_TOKEN"] = job_token;
  project.env()["SHORT_TOKEN"] = "short";
  project.write_flow(
      "secrets",
      flow_yaml({kUrlEncode, "echo \"plain: $MY_FLOW_SECRET\"", "echo \"encoded: $(urlencode \"$MY_FLOW_SECRET\")\"",
                 "printf 'split: %s' \"${MY_FLOW_SECRET:0:7}\"; sleep 0.2; printf '%s\\n' "
                 "\"${MY_FLOW_SECRET:7}\"",
                 "echo \"password: $SOME_PASSWORD job: $CI_JOB_TOKEN\" >&2", "echo \"shape: " + gitlab_pat + "\"",
                 "echo \"url: https://x.example/api?private_token=abcdefgh12345678&a=1\"",
                 "echo \"the end $MY_FLOW_SECRET\"; exit 9"},
                {"MY_FLOW_SECRET"}));
  auto result = project.run({"run", "secrets", "--no-push"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const std::string report = project.report();
  const std::string log = project.log();
  for (const std::string* text : std::vector<const std::string*>{&result.out, &result.err, &log, &report}) {
    for (const std::string& secret :
         {flow_secret, named_secret, job_token, gitlab_pat, std::string("%3Avalue%2Fwith%2Bchars%4042"),
          std::string("abcdefgh12345678"), flow_secret.substr(7)}) {
      EXPECT_EQ(text->find(secret), std::string::npos) << "secret " << secret << " leaked in:\n" << *text;
    }
  }
  EXPECT_NE(result.out.find("plain: [MASKED]"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("encoded: [MASKED]"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("split: [MASKED]"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("shape: [MASKED]"), std::string::npos) << result.out;
  EXPECT_NE(log.find("plain: [MASKED]"), std::string::npos) << log;
  // Too short to mask: said once, by name, never by value.
  EXPECT_NE(result.out.find("SHORT_TOKEN"), std::string::npos) << result.out;
}

bool process_gone(pid_t pid) {
  // The killed processes were re-parented to flowrun (a subreaper) and reaped, or to our own reaper: wait boundedly.
  for (int i = 0; i < 500; ++i) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
    std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z') return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

pid_t read_pid(const std::filesystem::path& path) { return static_cast<pid_t>(std::stol(read_text(path))); }

TEST(RunSafety, TimeoutKillsTheWholeTreeThenGitAndReportRun) {
  RunProject project;
  project.env()["CI_WORKLOAD_REF"] = "workloads/0123456789a";
  project.write_flow("slow", flow_yaml({"echo changed >> README.md", "sleep 300 & echo $! > bg.pid",
                                        "setsid sleep 300 & echo $! > setsid.pid", "echo started; sleep 300"}));
  auto started = std::chrono::steady_clock::now();
  auto result =
      project.run({"run", "slow", "--timeout", "4", "--kill-grace", "1", "--no-push"}, std::chrono::seconds(60));
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(result.exit_code, 5) << result.out << result.err;
  EXPECT_LT(took, std::chrono::seconds(30));
  EXPECT_NE(result.out.find("ran out of time"), std::string::npos) << result.out;
  EXPECT_TRUE(process_gone(read_pid(project.workdir() / "bg.pid")));
  EXPECT_TRUE(process_gone(read_pid(project.workdir() / "setsid.pid")));
  json report = json::parse(project.report());
  EXPECT_EQ(report["outcome"], "timed_out");
  EXPECT_EQ(report["commands"][3]["state"], "interrupted");
  // The git phase ran after the timeout: the work is committed locally and kept as a patch.
  EXPECT_EQ(report["git"]["outcome"], "committed") << report.dump(2);
  EXPECT_TRUE(std::filesystem::exists(report["git"]["patch_file"].get<std::string>()));
  EXPECT_TRUE(report["report"].is_object());
}

TEST(RunSafety, SigtermCancelsTheRunAndTheLaterPhasesStillRun) {
  RunProject project;
  project.env()["CI_WORKLOAD_REF"] = "refs/workloads/0123456789b";
  project.write_flow("cancel", flow_yaml({"echo work > new-file.txt", "sleep 300 & echo $! > bg.pid",
                                          "touch started.marker; sleep 300"}));
  std::vector<std::string> argv{FLOWRUN_BINARY, "run", "cancel", "--kill-grace", "1", "--no-push"};
  BackgroundProcess flowrun(argv, project.env(), project.workdir());
  bool started = false;
  for (int i = 0; i < 3000 && !started; ++i) {
    started = std::filesystem::exists(project.workdir() / "started.marker");
    if (!started) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(started) << flowrun.stdout_text() << flowrun.stderr_text();
  auto line = flowrun.wait_for_line("$ touch started.marker", std::chrono::seconds(10));
  ASSERT_TRUE(line.has_value()) << flowrun.stdout_text();
  flowrun.stop(std::chrono::seconds(20));  // SIGTERM, as GitLab Runner does on cancel
  EXPECT_TRUE(process_gone(read_pid(project.workdir() / "bg.pid")));
  json report = json::parse(project.report());
  EXPECT_EQ(report["outcome"], "cancelled") << flowrun.stdout_text();
  EXPECT_EQ(report["exit_code"], 6);
  EXPECT_EQ(report["git"]["outcome"], "committed") << report.dump(2);
  EXPECT_NE(flowrun.stdout_text().find("cancelled"), std::string::npos);
}

}  // namespace
}  // namespace flowrun::testing
