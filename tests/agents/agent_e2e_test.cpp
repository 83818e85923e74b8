// The catalog flows of claude, opencode, codex and gemini end to end with the real agent CLIs, at their pinned versions
// (installed by the agent_contract test into the build folder), against a stand-in model API on 127.0.0.1
// (tests/support/fake_model) and the fake GitLab: the model asks for a file to be written, flowrun commits and pushes
// it, and the note in the thread carries the agent's final message and its usage. Also: a refused API key fails fast
// with the agent's error in the note, and a refused permission is reported as "Stopped early" with the work still
// pushed.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "support/background_process.h"
#include "support/fake_gitlab.h"
#include "support/git_helpers.h"
#include "support/job_environment.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kToken = "glpat-ServiceAccountToken123456";
constexpr const char* kApiKey = "sk-ant-api03-StandInKeyThatMustNeverShow0123456789";
constexpr const char* kDiscussion = "0123456789abcdef0123456789abcdef01234567";
constexpr const char* kWorkload = "abcdef01234";
constexpr const char* kFinalMessage = "I created the greeting file as asked.";
constexpr const char* kFileText = "hello from the stand-in model\n";
constexpr const char* kCredentials = R"({"type":"service_account","private_key":"stand-in-credentials-0123456789"})";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The catalog flow as `flowrun init` writes it, without its `npm install` line: the pinned CLI is already on PATH.
std::string catalog_flow_without_install(const std::string& agent) {
  std::string yaml = read_text(fs::path(FLOWRUN_SOURCE_DIR) / "flows" / (agent + ".yaml"));
  static const std::regex install_line(R"(\n  - npm install [^\n]*)");
  std::string without = std::regex_replace(yaml, install_line, "");
  if (without == yaml) throw std::runtime_error("flows/" + agent + ".yaml has no npm install line");
  if (agent == "codex") {
    // Codex has no base-URL variable: a model provider in its configuration points it at the stand-in.
    const std::string provider =
        "codex exec -c model_provider=standin -c \"model_providers.standin={name=\\\"standin\\\","
        "base_url=\\\"$STANDIN_MODEL_URL/v1\\\",env_key=\\\"CODEX_API_KEY\\\",wire_api=\\\"responses\\\"}\" ";
    without = std::regex_replace(without, std::regex("codex exec "), provider);
  }
  return without;
}

// The stand-in model API, on an ephemeral port.
class StandInModel {
 public:
  StandInModel(const std::string& scenario, const fs::path& file_path, const fs::path& outside_path,
               const fs::path& log)
      : process_({FLOWRUN_TEST_PYTHON, std::string(FLOWRUN_SOURCE_DIR) + "/tests/support/fake_model/fake_model.py",
                  "--scenario", scenario, "--file-path", file_path.string(), "--outside-path", outside_path.string(),
                  "--log", log.string()},
                 {{"PATH", "/usr/bin:/bin"}}, fs::temp_directory_path()) {
    auto ready = process_.wait_for_line("READY ", std::chrono::seconds(10));
    if (!ready) throw std::runtime_error("the stand-in model did not start: " + process_.stderr_text());
    url_ = "http://127.0.0.1:" + ready->substr(6);
  }
  const std::string& url() const { return url_; }

 private:
  BackgroundProcess process_;
  std::string url_;
};

struct JobResult {
  ProcessResult process;
  std::string note;  // the agent's reply in the thread
  json report;
  std::string log;
};

class AgentEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path clis = fs::path(FLOWRUN_AGENT_CLIS_DIR) / "bin";
    ASSERT_TRUE(fs::exists(clis / "claude") && fs::exists(clis / "opencode") && fs::exists(clis / "codex") &&
                fs::exists(clis / "gemini"))
        << "the agent CLIs are not installed in " << clis << ": run the agent_contract test first (ctest -R agent)";
    repo_ = gitlab_.add_project(42, "group/project", "main");
    gitlab_.add_token(kToken, TokenKind::pat, "agent-bot");
    gitlab_.add_issue(42, 7, "Greet the world");
    gitlab_.add_discussion(DiscussionSeed{.noteable = "issue", .project_id = 42, .iid = 7, .id = kDiscussion});
    fs::create_directories(home_);
    fs::create_directories(outside_);
    fs::create_directories(tmp_);
  }

  JobResult run_job(const std::string& agent, const std::string& scenario) {
    const std::string flow_path = ".gitlab/duo/flows/" + agent + ".yaml";
    seed_repository(repo_, {{"README.md", "# Project\n"}, {flow_path, catalog_flow_without_install(agent)}});
    auto clone = git({"clone", "--quiet", "--depth", "1", gitlab_.repository_url("group/project"), workdir_.string()},
                     dir_.path(), git_credentials_environment("agent-bot", kToken));
    if (clone.exit_code != 0) throw std::runtime_error("clone failed: " + clone.err);
    git({"checkout", "--quiet", "--detach"}, workdir_);

    StandInModel model(scenario, workdir_ / "hello.txt", outside_ / "hello.txt", dir_.path() / "model.log");
    auto env = gitlab_job_environment(gitlab_, workdir_, {kWorkload, "1001"});
    env["HOME"] = home_.string();
    env["PATH"] = (fs::path(FLOWRUN_AGENT_CLIS_DIR) / "bin").string() + ":" + env["PATH"];
    env["GITLAB_USER_LOGIN"] = "requester";
    env["AI_FLOW_EVENT"] = "mention";
    env["AI_FLOW_INPUT"] = "@agent-bot please add a greeting file";
    env["AI_FLOW_CONTEXT"] = json{{"id", 900},
                                  {"iid", 7},
                                  {"project_id", 42},
                                  {"title", "Greet the world"},
                                  {"references", {{"full", "group/project#7"}, {"short", "#7"}}},
                                  {"web_url", gitlab_.url() + "/group/project/-/issues/7"}}
                                 .dump();
    env["AI_FLOW_DISCUSSION_ID"] = kDiscussion;
    for (const char* token :
         {"GITLAB_TOKEN_CLAUDE", "GITLAB_TOKEN_OPENCODE", "GITLAB_TOKEN_CODEX", "GITLAB_TOKEN_GEMINI"}) {
      env[token] = kToken;
    }
    // Temporary files of the commands (credentials, CODEX_HOME) land here, to check that none is left behind.
    env["TMPDIR"] = tmp_.string();
    // The model provider: the stand-in, with a key it accepts (or, for "unauthorized", refuses).
    env["ANTHROPIC_BASE_URL"] = model.url();
    env["ANTHROPIC_API_KEY"] = kApiKey;
    env["OPENAI_API_KEY"] = kApiKey;
    env["STANDIN_MODEL_URL"] = model.url();
    // Gemini on Vertex AI: the flow's service-account file is written and removed as in a job, but the API key of
    // Vertex's express mode takes precedence, so no token is fetched from Google; the model is fixed, so Gemini does
    // not first ask a small model to choose one.
    env["GOOGLE_CREDENTIALS"] = kCredentials;
    env["GOOGLE_CLOUD_PROJECT"] = "stand-in-project";
    env["GOOGLE_CLOUD_LOCATION"] = "us-central1";
    env["GOOGLE_API_KEY"] = kApiKey;
    env["GOOGLE_VERTEX_BASE_URL"] = model.url();
    env["GEMINI_MODEL"] = "gemini-2.5-flash";
    env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
    env["DISABLE_AUTOUPDATER"] = "1";
    env["OPENCODE_DISABLE_AUTOUPDATE"] = "1";

    JobResult job;
    job.process = run_process({FLOWRUN_BINARY, "run", agent}, env, workdir_, std::chrono::seconds(240));
    for (const auto& note : gitlab_.state().notes) {
      if (note.discussion_id == kDiscussion && note.author == "agent-bot") job.note = note.body;
    }
    job.report = json::parse(read_text(workdir_ / ".flowrun/report.json"), nullptr, false);
    job.log = read_text(workdir_ / ".flowrun/flowrun.log");
    return job;
  }

  std::string server_file(const std::string& path) {
    return git({"--git-dir", repo_.string(), "show", std::string("workloads/") + kWorkload + ":" + path}, dir_.path())
        .out;
  }

  // The API key is in no output, note, report, log, artifact or file of the work tree.
  void expect_key_nowhere(const JobResult& job) {
    EXPECT_EQ(job.process.out.find(kApiKey), std::string::npos);
    EXPECT_EQ(job.process.err.find(kApiKey), std::string::npos);
    EXPECT_EQ(job.note.find(kApiKey), std::string::npos);
    for (const fs::path& dir : {workdir_, tmp_}) {
      for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        EXPECT_EQ(read_text(entry.path()).find(kApiKey), std::string::npos) << entry.path();
        EXPECT_EQ(read_text(entry.path()).find("stand-in-credentials"), std::string::npos) << entry.path();
      }
    }
  }

  void expect_answer_and_usage(const JobResult& job, const std::string& agent) {
    // The agent's answer leads the note, before the changes.
    const auto answer = job.note.find(kFinalMessage);
    ASSERT_NE(answer, std::string::npos) << job.note;
    EXPECT_LT(answer, job.note.find("hello.txt")) << job.note;
    EXPECT_NE(job.note.find("Usage: "), std::string::npos) << job.note;
    EXPECT_NE(job.note.find("in / 68 out tokens"), std::string::npos) << job.note;
    EXPECT_EQ(job.report["agent"]["agent"], agent);
    EXPECT_EQ(job.report["agent"]["usage"]["output_tokens"], 68) << job.report.dump(2);
    // Claude Code and opencode count model calls as turns, Codex the user's turns; Gemini says nothing of turns.
    const json turns = agent == "gemini" ? json(nullptr) : json(agent == "codex" ? 1 : 2);
    EXPECT_EQ(job.report["agent"]["usage"]["turns"], turns) << job.report.dump(2);
    EXPECT_NE(job.report["agent"]["final_message"].get<std::string>().find(kFinalMessage), std::string::npos);
    // While it ran, the job log said what it did.
    EXPECT_NE(job.log.find("[" + agent + "] "), std::string::npos) << job.log;
    EXPECT_NE(job.log.find("hello.txt"), std::string::npos) << job.log;
  }

  FakeGitLab gitlab_;
  TempDir dir_;
  fs::path workdir_ = dir_.path() / "job";
  fs::path home_ = dir_.path() / "home";
  fs::path outside_ = dir_.path() / "outside";
  fs::path tmp_ = dir_.path() / "tmp";
  fs::path repo_;
};

