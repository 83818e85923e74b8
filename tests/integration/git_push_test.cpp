// The git module against the fake GitLab over smart HTTP with basic auth: what the commands changed arrives on the
// workload branch from full and shallow clones, and every way a push can fail ends as the right outcome without
// the token reaching .git or the log.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "flowrun/git/git.h"
#include "support/fake_gitlab.h"
#include "support/git_helpers.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace flowrun::testing {
namespace {

constexpr std::int64_t kProjectId = 7;
const std::string kProjectPath = "group/sub/project";
const std::string kPat = "glpat-push-test-0123456789abcdef";
const std::string kOauth = "oauth-push-test-0123456789abcdef";
const std::string kJobToken = "glcbt-push-test-0123456789abcdef";
const std::string kWrongToken = "glpat-wrong-0123456789abcdef";
const std::string kWorkloadHex = "0a1b2c3d4e5";

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

bool any_file_contains(const std::filesystem::path& folder, const std::string& needle) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream file(entry.path(), std::ios::binary);
    std::stringstream content;
    content << file.rdbuf();
    if (content.str().find(needle) != std::string::npos) return true;
  }
  return false;
}

class GitPushTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // libgit2 in this process reads the global git config of HOME: use the tests' private one.
    ::setenv("HOME", test_home().c_str(), 1);
    ::setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
  }

  void SetUp() override {
    bare_ = gitlab_.add_project(kProjectId, kProjectPath);
    gitlab_.add_token(kPat, TokenKind::pat, "service-bot");
    gitlab_.add_token(kOauth, TokenKind::oauth, "service-bot");
    gitlab_.add_token(kJobToken, TokenKind::job, "ci-user");
    // Some history, so a depth-1 clone is really shallow (each seed is the whole tree of its commit).
    std::map<std::string, std::string> files{{"README.md", "hello\n"}, {"src/old.txt", "old\n"}};
    seed_repository(bare_, files);
    files["src/keep.txt"] = "keep\n";
    seed_repository(bare_, files, "main", "Second");
    files["docs/guide.md"] = "guide\n";
    seed_repository(bare_, files, "main", "Third");
  }

  // Clones like a CI job does: detached HEAD, the token sent by header, never stored.
  std::filesystem::path clone(bool shallow) {
    const auto work = dir_.path() / "work";
    std::vector<std::string> args{"clone", "-q"};
    if (shallow) args.insert(args.end(), {"--depth", "1"});
    args.insert(args.end(), {gitlab_.repository_url(kProjectPath), work.string()});
    const auto cloned = git(args, dir_.path(), git_credentials_environment("gitlab-ci-token", kPat));
    EXPECT_EQ(cloned.exit_code, 0) << cloned.err;
    EXPECT_EQ(git({"checkout", "-q", "--detach"}, work).exit_code, 0);
    EXPECT_EQ(std::filesystem::exists(work / ".git" / "shallow"), shallow);
    return work;
  }

  // What flowrun's run phase builds from the job's environment.
  git::GitOptions options_for(const std::filesystem::path& work, const std::string& workload_ref,
                              const std::map<std::string, std::string>& tokens) {
    std::map<std::string, std::string> variables{
        {"CI_SERVER_URL", gitlab_.url()}, {"CI_PROJECT_PATH", kProjectPath}, {"CI_WORKLOAD_REF", workload_ref}};
    variables.insert(tokens.begin(), tokens.end());
    const Environment env(variables);
    git::GitOptions options;
    options.workdir = work;
    options.base_commit = git::head_commit(work).value_or("");
    options.branch = git::branch_for_workload_ref(workload_ref).value_or("");
    options.remote_url = git::remote_url(env, "").value_or("");
    options.credentials = git::credentials_from_environment(env, {"GITLAB_TOKEN_CLAUDE"});
    options.author = {"Service Account", "sa@example.com"};
    options.committer = {"Person", "person@example.com"};
    options.message = "Changes requested in #12";
    options.artifacts_dir = dir_.path() / "artifacts";
    options.first_backoff = std::chrono::milliseconds(10);
    options.log = [this](std::string_view line) { log_.emplace_back(line); };
    return options;
  }

  void change_everything(const std::filesystem::path& work) {
    write_file(work / "README.md", "changed by the agent\n");
    std::filesystem::remove(work / "src/old.txt");
    write_file(work / "brand/new/folder/file.txt", "only untracked\n");
  }

  std::string on_server(const std::vector<std::string>& args) {
    std::vector<std::string> full{"--git-dir=" + bare_.string()};
    full.insert(full.end(), args.begin(), args.end());
    const auto result = git(full, dir_.path());
    return result.exit_code == 0 ? trimmed(result.out) : "<error: " + trimmed(result.err) + ">";
  }

  void expect_changes_on_server(const std::string& branch, const std::string& commit) {
    EXPECT_EQ(on_server({"rev-parse", "refs/heads/" + branch}), commit);
    EXPECT_EQ(on_server({"ls-tree", "-r", "--name-only", branch}),
              "README.md\nbrand/new/folder/file.txt\ndocs/guide.md\nsrc/keep.txt");
    EXPECT_EQ(on_server({"show", branch + ":README.md"}), "changed by the agent");
    EXPECT_EQ(on_server({"show", branch + ":brand/new/folder/file.txt"}), "only untracked");
    EXPECT_EQ(on_server({"log", "-1", "--format=%an|%cn|%s", branch}),
              "Service Account|Person|Changes requested in #12");
  }

  void expect_no_secret_anywhere(const std::filesystem::path& work, const git::GitResult& result) {
    for (const std::string& token : {kPat, kOauth, kJobToken, kWrongToken}) {
      EXPECT_FALSE(any_file_contains(work / ".git", token)) << "token in .git";
      EXPECT_EQ(result.error.find(token), std::string::npos) << result.error;
      for (const auto& line : log_) EXPECT_EQ(line.find(token), std::string::npos) << line;
    }
  }

  int git_requests(std::string_view path_part) {
    int count = 0;
    for (const auto& request : gitlab_.requests()) {
      if (request.kind == "git" && request.path.find(path_part) != std::string::npos) ++count;
    }
    return count;
  }

  FakeGitLab gitlab_;
  TempDir dir_{"flowrun-git-push-"};
  std::filesystem::path bare_;
  std::vector<std::string> log_;
};

