// Hostile values in the job's variables that address things — the discussion, the project, the host, the workload
// branch, the flow — never run as code, never reach a URL path unencoded, never name a ref or a place elsewhere. A
// value that cannot be used is refused with a clear error; the work is still committed and kept, and the run reports.
#include "attack_fixture.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;

std::vector<std::string> hostile_addresses(const std::string& marker) {
  return {
      "$(touch " + marker + ")",
      "`touch " + marker + "`",
      "'; touch " + marker + "; '",
      "; touch " + marker,
      "| touch " + marker,
      "\ntouch " + marker,
      "..",
      ".",
      "../../../../projects/66/issues/1",
      "x/../../66",
      "%2e%2e",
      "a b?private_token=x#frag",
      "x\r\nX-Injected: 1",
      "@all /merge",
      "--upload-pack=touch " + marker,
      "\x1b[31m$(touch " + marker + ")",
  };
}

// Only these may be asked of the API in a job for project 42's issue 7.
bool is_expected_api_path(const std::string& path) {
  if (path.find("/./") != std::string::npos || path.find("/../") != std::string::npos || path.ends_with("/..") ||
      path.ends_with("/.")) {
    return false;
  }
  return path == "/api/v4/user" || path.starts_with("/api/v4/projects/42/issues/7/") ||
         path == "/api/v4/projects/42/issues/7" || path == "/api/v4/projects/42" ||
         path.starts_with("/api/v4/projects/42/merge_requests");
}

// A note posted, or the job's note from an earlier try edited in place.
bool is_answer(const RecordedRequest& request) {
  return (request.method == "POST" && request.status == 201 && request.path.ends_with("/notes")) ||
         (request.method == "PUT" && request.status == 200 && request.path.find("/notes/") != std::string::npos);
}

TEST_F(AttackJob, HostileDiscussionIdProjectPathAndHostnameStayData) {
  check_out(
      flow_yaml({"exec flowrun run agent",
                 "echo \"$AI_FLOW_DISCUSSION_ID $AI_FLOW_PROJECT_PATH $AI_FLOW_GITLAB_HOSTNAME $CI_WORKLOAD_REF\" "
                 "$AI_FLOW_DISCUSSION_ID $AI_FLOW_PROJECT_PATH > /dev/null",
                 "echo looked, nothing to change"},
                {"GITLAB_TOKEN_AGENT"}));
  const std::string marker = (dir_.path() / "pwned").string();
  const auto values = hostile_addresses(marker);
  for (std::size_t i = 0; i < values.size(); ++i) {
    SCOPED_TRACE("value " + std::to_string(i) + ": " + values[i]);
    gitlab_.reset();
    auto env = job_environment();
    env["AI_FLOW_DISCUSSION_ID"] = values[i];
    env["AI_FLOW_PROJECT_PATH"] = values[(i + 1) % values.size()];
    env["AI_FLOW_GITLAB_HOSTNAME"] = values[(i + 2) % values.size()];
    env["CI_WORKLOAD_REF"] = values[(i + 3) % values.size()];  // no change is made: refused or not, nothing to push
    auto result = run(env);
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_FALSE(std::filesystem::exists(marker)) << "ran as code";
    EXPECT_TRUE(report()["report"].is_object());
    bool answered = false;
    for (const auto& request : gitlab_.requests()) {
      if (request.kind != "api") continue;
      EXPECT_TRUE(is_expected_api_path(request.path)) << request.method << " " << request.path;
      if (is_answer(request)) answered = true;
    }
    if (values[i] == "..") {
      // Encoded, not resolved by the HTTP client into ".../issues/7/notes".
      bool encoded = false;
      for (const auto& request : gitlab_.requests()) encoded = encoded || request.path.ends_with("/discussions/%2E%2E");
      EXPECT_TRUE(encoded) << result.out;
    }
    // The answer went to the issue that asked: in the thread, or on top when the thread cannot be found (posted, or
    // the job's note from an earlier try found and left as it is).
    json r = report();
    EXPECT_TRUE(answered || r["report"]["posted"] == true) << result.out;
    EXPECT_NE(r["report"]["note_url"].get<std::string>().find("/group/project/-/issues/7#note_"), std::string::npos)
        << r.dump(2);
  }
  for (const auto& body : note_bodies()) expect_inert(body, "note");
  EXPECT_EQ(server_branches(evil_repo_), "refs/heads/main\n");
}

