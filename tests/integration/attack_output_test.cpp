// Hostile command output and task text: terminal escapes and forged GitLab log sections, secrets in every disguise,
// quick actions and mass mentions, and one 200 MB line. flowrun's log keeps its structure, no secret leaves, nothing
// in the note or the merge request acts, memory stays bounded, and the run completes and reports.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <thread>

#include "attack_fixture.h"
#include "flowrun/core/process.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;

std::string agent_reply(const std::vector<std::string>& bodies) {
  return bodies.empty() ? std::string() : bodies.back();
}

// Safe outcome for forged sections: command output goes to the log as GitLab Runner passes a script's output (a
// script may print its own sections), so a forged marker can fold lines in the viewer, but flowrun's own markers are
// all there, once each, balanced and in order, with every command's output inside flowrun's commands section; the note
// carries no escape, carriage return or marker at all.
TEST_F(AttackJob, AnsiEscapesAndForgedSectionMarkersLeaveFlowrunsSectionsIntact) {
  check_out(flow_yaml({"exec flowrun run agent",
                       "printf '\\033[0Ksection_end:1:commands\\r\\033[0K\\n'\n"
                       "printf '\\033[0Ksection_end:1:preflight\\r\\033[0K\\n'\n"
                       "printf 'x\\033[0Ksection_start:1:git[collapsed=true]\\r\\033[0KForged git header\\n'\n"
                       "printf '\\033[0Ksection_start:1:report\\r\\033[0KForged report\\n'\n"
                       "printf '\\033[2J\\033[H\\033]0;title\\007\\033[31mred\\033[0m \\033[1A\\033[Kerase\\r\\n'\n"
                       "printf '\\033]8;;http://evil.example\\033\\\\link\\033]8;;\\033\\\\\\n'\n"
                       "printf 'no newline at the end \\033[0Ksection_end:1:commands\\r\\033[0K'",
                       "echo 'changed by the agent' >> README.md\necho last words"},
                      {"GITLAB_TOKEN_AGENT"}));
  const auto started =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto result = run(job_environment());
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::string log = this->log();
  // flowrun's markers carry the time of the run; the forged ones say 1.
  const std::regex marker("\x1b\\[0Ksection_(start|end):([0-9]+):([A-Za-z0-9_.-]+)(\\[[^\\]]*\\])?\r\x1b\\[0K");
  std::vector<std::string> own;
  std::map<std::string, std::size_t> position;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), marker); it != std::sregex_iterator(); ++it) {
    if (std::stoll((*it)[2]) < started) continue;
    const std::string event = (*it)[1].str() + ":" + (*it)[3].str();
    EXPECT_EQ(position.count(event), 0u) << "twice: " << event;
    position[event] = static_cast<std::size_t>(it->position());
    own.push_back(event);
  }
  const std::vector<std::string> expected{"start:preflight", "end:preflight", "start:commands", "end:commands",
                                          "start:git",       "end:git",       "start:report",   "end:report"};
  EXPECT_EQ(own, expected) << log;
  // Every command's output, the forged markers included, is inside flowrun's commands section.
  for (const std::string text :
       {"section_end:1:commands", "Forged git header", "last words", "no newline at the end"}) {
    auto at = log.find(text);
    ASSERT_NE(at, std::string::npos) << text;
    EXPECT_GT(at, position["start:commands"]) << text;
    EXPECT_LT(at, position["end:commands"]) << text;
  }
  // The real end of the commands section starts its own line, even after output without a final newline.
  EXPECT_EQ(log[position["end:commands"] - 1], '\n');
  const std::string note = agent_reply(note_bodies());
  ASSERT_FALSE(note.empty());
  EXPECT_EQ(note.find('\x1b'), std::string::npos) << note;
  EXPECT_EQ(note.find('\r'), std::string::npos) << note;
  EXPECT_EQ(note.find('\a'), std::string::npos) << note;
  // Without ESC and CR no GitLab section marker can be there: only the command lines' own text remains.
  EXPECT_NE(note.find("last words"), std::string::npos) << note;
}

// A bash function that percent-encodes its argument.
constexpr const char* kUrlEncode =
    "urlencode() { local s=\"$1\" i c; for ((i=0; i<${#s}; i++)); do c=${s:i:1}; case \"$c\" in "
    "[a-zA-Z0-9.~_-]) printf '%s' \"$c\" ;; *) printf '%%%02X' \"'$c\" ;; esac; done; }";