TEST_F(GitPushTest, FullCloneNewerWorkloadRefCreatesTheBranch) {
  const auto work = clone(false);
  change_everything(work);
  const auto options = options_for(work, "refs/workloads/" + kWorkloadHex, {{"GITLAB_TOKEN", kPat}});
  const auto result = git::commit_and_push(options);
  ASSERT_EQ(result.outcome, git::Outcome::pushed) << result.error;
  EXPECT_EQ(result.branch, "workloads/" + kWorkloadHex);
  EXPECT_EQ(result.remote_display, gitlab_.repository_url(kProjectPath));
  EXPECT_EQ(result.push_attempts, 1);
  expect_changes_on_server(result.branch, result.commit);
  EXPECT_TRUE(result.patch_file && std::filesystem::exists(*result.patch_file));
  expect_no_secret_anywhere(work, result);
}

TEST_F(GitPushTest, ShallowCloneOlderWorkloadBranchIsFastForwarded) {
  // GitLab 18.3 creates the branch at the job's commit before the job starts.
  on_server({"branch", "workloads/" + kWorkloadHex, "main"});
  const auto work = clone(true);
  change_everything(work);
  const auto options = options_for(work, "workloads/" + kWorkloadHex, {{"GITLAB_TOKEN_CLAUDE", kPat}});
  const auto result = git::commit_and_push(options);
  ASSERT_EQ(result.outcome, git::Outcome::pushed) << result.error;
  EXPECT_EQ(result.branch, "workloads/" + kWorkloadHex);
  expect_changes_on_server(result.branch, result.commit);
  EXPECT_EQ(git({"--git-dir=" + bare_.string(), "fsck", "--no-progress"}, dir_.path()).exit_code, 0);
  expect_no_secret_anywhere(work, result);
}

TEST_F(GitPushTest, ShallowCloneNewerWorkloadRef) {
  const auto work = clone(true);
  change_everything(work);
  const auto options = options_for(work, "refs/workloads/" + kWorkloadHex, {{"AI_FLOW_GITLAB_TOKEN", kOauth}});
  const auto result = git::commit_and_push(options);
  ASSERT_EQ(result.outcome, git::Outcome::pushed) << result.error;
  expect_changes_on_server(result.branch, result.commit);
  expect_no_secret_anywhere(work, result);
}