TEST_F(AttackJob, AHostileHostnameIsNeverUsedAsAUrl) {
  check_out(flow_yaml({"exec flowrun run agent", "echo looked, nothing to change"}, {"GITLAB_TOKEN_AGENT"}));
  const std::string marker = (dir_.path() / "pwned").string();
  auto values = hostile_addresses(marker);
  values.push_back(gitlab_.host() + "/../../evil");
  values.push_back("http://" + gitlab_.host() + "/x/../../api/v4/projects/66#");
  values.push_back(gitlab_.host() + "@evil.example");
  for (const auto& value : values) {
    SCOPED_TRACE(value);
    gitlab_.reset();
    auto env = job_environment();
    for (const char* name : {"CI_SERVER_URL", "CI_API_V4_URL", "CI_SERVER_HOST", "GITLAB_HOST"}) env.erase(name);
    env["AI_FLOW_GITLAB_HOSTNAME"] = value;
    env["FLOWRUN_GITLAB_BUDGET"] = "1";  // a host like ".." does not resolve: no need to retry for long
    auto result = run(env);
    EXPECT_FALSE(std::filesystem::exists(marker)) << "ran as code";
    EXPECT_TRUE(report()["report"].is_object()) << result.out;
    for (const auto& request : gitlab_.requests()) {
      EXPECT_TRUE(is_expected_api_path(request.path)) << request.method << " " << request.path;
    }
  }
  EXPECT_EQ(server_branches(evil_repo_), "refs/heads/main\n");
}

TEST_F(AttackJob, HostileProjectPathNeverRedirectsThePush) {
  check_out(flow_yaml({"exec flowrun run agent", "echo change >> README.md"}, {"GITLAB_TOKEN_AGENT"}));
  const std::string marker = (dir_.path() / "pwned").string();
  const std::vector<std::string> values = {
      "group/project/../../evil/project",
      "../evil/project",
      "group/./../evil/project",
      "evil/project.git?x=/group/project",
      "evil/project#/group/project",
      "group/project;touch " + marker,
      "group/$(touch " + marker + ")",
      "group/pro ject",
      "group/pro\nject",
      "-/group/project",
  };
  for (std::size_t i = 0; i < values.size(); ++i) {
    SCOPED_TRACE("value " + std::to_string(i) + ": " + values[i]);
    auto env = job_environment();
    env["CI_PROJECT_PATH"] = values[i];
    env["AI_FLOW_PROJECT_PATH"] = values[i];
    env["CI_WORKLOAD_REF"] = "refs/workloads/path" + std::to_string(i);
    auto result = run(env);
    EXPECT_FALSE(std::filesystem::exists(marker)) << "ran as code";
    EXPECT_EQ(server_branches(evil_repo_), "refs/heads/main\n") << result.out;
    json r = report();
    // Not pushed anywhere, but committed and kept as a patch; and the thread is answered.
    EXPECT_NE(r["git"]["outcome"], "pushed") << r.dump(2);
    EXPECT_FALSE(r["git"]["commit"].get<std::string>().empty()) << r.dump(2);
    EXPECT_TRUE(std::filesystem::exists(r["git"]["patch_file"].get<std::string>())) << r.dump(2);
    EXPECT_TRUE(r["report"].is_object());
    // Reset the checkout's change for the next value: the agent appends again.
  }
  EXPECT_EQ(server_branches(evil_repo_), "refs/heads/main\n");
}

