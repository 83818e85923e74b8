// The git phase against a careless or hostile agent, and a server that does the unexpected: the phase ends in
// bounded time, the token never goes to another host, only the workload branch changes on the server, the work is
// pushed or kept as a commit and a patch, and the note and the exit code say what happened.
#include <chrono>
#include <functional>

#include "attack_fixture.h"
#include "support/background_process.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kBranch = "workloads/0a1b2c3d4e5";
constexpr auto kBound = std::chrono::seconds(60);  // generous: each of these runs takes a few seconds when it works

class GitPhaseAttack : public AttackJob {
 protected:
  // Checks out a flow running `commands` (after the handoff line), runs flowrun and times it.
  // `before_run` sets up the server once the checkout is made (faults would stop the clone too).
  ProcessResult run_agent(const std::string& commands, std::map<std::string, std::string> env = {},
                          std::vector<std::string> args = {}, bool shallow = true,
                          const std::function<void()>& before_run = {}) {
    check_out(flow_yaml({"exec flowrun run agent", commands}, {"GITLAB_TOKEN_AGENT"}), shallow);
    if (before_run) before_run();
    if (env.empty()) env = job_environment();
    const auto started = Clock::now();
    ProcessResult result = run(env, std::move(args));
    took_ = Clock::now() - started;
    return result;
  }

  void expect_bounded(const ProcessResult& result) {
    EXPECT_FALSE(result.timed_out) << result.out;
    EXPECT_LT(took_, kBound) << result.out;
  }

  std::string server_file(const std::string& path) {
    return server(repo_, {"show", std::string(kBranch) + ":" + path});
  }
  bool branch_on_server() { return server_branches(repo_).find(kBranch) != std::string::npos; }
  std::string main_on_server() { return server(repo_, {"rev-parse", "refs/heads/main"}); }

  // The last note agent-bot wrote: the answer in the thread.
  std::string answer() {
    auto bodies = note_bodies();
    return bodies.empty() ? std::string() : bodies.back();
  }

  // Pushed to the workload branch as one commit on the job's commit, README change included.
  void expect_pushed_on_base(const ProcessResult& result, const std::string& base) {
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    json r = report();
    EXPECT_EQ(r["git"]["outcome"], "pushed") << r.dump(2);
    EXPECT_NE(server_file("README.md").find("changed by the agent"), std::string::npos);
    EXPECT_EQ(server(repo_, {"rev-parse", std::string(kBranch) + "^"}), base);
    EXPECT_NE(answer().find("Succeeded"), std::string::npos) << answer();
  }

  // Not pushed, and said so: exit 7, the work kept as a commit and a patch, a note that does not say "Succeeded".
  void expect_kept_not_pushed(const ProcessResult& result, const std::string& why) {
    EXPECT_EQ(result.exit_code, 7) << result.out << result.err;
    json r = report();
    EXPECT_EQ(r["outcome"], "git_failed") << r.dump(2);
    EXPECT_EQ(r["git"]["outcome"], "push_failed") << r.dump(2);
    EXPECT_NE(r["git"]["error"].get<std::string>().find(why), std::string::npos) << r["git"]["error"];
    const std::string patch = r["git"]["patch_file"].get<std::string>();
    ASSERT_FALSE(patch.empty()) << r.dump(2);
    EXPECT_NE(read_text(patch).find("changed by the agent"), std::string::npos);
    EXPECT_EQ(git({"cat-file", "-t", r["git"]["commit"].get<std::string>()}, workdir_).out, "commit\n");
    const std::string note = answer();
    EXPECT_EQ(note.find("Succeeded"), std::string::npos) << note;
    EXPECT_NE(note.find("changed by the agent"), std::string::npos) << "the patch is not in the note:\n" << note;
  }

  Clock::duration took_{};
};

// ----- lost work or a hang ----------------------------------------------------------------------------------------

TEST_F(GitPhaseAttack, AFifoInPlaceOfGitattributesDoesNotHangTheRun) {
  auto result = run_agent("echo 'changed by the agent' >> README.md\nmkfifo .gitattributes");
  expect_bounded(result);
  const std::string base = main_on_server();
  expect_pushed_on_base(result, base);
}

