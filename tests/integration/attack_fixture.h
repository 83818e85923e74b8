#pragma once
// A CI job under attack: the fake GitLab with project 42 "group/project" (plus "evil/project", where nothing may ever
// arrive), a checkout of it as the runner makes one, the real flowrun binary, and the evidence a test needs to show
// that nothing ran that should not, no secret left, nothing was lost and the run still reported.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "run_fixture.h"
#include "support/fake_gitlab.h"
#include "support/job_environment.h"

namespace flowrun::testing {

inline constexpr const char* kAttackToken = "glpat-AttackedServiceToken987654";
inline constexpr const char* kAttackDiscussion = "fedcba9876543210fedcba9876543210fedcba98";

class AttackJob : public ::testing::Test {
 protected:
  AttackJob() = default;
  // A GitLab started with these options, e.g. under a relative URL root.
  explicit AttackJob(const FakeGitLabOptions& options) : gitlab_(options) {}

  void SetUp() override {
    repo_ = gitlab_.add_project(42, "group/project", "main");
    evil_repo_ = gitlab_.add_project(66, "evil/project", "main", /*validate_branches=*/false);
    seed_repository(evil_repo_, {{"README.md", "elsewhere\n"}});
    gitlab_.add_token(kAttackToken, TokenKind::pat, "agent-bot");
    gitlab_.add_issue(42, 7, "Fix the README");
    gitlab_.add_discussion(DiscussionSeed{.noteable = "issue", .project_id = 42, .iid = 7, .id = kAttackDiscussion});
  }

  // Seeds the server's repository with the flow `agent` and checks it out as CI does (detached).
  void check_out(const std::string& flow, bool shallow = true) {
    seed_repository(repo_, {{"README.md", "# Project\n"}, {".gitlab/duo/flows/agent.yaml", flow}});
    auto env = git_credentials_environment("agent-bot", kAttackToken);
    std::vector<std::string> clone{"clone", "--quiet"};
    if (shallow) clone.insert(clone.end(), {"--depth", "1"});
    clone.insert(clone.end(), {gitlab_.repository_url("group/project"), workdir_.string()});
    auto result = git(clone, dir_.path(), env);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    ASSERT_EQ(git({"checkout", "--quiet", "--detach"}, workdir_).exit_code, 0);
  }

  std::map<std::string, std::string> job_environment() {
    auto env = gitlab_job_environment(gitlab_, workdir_, {"0a1b2c3d4e5", "2001"});
    env["CI_JOB_TOKEN"] = "job-token-never-shown-5678";
    env["GITLAB_TOKEN_AGENT"] = kAttackToken;
    env["AI_FLOW_EVENT"] = "mention";
    env["AI_FLOW_INPUT"] = "please update the README";
    env["AI_FLOW_CONTEXT"] = issue_context();
    env["AI_FLOW_DISCUSSION_ID"] = kAttackDiscussion;
    env["AI_FLOW_PROJECT_PATH"] = "group/project";
    env["AI_FLOW_GITLAB_HOSTNAME"] = gitlab_.host();
    return env;
  }

  std::string issue_context() const {
    return nlohmann::json{{"id", 900},
                          {"iid", 7},
                          {"project_id", 42},
                          {"title", "Fix the README"},
                          {"web_url", gitlab_.url() + "/group/project/-/issues/7"}}
        .dump();
  }

  ProcessResult run(const std::map<std::string, std::string>& env, std::vector<std::string> args = {},
                    const std::string& flow = "agent") {
    std::vector<std::string> argv{FLOWRUN_BINARY, "run", flow};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, env, workdir_, std::chrono::seconds(120));
  }

  nlohmann::json report() const { return nlohmann::json::parse(read_text(workdir_ / ".flowrun/report.json")); }
  std::string log() const { return read_text(workdir_ / ".flowrun/flowrun.log"); }

