#include "flowrun/exec/session_processes.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>

namespace flowrun::exec {
namespace {

TEST(ProcStat, ParsesTheFieldsAfterAnAwkwardCommandName) {
  const auto entry = parse_proc_stat(
      "4242 (we ird) (name) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 12345 67 "
      "18446744073709551615\n");
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->pid, 4242);
  EXPECT_EQ(entry->state, 'S');
  EXPECT_EQ(entry->parent, 17);
  EXPECT_EQ(entry->group, 4242);
  EXPECT_EQ(entry->start_time, 987654U);
  EXPECT_FALSE(entry->dead());
}

TEST(ProcStat, RecognisesZombiesAndRejectsGarbage) {
  const auto zombie = parse_proc_stat("7 (sh) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0\n");
  ASSERT_TRUE(zombie);
  EXPECT_TRUE(zombie->dead());
  EXPECT_FALSE(parse_proc_stat(""));
  EXPECT_FALSE(parse_proc_stat("7 (sh) S 1 7"));
  EXPECT_FALSE(parse_proc_stat("x (sh) S 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0"));
}

TEST(ProcessTable, ContainsThisProcess) {
  const auto table = read_process_table();
  const auto self =
      std::find_if(table.begin(), table.end(), [](const ProcessEntry& entry) { return entry.pid == ::getpid(); });
  ASSERT_NE(self, table.end());
  EXPECT_EQ(self->parent, ::getppid());
  EXPECT_EQ(self->group, ::getpgrp());
}

}  // namespace
}  // namespace flowrun::exec