TEST_F(GitPhaseAttack, AFifoInPlaceOfANestedGitignoreDoesNotHangTheRun) {
  auto result = run_agent(
      "echo 'changed by the agent' >> README.md\nmkdir -p src\necho new > src/new.txt\n"
      "mkfifo src/.gitignore");
  expect_bounded(result);
  expect_pushed_on_base(result, main_on_server());
  EXPECT_EQ(server_file("src/new.txt"), "new\n");
}

TEST_F(GitPhaseAttack, AConfigIncludeOfAFifoDoesNotHangTheRun) {
  const auto fifo = dir_.path() / "config-fifo";
  auto result = run_agent("echo 'changed by the agent' >> README.md\nmkfifo " + fifo.string() +
                          "\ngit config include.path " + fifo.string());
  expect_bounded(result);
  expect_pushed_on_base(result, main_on_server());
}

TEST_F(GitPhaseAttack, AServerThatStallsThePushEndsInTimeWithTheWorkKept) {
  Fault stall;
  stall.path_regex = "git-receive-pack";
  stall.delay_ms = 300'000;
  stall.times = 100;
  gitlab_.add_fault(stall);
  auto result = run_agent("echo 'changed by the agent' >> README.md", {}, {"--timeout", "60"});
  expect_bounded(result);
  EXPECT_FALSE(branch_on_server());
  expect_kept_not_pushed(result, "did not finish");
}

TEST_F(GitPhaseAttack, SigtermDuringAStalledPushStopsItAndTheRunStillReports) {
  check_out(flow_yaml({"exec flowrun run agent", "echo 'changed by the agent' >> README.md"}, {"GITLAB_TOKEN_AGENT"}));
  Fault stall;
  stall.path_regex = "git-receive-pack";
  stall.delay_ms = 300'000;
  stall.times = 100;
  gitlab_.add_fault(stall);
  // The default time budget keeps ~200 s for the push: only the cancellation can end it sooner.
  BackgroundProcess flowrun({FLOWRUN_BINARY, "run", "agent"}, job_environment(), workdir_);
  ASSERT_TRUE(flowrun.wait_for_line("flowrun: pushing ", std::chrono::seconds(30)).has_value())
      << flowrun.stdout_text() << flowrun.stderr_text();
  const auto signalled = Clock::now();
  flowrun.stop(std::chrono::seconds(50));  // SIGTERM, as GitLab Runner does on cancel; SIGKILL only after 50 s
  EXPECT_LT(Clock::now() - signalled, std::chrono::seconds(30)) << flowrun.stdout_text();
  json r = report();
  EXPECT_EQ(r["git"]["outcome"], "push_failed") << r.dump(2);
  EXPECT_NE(r["git"]["error"].get<std::string>().find("cancelled"), std::string::npos) << r["git"]["error"];
  EXPECT_FALSE(read_text(r["git"]["patch_file"].get<std::string>()).empty());
  EXPECT_NE(r["exit_code"], 0);
  EXPECT_FALSE(answer().empty()) << "no note posted";
}

TEST_F(GitPhaseAttack, AServerThatStallsTheNoteEndsInTime) {
  Fault stall;
  stall.method = "POST";
  stall.path_regex = "/notes$";
  stall.delay_ms = 300'000;
  stall.times = 100;
  gitlab_.add_fault(stall);
  auto result = run_agent("echo 'changed by the agent' >> README.md", {}, {"--timeout", "60"});
  expect_bounded(result);
  EXPECT_EQ(result.exit_code, 8) << result.out;
  EXPECT_EQ(report()["git"]["outcome"], "pushed");
}

struct HistoryRewrite {
  std::string name;
  std::string commands;  // each ends with the README change
};

void PrintTo(const HistoryRewrite& rewrite, std::ostream* out) { *out << rewrite.name; }

class RewrittenHistory : public GitPhaseAttack, public ::testing::WithParamInterface<HistoryRewrite> {};

TEST_P(RewrittenHistory, TheWorkIsCommittedOnTheJobsCommitAndPushed) {
  auto env = job_environment();
  env.erase("GIT_AUTHOR_NAME");  // so the repository's user.name counts
  env.erase("GIT_COMMITTER_NAME");
  auto result = run_agent(GetParam().commands, env, {}, /*shallow=*/false);
  expect_bounded(result);
  expect_pushed_on_base(result, main_on_server());
}

