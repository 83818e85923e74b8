// An agent that turns the checkout's .git against the job: hooks, remotes, URL rewrites, credential helpers, proxies,
// fsmonitor, filter drivers, external diff, a moved work tree, symlinks out of the repository. None of it runs or
// is read: the commit is made and pushed to the intended remote only, and the token reaches nobody else. On a shallow
// clone (pushed with the git command line where libgit2 cannot) and on a full one (pushed with libgit2).
#include "attack_fixture.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;

const std::vector<std::string> kHooks = {
    "pre-commit",       "prepare-commit-msg", "commit-msg",        "post-commit",
    "pre-push",         "post-checkout",      "post-merge",        "reference-transaction",
    "post-rewrite",     "pre-auto-gc",        "post-index-change", "fsmonitor-watchman",
    "push-to-checkout", "pre-applypatch",     "post-applypatch"};

class TamperedCheckout : public AttackJob, public ::testing::WithParamInterface<bool> {
 protected:
  // A command that leaves a trace in the markers folder when anything runs it.
  std::string trap(const std::string& name) const {
    return "touch " + (markers_ / name).string() + "; cat > " + (markers_ / (name + ".stdin")).string();
  }

  std::string tampering_commands() const {
    const std::string server = gitlab_.url();
    const std::string evil = gitlab_.repository_url("evil/project");
    std::string script = "set -e\necho 'changed by the agent' >> README.md\n";
    // Hooks in .git/hooks and in a folder core.hooksPath points to.
    for (const std::string& dir : std::vector<std::string>{".git/hooks", hooks_path_.string()}) {
      script += "mkdir -p " + dir + "\n";
      for (const auto& hook : kHooks) {
        script += "printf '#!/bin/sh\\n" + trap("hook-" + hook) + "\\nexit 0\\n' > " + dir + "/" + hook + "\n";
        script += "chmod +x " + dir + "/" + hook + "\n";
      }
    }
    script += "echo '* filter=trap diff=trap merge=trap' > .gitattributes\n";
    const std::vector<std::pair<std::string, std::string>> config = {
        {"remote.origin.url", evil},
        {"remote.origin.pushurl", evil},
        {"url." + server + "/evil/.insteadOf", server + "/group/"},
        {"url." + server + "/evil/.pushInsteadOf", server + "/group/"},
        {"credential.helper", "!" + trap("credential-helper") + " #"},
        {"credential." + server + ".helper", "!" + trap("credential-helper-url") + " #"},
        {"credential.username", "leaky"},
        {"http.proxy", "http://127.0.0.1:9"},
        {"https.proxy", "http://127.0.0.1:9"},
        {"http.extraHeader", "X-Agent: injected"},
        {"core.hooksPath", hooks_path_.string()},
        {"core.fsmonitor", trap("fsmonitor") + "; false"},
        {"core.sshCommand", trap("ssh-command")},
        {"core.askPass", trap("askpass")},
        {"core.editor", trap("editor")},
        {"core.pager", trap("pager")},
        {"filter.trap.clean", trap("filter-clean") + "; cat"},
        {"filter.trap.smudge", trap("filter-smudge") + "; cat"},
        {"filter.trap.process", trap("filter-process")},
        {"filter.trap.required", "true"},
        {"diff.external", trap("diff-external")},
        {"diff.trap.textconv", trap("textconv")},
        {"merge.trap.driver", trap("merge-driver")},
        {"gpg.program", trap("gpg")},
        {"commit.gpgSign", "true"},
        {"uploadpack.packObjectsHook", trap("pack-objects-hook")},
        {"protocol.allow", "always"},
        {"push.recurseSubmodules", "on-demand"},
    };
    for (const auto& [key, value] : config) {
      std::string quoted = value;
      for (std::size_t at = quoted.find('\''); at != std::string::npos; at = quoted.find('\'', at + 4)) {
        quoted.replace(at, 1, "'\\''");
      }
      script += "git config --add '" + key + "' '" + quoted + "'\n";
    }
    return script;
  }

  void expect_no_trap_sprung() {
    std::vector<std::string> sprung;
    for (const auto& entry : std::filesystem::directory_iterator(markers_)) sprung.push_back(entry.path().filename());
    EXPECT_TRUE(sprung.empty()) << "ran: " << ::testing::PrintToString(sprung);
  }

  std::filesystem::path markers_ = dir_.path() / "markers";
  std::filesystem::path hooks_path_ = dir_.path() / "agent-hooks";
};