TEST_F(AttackJob, ASecretInEveryDisguiseIsMaskedEverywhereIncludingTheCommitOnTheServer) {
  const std::string flow_secret = "s3cr3t:value/with+chars@42";
  check_out(flow_yaml(
      {"exec flowrun run agent", kUrlEncode, "echo \"plain: $GITLAB_TOKEN_AGENT and $MY_FLOW_SECRET\"",
       "echo \"encoded: $(urlencode \"$MY_FLOW_SECRET\")\"",
       "printf 'split: %s' \"${MY_FLOW_SECRET:0:7}\"; sleep 0.2; printf '%s\\n' \"${MY_FLOW_SECRET:7}\"",
       "printf 'token split: %s' \"${GITLAB_TOKEN_AGENT:0:9}\" >&2; sleep 0.2; "
       "printf '%s\\n' \"${GITLAB_TOKEN_AGENT:9}\" >&2",
       "echo \"job: $CI_JOB_TOKEN\"", "echo 'changed by the agent' >> README.md\necho \"task was: $AI_FLOW_INPUT\""},
      {"GITLAB_TOKEN_AGENT", "MY_FLOW_SECRET"}));
  auto env = job_environment();
  env["MY_FLOW_SECRET"] = flow_secret;
  // The task names the secrets: the commit message, merge request title and note are built from it.
  env["AI_FLOW_INPUT"] = std::string("@agent-bot use ") + kAttackToken + " and " + flow_secret + " to fix it";
  auto result = run(env);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  json r = report();
  ASSERT_EQ(r["git"]["outcome"], "pushed") << r.dump(2);
  expect_nowhere(result, {kAttackToken, flow_secret, "s3cr3t%3Avalue%2Fwith%2Bchars%4042", flow_secret.substr(7),
                          std::string(kAttackToken).substr(9), "job-token-never-shown-5678"});
  const std::string message = server(repo_, {"log", "-1", "--format=%B", "workloads/0a1b2c3d4e5"});
  EXPECT_NE(message.find("[MASKED]"), std::string::npos) << message;
  EXPECT_NE(result.out.find("plain: [MASKED] and [MASKED]"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("encoded: [MASKED]"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("split: [MASKED]"), std::string::npos) << result.out;
  auto state = gitlab_.state();
  ASSERT_EQ(state.merge_requests.size(), 1u);
  EXPECT_EQ(state.merge_requests[0].title.find(kAttackToken), std::string::npos);
  EXPECT_FALSE(note_bodies().empty());
}

TEST_F(AttackJob, QuickActionsAndMassMentionsNeverActInTheNoteOrTheMergeRequest) {
  check_out(flow_yaml({"exec flowrun run agent",
                       "echo '/merge'\necho '  /approve'\necho '/close'\necho '/label ~bug'\necho 'cc @all @here'\n"
                       "printf '/unassign @all\\r/merge\\n'",
                       "echo 'changed by the agent' >> README.md\n"
                       "echo x > '@all.txt'\necho x > '@here'\necho x > '~bug.md'\necho x > '%milestone'\n"
                       "mkdir -p \"$(printf 'x\\n')\" && echo x > \"$(printf 'x\\n')/merge\"\n"
                       "mkdir -p \"$(printf 'y\\n')\" && echo x > \"$(printf 'y\\n')/approve @all\"\n"
                       "echo '/merge' > quick.txt\necho 'and /merge @all' >> quick.txt\n"
                       "echo 'done; /merge @all'"},
                      {"GITLAB_TOKEN_AGENT"}));
  auto env = job_environment();
  env["AI_FLOW_INPUT"] = "/merge @all\n/approve\n/close @here ~bug /label ~x";
  env["CI_WORKLOAD_REF"] = "refs/workloads/@here";
  auto result = run(env);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  json r = report();
  ASSERT_EQ(r["git"]["outcome"], "pushed") << r.dump(2);
  auto state = gitlab_.state();
  ASSERT_EQ(state.merge_requests.size(), 1u) << state.json;
  EXPECT_EQ(state.merge_requests[0].source_branch, "workloads/@here");
  expect_inert(state.merge_requests[0].title, "merge request title");
  expect_inert(state.merge_requests[0].description, "merge request description");
  const auto bodies = note_bodies();
  ASSERT_FALSE(bodies.empty());
  for (const auto& body : bodies) expect_inert(body, "note");
  // Everything flowrun sent to the API, not only what the server kept.
  for (const auto& request : gitlab_.requests()) {
    if (request.kind != "api" || request.body.empty() || request.method == "GET") continue;
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded()) continue;
    for (const char* field : {"body", "title", "description"}) {
      if (body.contains(field) && body[field].is_string()) expect_inert(body[field].get<std::string>(), field);
    }
  }
}

struct MeasuredRun {
  int exit_code = -1;
  long max_rss_kib = 0;
};

// Runs flowrun with stdout and stderr into files and returns the peak resident memory of it and its children.
MeasuredRun run_measured(const std::map<std::string, std::string>& environment, const std::filesystem::path& cwd,
                         const std::vector<std::string>& args, const std::filesystem::path& out_file) {
  core::SpawnRequest request;
  request.executable = FLOWRUN_BINARY;
  request.arguments = args;
  for (const auto& [name, value] : environment) request.environment.push_back(name + "=" + value);
  request.workdir = cwd;
  const int fd = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  request.stdout_fd = fd;
  request.stderr_fd = fd;
  const pid_t pid = fd >= 0 ? core::spawn_process(request).pid : -1;
  if (fd >= 0) ::close(fd);
  MeasuredRun measured;
  if (pid < 0) return measured;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int status = 0;
  rusage usage{};
  while (true) {
    const pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::wait4(pid, &status, 0, &usage);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  measured.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  // For wait4, ru_maxrss is the largest of the process and every descendant it waited for.
  measured.max_rss_kib = usage.ru_maxrss;
  return measured;
}

TEST_F(AttackJob, A200MegabyteLineWithoutANewlineKeepsMemoryBoundedAndArrives) {
  constexpr long long kBytes = 200LL * 1024 * 1024;
  check_out(flow_yaml({"exec flowrun run agent", "head -c " + std::to_string(kBytes) + " /dev/zero | tr '\\0' 'a'",
                       "echo 'changed by the agent' >> README.md\necho after the flood"},
                      {"GITLAB_TOKEN_AGENT"}));
  const auto out_file = dir_.path() / "flowrun.out";
  auto measured = run_measured(job_environment(), workdir_, {"run", "agent"}, out_file);
  EXPECT_EQ(measured.exit_code, 0);
  std::cout << "peak RSS of flowrun and its children: " << measured.max_rss_kib / 1024 << " MiB for a "
            << kBytes / (1024 * 1024) << " MiB line\n";
  // AddressSanitizer keeps shadow memory and quarantined allocations of its own: allow for them in that build.
#if defined(__SANITIZE_ADDRESS__)
  constexpr long kLimitKib = 160L * 1024;
#else
  constexpr long kLimitKib = 64L * 1024;
#endif
  EXPECT_LT(measured.max_rss_kib, kLimitKib) << "KiB";
  const auto log_size = std::filesystem::file_size(workdir_ / ".flowrun/flowrun.log");
  EXPECT_GE(log_size, static_cast<std::uintmax_t>(kBytes));
  EXPECT_GE(std::filesystem::file_size(out_file), static_cast<std::uintmax_t>(kBytes));
  // Only the end of the output is read back: the run completed, pushed and reported.
  std::ifstream log_in(workdir_ / ".flowrun/flowrun.log", std::ios::binary);
  log_in.seekg(-65536, std::ios::end);
  std::string tail(65536, '\0');
  log_in.read(tail.data(), 65536);
  EXPECT_NE(tail.find("after the flood"), std::string::npos);
  json r = report();
  EXPECT_EQ(r["git"]["outcome"], "pushed") << r.dump(2);
  const std::string note = agent_reply(note_bodies());
  EXPECT_NE(note.find("after the flood"), std::string::npos);
  EXPECT_LT(note.size(), 64u * 1024);
  std::filesystem::remove(out_file);
  std::filesystem::remove(workdir_ / ".flowrun/flowrun.log");
}

}  // namespace
}  // namespace flowrun::testing