INSTANTIATE_TEST_SUITE_P(
    Agent, RewrittenHistory,
    ::testing::Values(HistoryRewrite{"Amend",
                                     "git config user.name agent; git config user.email a@b\n"
                                     "git commit -q --amend -m rewritten --allow-empty\n"
                                     "echo 'changed by the agent' >> README.md"},
                      HistoryRewrite{"ResetHard",
                                     "git config user.name agent; git config user.email a@b\n"
                                     "echo one > one.txt && git add one.txt && git commit -qm one\n"
                                     "git reset -q --hard HEAD~1\necho 'changed by the agent' >> README.md"},
                      HistoryRewrite{"UnrelatedCommit",
                                     "git config user.name agent; git config user.email a@b\n"
                                     "git reset -q --soft $(git commit-tree -m unrelated "
                                     "4b825dc642cb6eb9a060e54bf8d69288fbee4904)\n"
                                     "echo 'changed by the agent' >> README.md"},
                      HistoryRewrite{"GarbageHead",
                                     "echo 'changed by the agent' >> README.md\necho garbage > .git/HEAD"},
                      HistoryRewrite{"UserNameWithBrackets",
                                     "git config user.name 'Claude <bot>'\n"
                                     "git config user.email '<bot@example.com>'\n"
                                     "echo 'changed by the agent' >> README.md"}),
    [](const auto& info) { return info.param.name; });

TEST_F(GitPhaseAttack, ARebaseLeftStoppedIsReportedAndNotPushed) {
  auto result = run_agent(
      "git config user.name agent; git config user.email a@b\n"
      "echo 'changed by the agent' >> README.md && git commit -qam one\n"
      "echo two >> README.md && git commit -qam two\n"
      "GIT_SEQUENCE_EDITOR='sed -i 1s/^pick/edit/' git rebase -q -i HEAD~2",
      {}, {}, /*shallow=*/false);
  expect_bounded(result);
  EXPECT_FALSE(branch_on_server());
  expect_kept_not_pushed(result, "a rebase");
}

TEST_F(GitPhaseAttack, AMergeLeftWithConflictsIsReportedAndNotPushed) {
  auto result = run_agent(
      "git config user.name agent; git config user.email a@b\n"
      "git checkout -qb side && echo side > README.md && git commit -qam side\n"
      "git checkout -q --detach HEAD~1 && echo 'changed by the agent' > README.md\n"
      "git commit -qam mine\ngit merge side || true",
      {}, {}, /*shallow=*/false);
  expect_bounded(result);
  EXPECT_FALSE(branch_on_server());
  expect_kept_not_pushed(result, "a merge");
}

TEST_F(GitPhaseAttack, AnInvalidProjectPathIsNotASuccess) {
  auto env = job_environment();
  env["CI_PROJECT_PATH"] = "group/../../evil";
  auto result = run_agent("echo 'changed by the agent' >> README.md", env);
  expect_bounded(result);
  EXPECT_FALSE(branch_on_server());
  expect_kept_not_pushed(result, "CI_PROJECT_PATH");
}

