// flowrun started through a launcher that stays its parent and drops signals (npx: npm exits on SIGTERM without
// passing it on) still winds the run down when that parent goes: the npm package's launcher sets
// FLOWRUN_STOP_WITH_PARENT, and the parent's exit reaches flowrun as a cancellation.
#include <signal.h>

#include "attack_fixture.h"
#include "support/background_process.h"

namespace flowrun::testing {
namespace {

using nlohmann::json;

class StopWithParent : public AttackJob {
 protected:
  // A stand-in for npx: a shell that starts flowrun as its child, as the npm launcher would name itself, and waits.
  std::unique_ptr<BackgroundProcess> start_under_parent() {
    return std::make_unique<BackgroundProcess>(
        std::vector<std::string>{"sh", "-c", "echo \"parent $$\"; FLOWRUN_STOP_WITH_PARENT=$$ \"$0\" run agent & wait",
                                 FLOWRUN_BINARY},
        job_environment(), workdir_);
  }

  static pid_t parent_pid(BackgroundProcess& process) {
    auto line = process.wait_for_line("parent ", std::chrono::seconds(30));
    return line ? static_cast<pid_t>(std::stol(line->substr(7))) : 0;
  }
};

TEST_F(StopWithParent, TheParentsExitCancelsTheRunWhichStillReports) {
  check_out(flow_yaml({"exec flowrun run agent", "echo 'changed by the agent' >> README.md", "echo started; sleep 120"},
                      {"GITLAB_TOKEN_AGENT"}));
  auto process = start_under_parent();
  const pid_t parent = parent_pid(*process);
  ASSERT_GT(parent, 1) << process->stdout_text() << process->stderr_text();
  ASSERT_TRUE(process->wait_for_line("started", std::chrono::seconds(60)).has_value())
      << process->stdout_text() << process->stderr_text();
  ASSERT_EQ(::kill(parent, SIGTERM), 0);  // the parent alone, as when npm is told to stop
  // Without the parent's exit reaching flowrun, the command would go on for two minutes.
  ASSERT_TRUE(process->wait_for_line("flowrun: done: cancelled", std::chrono::seconds(60)).has_value())
      << process->stdout_text() << process->stderr_text();
  json r = report();
  EXPECT_EQ(r["outcome"], "cancelled") << r.dump(2);
  EXPECT_EQ(r["exit_code"], 6);
  EXPECT_FALSE(note_bodies().empty()) << "no note posted";
  EXPECT_NE(note_bodies().back().find("ancel"), std::string::npos) << note_bodies().back();
}

TEST_F(StopWithParent, TheCommandsNeverSeeTheVariable) {
  check_out(flow_yaml({"exec flowrun run agent", "echo \"seen: ${FLOWRUN_STOP_WITH_PARENT:-none}\""},
                      {"GITLAB_TOKEN_AGENT"}));
  auto process = start_under_parent();
  ASSERT_TRUE(process->wait_for_line("flowrun: done: ", std::chrono::seconds(60)).has_value())
      << process->stdout_text() << process->stderr_text();
  EXPECT_NE(process->stdout_text().find("\nseen: none\n"), std::string::npos) << process->stdout_text();
  EXPECT_EQ(report()["exit_code"], 0);
}

}  // namespace
}  // namespace flowrun::testing