TEST_F(GitPushTest, RefusedTokensMoveToTheNextOne) {
  for (const bool shallow : {false, true}) {
    SCOPED_TRACE(shallow ? "shallow" : "full");
    std::filesystem::remove_all(dir_.path() / "work");
    on_server({"update-ref", "-d", "refs/heads/workloads/" + kWorkloadHex});
    const auto work = clone(shallow);
    change_everything(work);
    // Wrong PAT first (401), then the job token (may not push: 403), then a PAT that works.
    const auto options =
        options_for(work, "refs/workloads/" + kWorkloadHex,
                    {{"FLOWRUN_GIT_TOKEN", kWrongToken}, {"CI_JOB_TOKEN", kJobToken}, {"GITLAB_TOKEN", kPat}});
    ASSERT_EQ(options.credentials.size(), 3u);
    // Order as documented: FLOWRUN_GIT_TOKEN, GITLAB_TOKEN, ..., CI_JOB_TOKEN; move the job token to the middle.
    auto reordered = options;
    reordered.credentials = {options.credentials[0], options.credentials[2], options.credentials[1]};
    log_.clear();
    const auto result = git::commit_and_push(reordered);
    ASSERT_EQ(result.outcome, git::Outcome::pushed) << result.error;
    EXPECT_TRUE(std::any_of(log_.begin(), log_.end(), [](const std::string& line) {
      return line.find("CI_JOB_TOKEN may not push here (HTTP 403)") != std::string::npos;
    }));
    expect_changes_on_server(result.branch, result.commit);
    expect_no_secret_anywhere(work, result);
  }
}

TEST_F(GitPushTest, WrongTokenFailsFastWithBoundedAttempts) {
  for (const bool shallow : {false, true}) {
    SCOPED_TRACE(shallow ? "shallow" : "full");
    std::filesystem::remove_all(dir_.path() / "work");
    const auto work = clone(shallow);
    change_everything(work);
    gitlab_.reset();
    log_.clear();
    const auto options = options_for(work, "refs/workloads/" + kWorkloadHex, {{"GITLAB_TOKEN", kWrongToken}});
    const auto started = std::chrono::steady_clock::now();
    const auto result = git::commit_and_push(options);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
    ASSERT_EQ(result.outcome, git::Outcome::push_failed);
    EXPECT_EQ(result.push_attempts, 1);  // not retried
    EXPECT_NE(result.error.find("authentication failed for " + gitlab_.repository_url(kProjectPath) +
                                " with GITLAB_TOKEN: check the token has write_repository"),
              std::string::npos)
        << result.error;
    EXPECT_LE(git_requests("/info/refs"), 4);
    EXPECT_EQ(on_server({"rev-parse", "-q", "--verify", "refs/heads/workloads/" + kWorkloadHex}).find("<error"), 0u);
    ASSERT_TRUE(result.patch_file.has_value());
    EXPECT_TRUE(std::filesystem::exists(*result.patch_file));
    expect_no_secret_anywhere(work, result);
  }
}

TEST_F(GitPushTest, PreReceiveHookRejectionIsDetected) {
  install_hook(bare_, "pre-receive",
               "#!/bin/sh\necho 'GitLab: You are not allowed to push to this branch.' >&2\nexit 1\n");
  for (const bool shallow : {false, true}) {
    SCOPED_TRACE(shallow ? "shallow" : "full");
    std::filesystem::remove_all(dir_.path() / "work");
    const auto work = clone(shallow);
    change_everything(work);
    const auto options = options_for(work, "refs/workloads/" + kWorkloadHex, {{"GITLAB_TOKEN", kPat}});
    const auto result = git::commit_and_push(options);
    ASSERT_EQ(result.outcome, git::Outcome::push_failed) << result.error;
    EXPECT_EQ(result.push_attempts, 1);
    EXPECT_NE(result.error.find("refused"), std::string::npos) << result.error;
    EXPECT_NE(result.error.find("pre-receive hook declined"), std::string::npos) << result.error;
    EXPECT_EQ(on_server({"rev-parse", "-q", "--verify", "refs/heads/workloads/" + kWorkloadHex}).find("<error"), 0u);
    EXPECT_TRUE(result.patch_file.has_value());
  }
}