class EditingAgent : public AgentEndToEnd, public ::testing::WithParamInterface<std::string> {};

TEST_P(EditingAgent, TheEditIsPushedAndTheNoteCarriesTheAnswerAndTheUsage) {
  const std::string agent = GetParam();
  JobResult job = run_job(agent, "edit");
  ASSERT_EQ(job.process.exit_code, 0) << job.process.out << job.process.err;
  EXPECT_EQ(job.report["outcome"], "succeeded");
  EXPECT_EQ(server_file("hello.txt"), kFileText);
  expect_answer_and_usage(job, agent);
  EXPECT_EQ(job.note.find("Stopped early"), std::string::npos) << job.note;
  // The merge request speaks with the agent's words, links the requester and closes the issue.
  auto merge_requests = gitlab_.state().merge_requests;
  ASSERT_EQ(merge_requests.size(), 1u);
  EXPECT_EQ(merge_requests[0].title, std::string("Draft: ") + kFinalMessage);  // a draft until someone reviews it
  EXPECT_NE(merge_requests[0].description.find("Closes group/project#7"), std::string::npos)
      << merge_requests[0].description;
  EXPECT_NE(merge_requests[0].description.find("[requester](" + gitlab_.url() + "/requester)"), std::string::npos)
      << merge_requests[0].description;
  expect_key_nowhere(job);
}

INSTANTIATE_TEST_SUITE_P(Catalog, EditingAgent, ::testing::Values("claude", "opencode", "codex", "gemini"));

class RefusedAgent : public AgentEndToEnd, public ::testing::WithParamInterface<std::string> {};

TEST_P(RefusedAgent, ARefusedPermissionIsStoppedEarlyAndTheWorkIsStillPushed) {
  const std::string agent = GetParam();
  JobResult job = run_job(agent, "refused");
  EXPECT_EQ(job.process.exit_code, 9) << job.process.out << job.process.err;
  EXPECT_EQ(job.report["outcome"], "stopped_early");
  EXPECT_NE(job.report["agent"]["stopped_early"].get<std::string>().find("refused permission"), std::string::npos)
      << job.report.dump(2);
  EXPECT_NE(job.note.find("**Stopped early**: "), std::string::npos) << job.note;
  EXPECT_NE(job.note.find("refused permission"), std::string::npos) << job.note;
  EXPECT_EQ(server_file("hello.txt"), kFileText);
  EXPECT_FALSE(fs::exists(outside_ / "hello.txt"));
  // The merge request is opened for the work done, and says it is partial.
  auto merge_requests = gitlab_.state().merge_requests;
  ASSERT_EQ(merge_requests.size(), 1u);
  EXPECT_NE(merge_requests[0].description.find("The agent stopped early: "), std::string::npos)
      << merge_requests[0].description;
  expect_key_nowhere(job);
}

INSTANTIATE_TEST_SUITE_P(Catalog, RefusedAgent, ::testing::Values("claude", "opencode"));

class UnauthorizedAgent : public AgentEndToEnd, public ::testing::WithParamInterface<std::string> {};

TEST_P(UnauthorizedAgent, ARefusedApiKeyFailsFastWithTheAgentsErrorInTheNote) {
  const std::string agent = GetParam();
  JobResult job = run_job(agent, "unauthorized");
  EXPECT_EQ(job.process.exit_code, 1) << job.process.out << job.process.err;
  // Claude Code alone retries a refused key for about three minutes: flowrun stops it at the first refusal, which the
  // log says (checked below) — not a timed assertion, which a loaded machine would break.
  EXPECT_EQ(job.report["outcome"], "command_failed");
  if (agent == "claude") {
    EXPECT_NE(job.note.find("refused the credentials (HTTP 401"), std::string::npos) << job.note;
    EXPECT_NE(job.log.find("stopping the agent"), std::string::npos) << job.log;
  } else {
    EXPECT_NE(job.note.find("The agent reported: "), std::string::npos) << job.note;
    EXPECT_NE(job.note.find("invalid x-api-key"), std::string::npos) << job.note;
  }
  expect_key_nowhere(job);
}

INSTANTIATE_TEST_SUITE_P(Catalog, UnauthorizedAgent, ::testing::Values("claude", "opencode"));

}  // namespace
}  // namespace flowrun::testing