  // git on the server's repositories (bare: no hook, filter or work tree of the job's checkout is involved).
  std::string server(const std::filesystem::path& repo, const std::vector<std::string>& args) {
    std::vector<std::string> argv{"--git-dir", repo.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return git(argv, dir_.path()).out;
  }
  std::string server_branches(const std::filesystem::path& repo) {
    return server(repo, {"for-each-ref", "--format=%(refname)", "refs/"});
  }
  // Every object of a repository, decompressed: commit messages, trees, blobs.
  std::string all_objects(const std::filesystem::path& git_dir) {
    return git({"--git-dir", git_dir.string(), "cat-file", "--batch-all-objects", "--batch"}, dir_.path()).out;
  }

  // The bodies of the notes agent-bot wrote (every version: a note edited in place shows its last body).
  std::vector<std::string> note_bodies() {
    std::vector<std::string> bodies;
    for (const auto& note : gitlab_.state().notes) {
      if (note.author == "agent-bot") bodies.push_back(note.body);
    }
    return bodies;
  }

  // Everything flowrun wrote or sent, by name: output, artifacts, the files of the checkout (incl. .git) and every
  // object in it, the server's objects, and every API request flowrun made (path, query and body; headers carry the
  // token on purpose).
  std::vector<std::pair<std::string, std::string>> evidence(const ProcessResult& result) {
    std::vector<std::pair<std::string, std::string>> texts{{"stdout", result.out}, {"stderr", result.err}};
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(workdir_, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && !it->is_symlink(ec))
        texts.emplace_back(it->path().string(), read_text(it->path()));
    }
    texts.emplace_back("local objects", all_objects(workdir_ / ".git"));
    texts.emplace_back("server objects", all_objects(repo_));
    for (const auto& request : gitlab_.requests()) {
      texts.emplace_back("request " + request.method + " " + request.path,
                         request.path + "?" + request.query + "\n" + request.body);
    }
    return texts;
  }

  void expect_nowhere(const ProcessResult& result, const std::vector<std::string>& needles) {
    for (const auto& [where, text] : evidence(result)) {
      for (const auto& needle : needles) {
        EXPECT_EQ(text.find(needle), std::string::npos) << "'" << needle << "' found in " << where;
      }
    }
  }

  FakeGitLab gitlab_;
  TempDir dir_;
  std::filesystem::path workdir_ = dir_.path() / "job";
  std::filesystem::path repo_;
  std::filesystem::path evil_repo_;
};

// `line` without its inline code spans (GitLab neither runs quick actions nor notifies mentions inside code).
inline std::string without_code_spans(const std::string& line) {
  std::string out;
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] != '`') {
      out += line[i++];
      continue;
    }
    const std::size_t run =
        line.find_first_not_of('`', i) == std::string::npos ? line.size() - i : line.find_first_not_of('`', i) - i;
    const std::string fence(run, '`');
    std::size_t close = line.find(fence, i + run);
    while (close != std::string::npos && close + run < line.size() && line[close + run] == '`') {
      close = line.find(fence, line.find_first_not_of('`', close));
    }
    if (close == std::string::npos) {
      out += line.substr(i);
      break;
    }
    i = close + run;
  }
  return out;
}

// No line of `text` can start a GitLab quick action, and no mass mention outside code can notify.
inline void expect_inert(const std::string& text, const std::string& what) {
  std::istringstream lines(text);
  std::string line;
  std::string fence;  // the fence of the code block we are in
  while (std::getline(lines, line)) {
    auto first = line.find_first_not_of(" \t>");
    if (first != std::string::npos) {
      EXPECT_NE(line[first], '/') << what << ": " << line;
    }
    if (first != std::string::npos && line.compare(first, 3, "```") == 0) {
      const std::string run = line.substr(first, line.find_first_not_of('`', first) - first);
      if (fence.empty())
        fence = run;
      else if (run.size() >= fence.size())
        fence.clear();
      continue;
    }
    if (!fence.empty()) continue;
    const std::string prose = without_code_spans(line);
    for (const char* mention : {"@all", "@here", "@channel"}) {
      EXPECT_EQ(prose.find(mention), std::string::npos) << what << " mentions " << mention << " in: " << line;
    }
  }
}

}  // namespace flowrun::testing