TEST_F(AttackJob, ABranchThatLooksLikeAnOptionOrAPathIsRefusedAndTheWorkIsKept) {
  check_out(flow_yaml({"exec flowrun run agent", "echo change >> README.md"}, {"GITLAB_TOKEN_AGENT"}));
  const std::string marker = (dir_.path() / "pwned").string();
  const std::vector<std::string> workload_refs = {
      "--force",
      "-f",
      "refs/heads/../x",
      "workloads/x;rm -rf " + marker,
      "workloads/x;touch${IFS}" + marker,
      "../../etc",
      "refs/heads/--force",
      "refs/workloads/-f",
      "refs/workloads/../../heads/main",
      "refs/heads/x\nmain",
      "refs/heads/$(touch " + marker + ")",
      "refs/heads/a`touch " + marker + "`",
      "refs/tags/v1",
      "refs/heads/x:refs/heads/main",
      "/etc/passwd",
  };
  const std::string before = server_branches(repo_);
  for (std::size_t i = 0; i < workload_refs.size(); ++i) {
    SCOPED_TRACE("CI_WORKLOAD_REF " + std::to_string(i) + ": " + workload_refs[i]);
    gitlab_.reset();
    auto env = job_environment();
    env["CI_WORKLOAD_REF"] = workload_refs[i];
    auto result = run(env);
    EXPECT_EQ(result.exit_code, 7) << result.out << result.err;
    EXPECT_NE(result.out.find("CI_WORKLOAD_REF"), std::string::npos) << result.out;
    EXPECT_FALSE(std::filesystem::exists(marker)) << "ran as code";
    json r = report();
    EXPECT_EQ(r["git"]["outcome"], "push_failed") << r.dump(2);
    EXPECT_FALSE(r["git"]["commit"].get<std::string>().empty()) << r.dump(2);
    EXPECT_TRUE(std::filesystem::exists(r["git"]["patch_file"].get<std::string>())) << r.dump(2);
    EXPECT_EQ(server_branches(repo_), before) << "something was pushed";
    bool answered = false;
    for (const auto& request : gitlab_.requests()) {
      if (request.kind == "git" && request.path.find("receive-pack") != std::string::npos) {
        ADD_FAILURE() << "a push was attempted: " << request.path;
      }
      if (is_answer(request)) answered = true;
    }
    EXPECT_TRUE(answered);
  }
  EXPECT_EQ(server_branches(evil_repo_), "refs/heads/main\n");
}

TEST_F(AttackJob, ABranchOptionThatLooksLikeAnOptionIsRefusedToo) {
  check_out(flow_yaml({"exec flowrun run agent", "echo change >> README.md"}, {"GITLAB_TOKEN_AGENT"}));
  const std::string before = server_branches(repo_);
  for (const std::string value : {"--force", "-f", "../x", "x..y", "-", "main:refs/heads/other"}) {
    SCOPED_TRACE(value);
    auto env = job_environment();
    env["FLOWRUN_BRANCH"] = value;
    auto result = run(env);
    // A setting that cannot be used stops the run before anything runs, naming where it came from.
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find("FLOWRUN_BRANCH: branch '" + value + "' is not a valid branch name"), std::string::npos)
        << result.err;
    EXPECT_EQ(git({"status", "--porcelain"}, workdir_).out, "") << "the commands did not run";
    EXPECT_EQ(server_branches(repo_), before);
  }
}

TEST_F(AttackJob, AFlowNameWithDotDotNeverReachesAFileOutsideTheFlowsFolder) {
  check_out(flow_yaml({"exec flowrun run agent", "echo looked"}, {"GITLAB_TOKEN_AGENT"}));
  const std::string marker = (dir_.path() / "pwned").string();
  // Flow files that a name escaping .gitlab/duo/flows/ would find.
  write_text(workdir_ / ".gitlab/duo/evil.yaml", flow_yaml({"touch " + marker}));
  write_text(workdir_ / ".gitlab/evil.yaml", flow_yaml({"touch " + marker}));
  write_text(dir_.path() / "evil.yaml", flow_yaml({"touch " + marker}));
  for (const std::string name :
       {"../evil", "../../evil", "../../../evil", "..%2Fevil", "agent/../../evil", "..", "../", "./../evil"}) {
    SCOPED_TRACE(name);
    auto result = run(job_environment(), {}, name);
    EXPECT_NE(result.exit_code, 0) << result.out << result.err;
    EXPECT_FALSE(std::filesystem::exists(marker)) << "a flow outside the flows folder ran";
    EXPECT_NE((result.out + result.err).find(name), std::string::npos) << result.out << result.err;
  }
}

}  // namespace
}  // namespace flowrun::testing
