// SPDX-License-Identifier: GPL-2.0
#include "logscan.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace solcompat::vmrun {
namespace {

const std::vector<std::string> clean_boot = {
    "SeaBIOS (version 1.16.2-debian-1.16.2-1)",
    "[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)",
    "[    0.000000] Command line: console=ttyS0 panic_on_warn=1 softlockup_panic=1 oops=panic "
    "panic=-1 loglevel=7 printk.time=1 printk.devkmsg=on",
    "[    0.120000] rcu: Hierarchical RCU implementation.",
    "[    3.300000] Run /init as init process",
    "[    3.500000] SOLCOMPAT-VM: boot ok 6.1.0-56-amd64",
    "[    3.600000] SOLCOMPAT-VM: done",
    "[    3.700000] reboot: Power down",
};

TEST(LogScan, CleanLogPasses) {
  EXPECT_TRUE(scan_for_failures(clean_boot).empty());
  const TestCase c = check_clean_log(clean_boot);
  EXPECT_EQ(c.name, "clean-log");
  EXPECT_EQ(c.status, Status::passed);
}

TEST(LogScan, EachPatternIsDetectedAndQuoted) {
  const std::vector<std::string> samples = {
      "[    5.1] BUG: kernel NULL pointer dereference, address: 0000000000000008",
      "[    5.1] WARNING: CPU: 1 PID: 94 at lib/x.c:3 f+0x5/0x10",
      "[    5.1] Oops: 0002 [#1] PREEMPT SMP NOPTI",
      "[    5.1] Call Trace:",
      "[    5.1] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [insmod:94]",
      "[    5.1] watchdog: Watchdog detected hard LOCKUP on cpu 1",
      "[    5.1] Kernel panic - not syncing: Fatal exception",
      "[    5.1] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
      "[    5.1] general protection fault, probably for non-canonical address 0xdead",
      "[    5.1] kernel BUG at mm/slub.c:435!",
      "[    5.1] UBSAN: shift-out-of-bounds in lib/x.c:12:5",
      "[    5.1] list_add corruption. prev->next should be next (ffff), but was 0000.",
      "[    5.1] list_del corruption, ffff->next is LIST_POISON1 (dead000000000100)",
  };
  ASSERT_EQ(samples.size(), failure_patterns().size());
  for (const std::string &sample : samples) {
    std::vector<std::string> lines = clean_boot;
    lines.insert(lines.begin() + 4, sample);
    lines.insert(lines.begin() + 5, "[    5.2] context line after the hit");
    const auto hits = scan_for_failures(lines);
    ASSERT_EQ(hits.size(), 1u) << sample;
    EXPECT_EQ(hits[0].line, 4u);
    const TestCase c = check_clean_log(lines);
    EXPECT_EQ(c.status, Status::failed) << sample;
    EXPECT_NE(c.message.find("first at line 5"), std::string::npos) << c.message;
    EXPECT_NE(c.message.find(sample.substr(10)), std::string::npos) << c.message;
    EXPECT_EQ(c.details.find(sample), 0u) << c.details;
    EXPECT_NE(c.details.find("context line after the hit"), std::string::npos);
  }
}

TEST(LogScan, PatternsAreCaseSensitive) {
  // "oops=panic" on the kernel command line must not count as an oops.
  EXPECT_TRUE(scan_for_failures({"warning: something", "oops=panic", "call trace"}).empty());
}

TEST(LogScan, QuotesTwentyLinesOfContextThenListsFurtherHits) {
  std::vector<std::string> lines = {"[    1.0] BUG: unable to handle page fault"};
  for (int i = 0; i < 30; ++i)
    lines.push_back("frame " + std::to_string(i));
  lines.push_back("[    2.0] Kernel panic - not syncing: Fatal exception");
  const TestCase c = check_clean_log(lines);
  EXPECT_NE(c.details.find("frame 19"), std::string::npos);
  EXPECT_EQ(c.details.find("frame 20"), std::string::npos);
  EXPECT_NE(c.details.find("further lines with failure patterns:\n[    2.0] Kernel panic"),
            std::string::npos)
      << c.details;
  EXPECT_NE(c.message.find("2 lines with failure patterns"), std::string::npos) << c.message;
}

} // namespace
} // namespace solcompat::vmrun
