// SPDX-License-Identifier: GPL-2.0
#include "verdict.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace solcompat::vmrun {
namespace {

const std::string release = "6.1.0-56-amd64";

VmOutcome powered_off() {
  VmOutcome o;
  o.started = true;
  o.exit_code = 0;
  o.seconds = 8;
  return o;
}

struct Summary {
  int passed = 0, failed = 0, skipped = 0;
};

Summary count(const std::vector<TestCase> &cases) {
  Summary s;
  for (const TestCase &c : cases)
    (c.status == Status::passed ? s.passed : c.status == Status::failed ? s.failed : s.skipped)++;
  return s;
}

const TestCase &get(const std::vector<TestCase> &cases, const std::string &name) {
  for (const TestCase &c : cases)
    if (c.name == name)
      return c;
  throw std::runtime_error("no case " + name);
}

std::vector<std::string> names(const std::vector<TestCase> &cases) {
  std::vector<std::string> out;
  for (const TestCase &c : cases)
    out.push_back(c.name);
  return out;
}

const std::vector<std::string> boot_lines = {
    "SeaBIOS (version 1.16.2-debian-1.16.2-1)",
    "[    0.000000] Linux version 6.1.0-56-amd64",
    "[    3.000000] Run /init as init process",
    "[    3.500000] SOLCOMPAT-VM: boot ok 6.1.0-56-amd64",
};

std::vector<std::string> with_boot(std::vector<std::string> rest) {
  std::vector<std::string> lines = boot_lines;
  lines.insert(lines.end(), rest.begin(), rest.end());
  return lines;
}

TEST(Verdict, CleanRunWithModuleRunAndKtap) {
  const RunPlan plan{.release = release, .modules = {"t.ko"}, .runs = {"echo hi"}};
  const auto cases = judge(plan,
                           with_boot({
                               "[    3.600000] KTAP version 1",
                               "[    3.600001] 1..2",
                               "[    3.600002] ok 1 a",
                               "[    3.600003] ok 2 b # SKIP no NMI",
                               "[    3.700000] SOLCOMPAT-VM: insmod t.ko rc=0",
                               "hi",
                               "[    3.900000] SOLCOMPAT-VM: run 1 rc=0",
                               "[    4.000000] SOLCOMPAT-VM: rmmod t.ko rc=0",
                               "[    4.100000] SOLCOMPAT-VM: done",
                               "[    4.200000] reboot: Power down",
                           }),
                           powered_off());
  EXPECT_EQ(names(cases), (std::vector<std::string>{"boot", "insmod t.ko", "run 1", "rmmod t.ko",
                                                    "shutdown", "clean-log", "a", "b"}));
  const Summary s = count(cases);
  EXPECT_EQ(s.passed, 7);
  EXPECT_EQ(s.failed, 0);
  EXPECT_EQ(s.skipped, 1);
  EXPECT_NEAR(*get(cases, "boot").seconds, 3.5, 1e-9);
  EXPECT_NEAR(*get(cases, "insmod t.ko").seconds, 0.2, 1e-9);
  EXPECT_NEAR(*get(cases, "run 1").seconds, 0.2, 1e-9);
}

TEST(Verdict, ModulesButNoKtapStillPassOnTheRigCases) {
  const RunPlan plan{.release = release, .modules = {"t.ko"}};
  const auto cases =
      judge(plan,
            with_boot({"[    3.7] SOLCOMPAT-VM: insmod t.ko rc=0",
                       "[    4.0] SOLCOMPAT-VM: rmmod t.ko rc=0", "[    4.1] SOLCOMPAT-VM: done"}),
            powered_off());
  const Summary s = count(cases);
  EXPECT_EQ(s.passed, 5); // boot, insmod, rmmod, shutdown, clean-log
  EXPECT_EQ(s.failed, 0);
}

TEST(Verdict, InsmodFailureQuotesTheModuleLinesAndSkipsTheRest) {
  const RunPlan plan{
      .release = release, .modules = {"a.ko", "solcompat-test.ko", "c.ko"}, .runs = {"true"}};
  const auto cases =
      judge(plan,
            with_boot({
                "[    3.6] SOLCOMPAT-VM: insmod a.ko rc=0",
                "[    3.7] random: crng init done",
                "[    3.8] solcompat_test: Unknown symbol spl_panic (err -2)",
                "insmod: can't insert '/modules/solcompat-test.ko': unknown symbol in module",
                "[    3.9] SOLCOMPAT-VM: insmod solcompat-test.ko rc=1",
                "[    4.0] SOLCOMPAT-VM: rmmod a.ko rc=0",
                "[    4.1] SOLCOMPAT-VM: done",
            }),
            powered_off());
  const TestCase &failed = get(cases, "insmod solcompat-test.ko");
  EXPECT_EQ(failed.status, Status::failed);
  EXPECT_EQ(failed.message, "insmod solcompat-test.ko failed (rc=1): solcompat_test: Unknown "
                            "symbol spl_panic (err -2)");
  EXPECT_EQ(failed.details,
            "[    3.8] solcompat_test: Unknown symbol spl_panic (err -2)\n"
            "insmod: can't insert '/modules/solcompat-test.ko': unknown symbol in module");
  EXPECT_EQ(get(cases, "insmod c.ko").status, Status::skipped);
  EXPECT_EQ(get(cases, "insmod c.ko").message, "not run: insmod solcompat-test.ko failed");
  EXPECT_EQ(get(cases, "run 1").status, Status::skipped);
  EXPECT_EQ(get(cases, "rmmod c.ko").message, "not loaded");
  EXPECT_EQ(get(cases, "rmmod solcompat-test.ko").status, Status::skipped);
  EXPECT_EQ(get(cases, "rmmod a.ko").status, Status::passed);
  EXPECT_EQ(get(cases, "shutdown").status, Status::passed);
  EXPECT_EQ(count(cases).failed, 1);
}

TEST(Verdict, InsmodFailureWithoutMentionsQuotesTheLastLines) {
  const RunPlan plan{.release = release, .modules = {"x.ko"}};
  const auto cases = judge(
      plan,
      with_boot({"[    3.8] Out of memory: Killed process 94 (insmod)",
                 "[    3.9] SOLCOMPAT-VM: insmod x.ko rc=137", "[    4.1] SOLCOMPAT-VM: done"}),
      powered_off());
  const TestCase &c = get(cases, "insmod x.ko");
  EXPECT_EQ(c.details, "SeaBIOS (version 1.16.2-debian-1.16.2-1)\n"
                       "[    0.000000] Linux version 6.1.0-56-amd64\n"
                       "[    3.000000] Run /init as init process\n"
                       "[    3.500000] SOLCOMPAT-VM: boot ok 6.1.0-56-amd64\n"
                       "[    3.8] Out of memory: Killed process 94 (insmod)");
  EXPECT_EQ(c.message, "insmod x.ko failed (rc=137): Out of memory: Killed process 94 (insmod)");
}

TEST(Verdict, RunFailureNamesTheRunAndQuotesItsOutput) {
  const RunPlan plan{.release = release, .runs = {"true", "cat /nope"}};
  const auto cases =
      judge(plan,
            with_boot({"[    3.6] SOLCOMPAT-VM: run 1 rc=0",
                       "cat: can't open '/nope': No such file or directory",
                       "[    3.7] SOLCOMPAT-VM: run 2 rc=1", "[    3.8] SOLCOMPAT-VM: done"}),
            powered_off());
  const TestCase &c = get(cases, "run 2");
  EXPECT_EQ(c.status, Status::failed);
  EXPECT_EQ(c.message, "run 2 failed (rc=1): cat /nope");
  EXPECT_EQ(c.details, "cat: can't open '/nope': No such file or directory");
  EXPECT_EQ(count(cases).failed, 1);
}

TEST(Verdict, RmmodFailure) {
  const RunPlan plan{.release = release, .modules = {"busy.ko"}};
  const auto cases = judge(
      plan,
      with_boot({"[    3.6] SOLCOMPAT-VM: insmod busy.ko rc=0",
                 "rmmod: can't unload module 'busy': Resource busy",
                 "[    3.7] SOLCOMPAT-VM: rmmod busy.ko rc=1", "[    3.8] SOLCOMPAT-VM: done"}),
      powered_off());
  EXPECT_EQ(get(cases, "rmmod busy.ko").message,
            "rmmod busy.ko failed (rc=1): rmmod: can't unload module 'busy': Resource busy");
}

TEST(Verdict, KernelThatDoesNotBoot) {
  const RunPlan plan{.release = release, .modules = {"t.ko"}, .runs = {"true"}};
  const auto cases = judge(plan,
                           {"[    1.0] Kernel panic - not syncing: VFS: Unable to mount root fs",
                            "[    1.1] ---[ end Kernel panic ]---"},
                           powered_off());
  const TestCase &boot = get(cases, "boot");
  EXPECT_EQ(boot.status, Status::failed);
  EXPECT_EQ(boot.message, "kernel did not boot (no 'SOLCOMPAT-VM: boot ok' on the console): the "
                          "kernel crashed: Kernel panic - not syncing: VFS: Unable to mount root "
                          "fs");
  EXPECT_NE(boot.details.find("end Kernel panic"), std::string::npos);
  EXPECT_EQ(get(cases, "insmod t.ko").status, Status::skipped);
  EXPECT_EQ(get(cases, "insmod t.ko").message, "not reached: the guest stopped at boot");
  EXPECT_EQ(get(cases, "run 1").status, Status::skipped);
  EXPECT_EQ(get(cases, "shutdown").status, Status::failed);
  EXPECT_EQ(get(cases, "clean-log").status, Status::failed);
}

TEST(Verdict, WrongKernelRelease) {
  const RunPlan plan{.release = "6.12.117+deb12-amd64"};
  const auto cases = judge(plan, with_boot({"[    3.8] SOLCOMPAT-VM: done"}), powered_off());
  EXPECT_EQ(get(cases, "boot").message, "booted kernel reports release '6.1.0-56-amd64', not "
                                        "--release 6.12.117+deb12-amd64 (wrong --kernel?)");
  EXPECT_EQ(count(cases).failed, 1);
}

TEST(Verdict, TimeoutFailsTheStepThatHungAndQuotesTheEnd) {
  const RunPlan plan{.release = release, .runs = {"true", "sleep 1000", "true"}, .timeout_s = 30};
  VmOutcome outcome = powered_off();
  outcome.timed_out = true;
  outcome.exit_code = -1;
  outcome.term_signal = 15;
  const auto cases =
      judge(plan, with_boot({"[    3.6] SOLCOMPAT-VM: run 1 rc=0", "started"}), outcome);
  EXPECT_EQ(get(cases, "run 1").status, Status::passed);
  const TestCase &hung = get(cases, "run 2");
  EXPECT_EQ(hung.status, Status::failed);
  EXPECT_EQ(hung.message, "run 2: no result, timeout after 30 s");
  EXPECT_TRUE(hung.details.ends_with("SOLCOMPAT-VM: run 1 rc=0\nstarted")) << hung.details;
  EXPECT_EQ(get(cases, "run 3").status, Status::skipped);
  EXPECT_EQ(get(cases, "run 3").message, "not reached: the guest stopped at run 2");
  EXPECT_EQ(get(cases, "shutdown").message,
            "shutdown: the guest did not finish (no 'SOLCOMPAT-VM: done'): timeout after 30 s");
  EXPECT_EQ(get(cases, "clean-log").status, Status::passed);
}

TEST(Verdict, FinishedButDidNotPowerOff) {
  VmOutcome outcome = powered_off();
  outcome.timed_out = true;
  const auto cases = judge({.release = release, .timeout_s = 30},
                           with_boot({"[    3.8] SOLCOMPAT-VM: done"}), outcome);
  EXPECT_EQ(get(cases, "shutdown").message,
            "shutdown: the guest finished but did not power off: timeout after 30 s");
}

TEST(Verdict, QemuErrorAfterDone) {
  VmOutcome outcome = powered_off();
  outcome.exit_code = 1;
  outcome.qemu_stderr = "qemu-system-x86_64: something broke\nmore\n";
  const auto cases =
      judge({.release = release}, with_boot({"[    3.8] SOLCOMPAT-VM: done"}), outcome);
  EXPECT_EQ(get(cases, "shutdown").message,
            "shutdown: QEMU exited with status 1: qemu-system-x86_64: something broke");
}

TEST(Verdict, QemuThatFailsBeforeTheKernel) {
  VmOutcome outcome = powered_off();
  outcome.exit_code = 1;
  outcome.qemu_stderr = "qemu-system-x86_64: -accel kvm: failed to initialize kvm\n";
  const auto cases = judge({.release = release}, {}, outcome);
  EXPECT_EQ(get(cases, "boot").message,
            "kernel did not boot (no 'SOLCOMPAT-VM: boot ok' on the console): QEMU exited with "
            "status 1: qemu-system-x86_64: -accel kvm: failed to initialize kvm");
  EXPECT_EQ(get(cases, "boot").details,
            "QEMU stderr:\nqemu-system-x86_64: -accel kvm: failed to initialize kvm");
}

TEST(Verdict, QemuAbortMidBootQuotesItsStderrAndTheConsole) {
  VmOutcome outcome = powered_off();
  outcome.exit_code = -1;
  outcome.term_signal = 6;
  outcome.qemu_stderr = "qemu-system-x86_64: error: failed to set MSR 0x10a\n";
  const auto cases =
      judge({.release = release}, {"[    0.0] Linux version 6.1.0-56-amd64"}, outcome);
  EXPECT_EQ(get(cases, "boot").message,
            "kernel did not boot (no 'SOLCOMPAT-VM: boot ok' on the console): QEMU was killed by "
            "signal 6: qemu-system-x86_64: error: failed to set MSR 0x10a");
  EXPECT_EQ(get(cases, "boot").details,
            "QEMU stderr:\nqemu-system-x86_64: error: failed to set MSR 0x10a\n--- console:\n"
            "[    0.0] Linux version 6.1.0-56-amd64");
}

TEST(Verdict, KtapFailuresAndPlanMismatchCount) {
  const RunPlan plan{.release = release, .modules = {"t.ko"}};
  const auto cases = judge(plan,
                           with_boot({
                               "[    3.6] KTAP version 1",
                               "[    3.6] 1..3",
                               "[    3.6] # t.c:1: check failed: 1 == 2",
                               "[    3.6] not ok 1 a",
                               "[    3.6] ok 2 b",
                               "[    3.7] SOLCOMPAT-VM: insmod t.ko rc=0",
                               "[    4.0] SOLCOMPAT-VM: rmmod t.ko rc=0",
                               "[    4.1] SOLCOMPAT-VM: done",
                           }),
                           powered_off());
  EXPECT_EQ(get(cases, "a").message, "KTAP a: not ok: # t.c:1: check failed: 1 == 2");
  EXPECT_EQ(get(cases, "ktap.plan").status, Status::failed);
  EXPECT_EQ(count(cases).failed, 2);
}

TEST(Verdict, StepLinesOutOfOrderDoNotConfuseTheQuotes) {
  // A command that prints a step line of its own: the first line for a step counts.
  const RunPlan plan{.release = release, .modules = {"t.ko"}, .runs = {"echo ..."}};
  const auto cases =
      judge(plan,
            with_boot({"SOLCOMPAT-VM: rmmod t.ko rc=1", "[    3.7] SOLCOMPAT-VM: insmod t.ko rc=0",
                       "[    3.8] SOLCOMPAT-VM: run 1 rc=0",
                       "[    3.9] SOLCOMPAT-VM: rmmod t.ko rc=0", "[    4.1] SOLCOMPAT-VM: done"}),
            powered_off());
  EXPECT_EQ(get(cases, "rmmod t.ko").status, Status::failed);
  EXPECT_EQ(get(cases, "rmmod t.ko").message,
            "rmmod t.ko failed (rc=1): SOLCOMPAT-VM: boot ok 6.1.0-56-amd64");
}

TEST(Verdict, OopsFailsTheRunEvenWhenEveryStepPassed) {
  const auto cases = judge(
      {.release = release},
      with_boot({"[    3.6] BUG: kernel NULL pointer dereference", "[    3.8] SOLCOMPAT-VM: done"}),
      powered_off());
  EXPECT_EQ(count(cases).failed, 1);
  EXPECT_EQ(get(cases, "clean-log").status, Status::failed);
}

// What reboot_reason sees, from the CI boot that lost kernel.6.12.fbt-many to QEMU.
const std::string cmpxchg16b_code =
    "[    0.879828] Code: 9c 24 b8 00 00 00 49 8b 34 24 48 01 f8 48 33 18 48 89 c1 48 89 f8 48 "
    "0f c9 48 31 cb 48 8d 8a 00 20 00 00 65 48 0f c7 0e 75 90 <41> 8b 44 24 28 0f 0d 0c 03 48 "
    "89 7c 24 10 0f 1f 44 00 00 48 85 ff";

std::vector<std::string> oops(const std::string &rip, const std::string &code) {
  return {"[    0.879828] Oops: double fault: 0000 [#1] PREEMPT SMP NOPTI",
          "[    0.879828] RIP: 0010:" + rip, code,
          "[    0.879828] Kernel panic - not syncing: Fatal exception in interrupt"};
}

TEST(RebootReason, KernelThatEndedBeforeInit) {
  EXPECT_NE(
      reboot_reason(oops("kmem_cache_alloc_node_noprof+0xe0/0x330", cmpxchg16b_code), powered_off())
          .find("cmpxchg16b at kmem_cache_alloc_node_noprof+0xe0/0x330"),
      std::string::npos);
  EXPECT_EQ(reboot_reason({"[    0.5] Kernel panic - not syncing: VFS: Unable to mount root fs"},
                          powered_off()),
            "the kernel ended before /init ran (nothing under test had run)");
}

TEST(RebootReason, Cmpxchg16bFaultAfterBoot) {
  auto lines = with_boot({});
  for (const std::string &l : oops("kmem_cache_alloc_noprof+0xe0/0x330", cmpxchg16b_code))
    lines.push_back(l);
  EXPECT_EQ(reboot_reason(lines, powered_off()),
            "the kernel faulted right after a cmpxchg16b at "
            "kmem_cache_alloc_noprof+0xe0/0x330 (QEMU's TCG fault; nothing under test uses "
            "cmpxchg16b)");
}

TEST(RebootReason, NotForOtherFailures) {
  auto with = [](std::vector<std::string> extra) {
    auto lines = with_boot({});
    lines.insert(lines.end(), extra.begin(), extra.end());
    return lines;
  };
  // A clean run, a module's fault, a fault after other code, a hang.
  EXPECT_EQ(reboot_reason(with({"[    4.1] SOLCOMPAT-VM: done"}), powered_off()), "");
  EXPECT_EQ(
      reboot_reason(with(oops("solcompat_mutex_enter+0x10/0x80 [solcompat]", cmpxchg16b_code)),
                    powered_off()),
      "");
  EXPECT_EQ(reboot_reason(with(oops("kfree+0x10/0x80",
                                    "[    3.9] Code: 48 89 c7 e8 00 00 00 00 0f 0b <48> 8b 45")),
                          powered_off()),
            "");
  VmOutcome hung = powered_off();
  hung.timed_out = true;
  EXPECT_EQ(reboot_reason({"[    0.5] still booting"}, hung), "");
}

} // namespace
} // namespace solcompat::vmrun