TEST_F(GitPushTest, BranchMovedOnTheServerGoesToANewBranch) {
  for (const bool shallow : {false, true}) {
    SCOPED_TRACE(shallow ? "shallow" : "full");
    std::filesystem::remove_all(dir_.path() / "work");
    on_server({"branch", "-f", "workloads/" + kWorkloadHex, "main"});
    const auto work = clone(shallow);
    // Someone pushes to the workload branch while the agent works.
    const auto moved = seed_repository(bare_, {{"README.md", "hello\n"}, {"other.txt", shallow ? "b\n" : "a\n"}},
                                       "workloads/" + kWorkloadHex, "Concurrent change");
    change_everything(work);
    const auto options = options_for(work, "workloads/" + kWorkloadHex, {{"GITLAB_TOKEN", kPat}});
    const auto result = git::commit_and_push(options);
    ASSERT_EQ(result.outcome, git::Outcome::pushed_to_new_branch) << result.error;
    EXPECT_EQ(result.branch, "workloads/" + kWorkloadHex + "-" + result.commit.substr(0, 7));
    EXPECT_NE(result.error.find(result.branch), std::string::npos);
    expect_changes_on_server(result.branch, result.commit);
    EXPECT_EQ(on_server({"rev-parse", "workloads/" + kWorkloadHex}), moved);  // never forced
  }
}

TEST_F(GitPushTest, ServerErrorsAreRetried) {
  const auto work = clone(false);
  change_everything(work);
  gitlab_.add_fault({.path_regex = "git-receive-pack", .status = 503, .times = 2});
  const auto options = options_for(work, "refs/workloads/" + kWorkloadHex, {{"GITLAB_TOKEN", kPat}});
  const auto result = git::commit_and_push(options);
  ASSERT_EQ(result.outcome, git::Outcome::pushed) << result.error;
  EXPECT_EQ(result.push_attempts, 3);
  expect_changes_on_server(result.branch, result.commit);
}

TEST_F(GitPushTest, ServerDownIsRetriedThenFailsWithThePatchKept) {
  for (const bool shallow : {false, true}) {
    SCOPED_TRACE(shallow ? "shallow" : "full");
    std::filesystem::remove_all(dir_.path() / "work");
    const auto work = clone(shallow);
    change_everything(work);
    auto options = options_for(work, "refs/workloads/" + kWorkloadHex, {{"GITLAB_TOKEN", kPat}});
    gitlab_.add_fault({.path_regex = "\\.git/", .times = 100, .drop_connection = true});
    options.max_push_attempts = 3;
    const auto result = git::commit_and_push(options);
    gitlab_.reset();
    ASSERT_EQ(result.outcome, git::Outcome::push_failed) << result.error;
    EXPECT_GE(result.push_attempts, 3);
    ASSERT_TRUE(result.patch_file.has_value());
    // The patch carries the work to a fresh checkout of the job's commit.
    const auto fresh = dir_.path() / (shallow ? "fresh-shallow" : "fresh-full");
    ASSERT_EQ(git({"clone", "-q", bare_.string(), fresh.string()}, dir_.path()).exit_code, 0);
    EXPECT_EQ(git({"checkout", "-q", result.base_commit}, fresh).exit_code, 0);
    const auto applied = git({"apply", "--index", result.patch_file->string()}, fresh);
    EXPECT_EQ(applied.exit_code, 0) << applied.err;
    EXPECT_EQ(trimmed(git({"show", ":README.md"}, fresh).out), "changed by the agent");
    EXPECT_FALSE(std::filesystem::exists(fresh / "src/old.txt"));
    EXPECT_TRUE(std::filesystem::exists(fresh / "brand/new/folder/file.txt"));
    EXPECT_EQ(trimmed(git({"rev-parse", "HEAD"}, work).out), result.commit);
    expect_no_secret_anywhere(work, result);
  }
}

TEST_F(GitPushTest, NoChangeAtAllPushesNothing) {
  const auto work = clone(true);
  gitlab_.reset();
  const auto options = options_for(work, "refs/workloads/" + kWorkloadHex, {{"GITLAB_TOKEN", kPat}});
  const auto result = git::commit_and_push(options);
  EXPECT_EQ(result.outcome, git::Outcome::no_changes) << result.error;
  EXPECT_EQ(result.push_attempts, 0);
  EXPECT_EQ(git_requests(".git"), 0);
  EXPECT_EQ(on_server({"rev-parse", "-q", "--verify", "refs/heads/workloads/" + kWorkloadHex}).find("<error"), 0u);
}

}  // namespace
}  // namespace flowrun::testing