TEST_F(GitPhaseAttack, FiftyThousandNewFilesGiveANoteGitLabTakes) {
  auto result = run_agent(
      "echo 'changed by the agent' >> README.md\nmkdir node_modules && cd node_modules && "
      "seq -f 'module-%06g.js' 1 50000 | xargs touch");
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::string note = answer();
  ASSERT_FALSE(note.empty());
  EXPECT_LT(note.size(), 1'000'000u);
  EXPECT_NE(note.find("more (every file is listed"), std::string::npos);
  EXPECT_EQ(report()["git"]["files"].size(), 50'001u);
}

TEST_F(GitPhaseAttack, AnUnpushedPatchOfHundredsOfKilobytesSurvivesInTheNote) {
  auto env = job_environment();
  env["CI_WORKLOAD_REF"] = "main";  // refused: the work is kept, not pushed
  auto result = run_agent("echo 'changed by the agent' >> README.md\nseq 1 40000 > numbers.txt", env);
  EXPECT_EQ(result.exit_code, 7) << result.out;
  ASSERT_GT(std::filesystem::file_size(report()["git"]["patch_file"].get<std::string>()), 200'000u);
  const std::string note = answer();
  EXPECT_LT(note.size(), 1'000'000u);
  EXPECT_NE(note.find("\n+39999\n+40000\n"), std::string::npos) << "the patch is not in the note";
}

TEST_F(GitPhaseAttack, NoPushWithoutABranchStillCommitsAndWritesThePatch) {
  auto env = job_environment();
  env.erase("CI_WORKLOAD_REF");
  auto result = run_agent("echo 'changed by the agent' >> README.md", env, {"--no-push"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  json r = report();
  EXPECT_EQ(r["git"]["outcome"], "committed") << r.dump(2);
  EXPECT_NE(read_text(r["git"]["patch_file"].get<std::string>()).find("changed by the agent"), std::string::npos);
  EXPECT_FALSE(branch_on_server());
}

TEST_F(GitPhaseAttack, ALeftoverProcessRewritingHeadDoesNotChangeWhatIsPushed) {
  // Leaves the session's process group and keeps forking writers of .git/HEAD after the commands end.
  auto result = run_agent(
      "echo 'changed by the agent' >> README.md\n"
      "setsid bash -c 'while :; do (echo 0000000000000000000000000000000000000000 > .git/HEAD) "
      "2>/dev/null; sleep 0.01; done' </dev/null >/dev/null 2>&1 &");
  expect_bounded(result);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  json r = report();
  EXPECT_EQ(r["git"]["outcome"], "pushed") << r.dump(2);
  EXPECT_EQ(server(repo_, {"rev-parse", kBranch}), r["git"]["commit"].get<std::string>() + "\n");
  EXPECT_NE(server_file("README.md").find("changed by the agent"), std::string::npos);
}

// ----- tokens or pushes going where they must not -----------------------------------------------------------------

class RedirectedPush : public GitPhaseAttack, public ::testing::WithParamInterface<bool> {};

TEST_P(RedirectedPush, ARedirectToAnotherHostIsNotFollowed) {
  FakeGitLab foreign;
  foreign.add_token(kAttackToken, TokenKind::pat, "agent-bot");
  Fault redirect;
  redirect.path_regex = "/info/refs$";
  redirect.status = 302;
  redirect.location = foreign.url();
  redirect.times = 100;
  auto result =
      run_agent("echo 'changed by the agent' >> README.md", {}, {}, GetParam(), [&] { gitlab_.add_fault(redirect); });
  expect_bounded(result);
  EXPECT_TRUE(foreign.requests().empty()) << foreign.requests().size() << " request(s) reached the foreign host";
  EXPECT_FALSE(branch_on_server());
  expect_kept_not_pushed(result, "");
  expect_nowhere(result, {kAttackToken});
}

INSTANTIATE_TEST_SUITE_P(CloneDepth, RedirectedPush, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Shallow" : "Full"; });

class DefaultBranchAsWorkloadRef : public GitPhaseAttack, public ::testing::WithParamInterface<std::string> {};

TEST_P(DefaultBranchAsWorkloadRef, IsNotPushedTo) {
  auto env = job_environment();
  env["CI_WORKLOAD_REF"] = GetParam();
  auto result = run_agent("echo 'changed by the agent' >> README.md", env);
  expect_bounded(result);
  EXPECT_EQ(server(repo_, {"show", "main:README.md"}), "# Project\n");
  EXPECT_EQ(server_branches(repo_), "refs/heads/main\n");
  expect_kept_not_pushed(result, "default branch");
}

INSTANTIATE_TEST_SUITE_P(Ref, DefaultBranchAsWorkloadRef, ::testing::Values("main", "refs/heads/main"),
                         [](const auto& info) { return info.index == 0 ? std::string("Name") : std::string("Ref"); });

TEST_F(GitPhaseAttack, FilesTheAgentCommitsItselfStillNeverLeave) {
  auto env = job_environment();
  env["FLOWRUN_EXCLUDE"] = "private-*.txt";
  auto result = run_agent(
      "git config user.name agent; git config user.email a@b\n"
      "echo PRIVATE-NOTES-$((5000 + 150)) > private-notes.txt\n"
      "echo 'changed by the agent' >> README.md\ngit add -A -f && git commit -qm 'agent commit'",
      env);
  expect_bounded(result);
  expect_pushed_on_base(result, main_on_server());
  const std::string names = server(repo_, {"log", "--format=", "--name-only", kBranch});
  EXPECT_EQ(names.find(".flowrun"), std::string::npos) << names;
  EXPECT_EQ(names.find("private-notes.txt"), std::string::npos) << names;
  EXPECT_EQ(all_objects(repo_).find("PRIVATE-NOTES-5150"), std::string::npos) << result.out;
}

TEST_F(GitPhaseAttack, AFolderReplacedByALinkOutsideIsNotFollowed) {
  const auto outside = dir_.path() / "outside";
  write_text(outside / "agent.yaml", "OUTSIDE-CONTENT-8086\n");
  auto result = run_agent(
      "echo 'changed by the agent' >> README.md\nrm -rf .gitlab/duo/flows\n"
      "ln -s " +
      outside.string() + " .gitlab/duo/flows");
  expect_bounded(result);
  // Committed as a link, never followed; and refused before pushing (a protected path, a link out of the tree).
  EXPECT_EQ(result.exit_code, 10) << result.out << result.err;
  EXPECT_EQ(report()["git"]["outcome"], "refused");
  const std::string tree = git({"ls-tree", "-r", report()["git"]["commit"].get<std::string>()}, workdir_).out;
  EXPECT_NE(tree.find("120000 blob"), std::string::npos) << tree;
  EXPECT_EQ(all_objects(workdir_ / ".git").find("OUTSIDE-CONTENT-8086"), std::string::npos);
  EXPECT_EQ(all_objects(repo_).find("OUTSIDE-CONTENT-8086"), std::string::npos);
}

TEST_F(GitPhaseAttack, AGitPlantedInThePathIsNeverRun) {
  const auto planted = dir_.path() / "planted-bin";
  const auto marker = dir_.path() / "planted-git-ran";
  write_text(planted / "git", "#!/bin/sh\nenv > " + marker.string() + "\nexit 1\n");
  std::filesystem::permissions(planted / "git", std::filesystem::perms::owner_all);
  auto env = job_environment();
  env["PATH"] = planted.string() + ":" + env["PATH"];
  // The checkout itself needs the real git: the planted one only comes into PATH for flowrun.
  check_out(flow_yaml({"exec flowrun run agent", "echo 'changed by the agent' >> README.md"}, {"GITLAB_TOKEN_AGENT"}));
  auto result = run(env);
  EXPECT_FALSE(std::filesystem::exists(marker)) << read_text(marker);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(report()["git"]["outcome"], "pushed");
}

TEST_F(GitPhaseAttack, FlowrunsFilesAreNotWrittenThroughLinks) {
  auto result = run_agent("echo 'changed by the agent' >> README.md\nln -sf ../README.md .flowrun/report.json");
  expect_bounded(result);
  EXPECT_NE(read_text(workdir_ / "README.md").find("changed by the agent"), std::string::npos);
  EXPECT_FALSE(read_text(workdir_ / "README.md").starts_with("{"));
  EXPECT_FALSE(std::filesystem::is_symlink(workdir_ / ".flowrun/report.json"));
  EXPECT_EQ(report()["git"]["outcome"], "pushed");
}

TEST_F(GitPhaseAttack, FlowrunsFolderReplacedByALinkDoesNotHideChanges) {
  auto result = run_agent(
      "echo 'changed by the agent' >> README.md\nmkdir -p src && echo new > src/new.txt\n"
      "rm -rf .flowrun && ln -s src .flowrun");
  expect_bounded(result);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(server_file("src/new.txt"), "new\n");
}

TEST_F(GitPhaseAttack, AFileNameWithARightToLeftOverrideIsShownEscaped) {
  auto result = run_agent("echo 'changed by the agent' >> README.md\ntouch $'invoice-\\u202Efdp.exe'");
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::string note = answer();
  EXPECT_EQ(note.find("\xE2\x80\xAE"), std::string::npos) << note;
  EXPECT_NE(note.find("invoice-\\u202Efdp.exe"), std::string::npos) << note;
}

}  // namespace
}  // namespace flowrun::testing