TEST_P(TamperedCheckout, NothingTheAgentPutInDotGitRunsAndThePushGoesOnlyWhereIntended) {
  std::filesystem::create_directories(markers_);
  check_out(flow_yaml({"exec flowrun run agent", tampering_commands()}, {"GITLAB_TOKEN_AGENT"}), GetParam());
  auto result = run(job_environment());
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  json r = report();
  EXPECT_EQ(r["git"]["outcome"], "pushed") << r.dump(2);
  const std::string branch = "workloads/0a1b2c3d4e5";
  EXPECT_NE(server(repo_, {"show", branch + ":README.md"}).find("changed by the agent"), std::string::npos);
  EXPECT_EQ(server_branches(evil_repo_), "refs/heads/main\n");
  for (const auto& request : gitlab_.requests()) {
    EXPECT_EQ(request.path.find("/evil/"), std::string::npos) << request.path;
    EXPECT_EQ(request.header("x-agent"), "") << request.path;
  }
  expect_no_trap_sprung();
  expect_nowhere(result, {kAttackToken});
  // The run reported in the thread.
  EXPECT_FALSE(note_bodies().empty());
}

TEST_P(TamperedCheckout, AWorkTreeMovedOutOfTheCheckoutIsNotCommitted) {
  const auto outside = dir_.path() / "outside";
  write_text(outside / "secret.txt", "OUTSIDE-CONTENT-31337\n");
  write_text(outside / "README.md", "outside readme\n");
  check_out(flow_yaml({"exec flowrun run agent",
                       "echo 'changed by the agent' >> README.md\n"
                       "git config core.worktree " +
                           outside.string()},
                      {"GITLAB_TOKEN_AGENT"}),
            GetParam());
  auto result = run(job_environment());
  expect_nowhere(result, {"OUTSIDE-CONTENT-31337"});
  EXPECT_EQ(server(repo_, {"ls-tree", "-r", "--name-only", "workloads/0a1b2c3d4e5"}).find("secret.txt"),
            std::string::npos);
  json r = report();
  // The job's own change is not lost.
  EXPECT_TRUE(r["git"]["outcome"] == "pushed" || std::filesystem::exists(r["git"]["patch_file"].get<std::string>()))
      << r.dump(2);
  EXPECT_TRUE(r["report"].is_object());
}

TEST_P(TamperedCheckout, SymlinksOutOfTheRepositoryAreCommittedAsLinksNeverFollowedAndNotPushed) {
  const auto outside = dir_.path() / "outside";
  write_text(outside / "secret.txt", "OUTSIDE-CONTENT-4242\n");
  write_text(outside / "nested/deeper.txt", "OUTSIDE-NESTED-CONTENT-4343\n");
  check_out(flow_yaml({"exec flowrun run agent", "ln -s " + (outside / "secret.txt").string() +
                                                     " link-to-file\n"
                                                     "ln -s ../outside/secret.txt relative-link\n"
                                                     "ln -s " +
                                                     outside.string() +
                                                     " link-to-dir\n"
                                                     "mkdir -p docs && ln -s ../../outside/nested docs/link-to-nested\n"
                                                     "echo 'changed by the agent' >> README.md"},
                      {"GITLAB_TOKEN_AGENT"}),
            GetParam());
  auto result = run(job_environment());
  // Links that leave the work tree are refused by the checks before pushing: the commit stays local.
  ASSERT_EQ(result.exit_code, 10) << result.out << result.err;
  const json r = report();
  EXPECT_EQ(r["git"]["outcome"], "refused") << r.dump(2);
  EXPECT_EQ(r["git"]["refusals"].size(), 4u) << r.dump(2);
  EXPECT_NE(git({"--git-dir", repo_.string(), "rev-parse", "--verify", "--quiet", "refs/heads/workloads/0a1b2c3d4e5"},
                dir_.path())
                .exit_code,
            0);
  const std::string branch = r["git"]["commit"].get<std::string>();
  const std::string tree = git({"ls-tree", "-r", branch}, workdir_).out;
  for (const std::string link : {"link-to-file", "relative-link", "link-to-dir", "docs/link-to-nested"}) {
    EXPECT_NE(tree.find("120000 blob"), std::string::npos) << tree;
    auto line_at = tree.find("\t" + link + "\n");
    ASSERT_NE(line_at, std::string::npos) << link << " not committed:\n" << tree;
    EXPECT_EQ(tree.rfind("120000 blob", line_at), tree.rfind('\n', line_at) + 1) << link << " is not a link:\n" << tree;
  }
  EXPECT_EQ(git({"show", branch + ":link-to-file"}, workdir_).out, (outside / "secret.txt").string());
  EXPECT_EQ(tree.find("deeper.txt"), std::string::npos) << tree;
  expect_nowhere(result, {"OUTSIDE-CONTENT-4242", "OUTSIDE-NESTED-CONTENT-4343"});
}

INSTANTIATE_TEST_SUITE_P(CloneDepth, TamperedCheckout, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Shallow" : "Full"; });

}  // namespace
}  // namespace flowrun::testing
