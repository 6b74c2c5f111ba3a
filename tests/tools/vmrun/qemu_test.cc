// SPDX-License-Identifier: GPL-2.0
#include "qemu.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <fstream>

namespace solcompat::vmrun {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

TEST(Qemu, KernelCommandLine) {
  EXPECT_EQ(kernel_cmdline(""), "console=ttyS0 panic_on_warn=1 softlockup_panic=1 oops=panic "
                                "panic=-1 loglevel=7 printk.time=1 printk.devkmsg=on");
  EXPECT_TRUE(kernel_cmdline("quiet nosmp").ends_with("printk.devkmsg=on quiet nosmp"));
  EXPECT_EQ(kernel_cmdline("").find("nokaslr"), std::string::npos);
}

TEST(Qemu, CommandLine) {
  const VmConfig config{.kernel = "/k/vmlinuz",
                        .initrd = "/w/initramfs.cpio",
                        .cpus = 3,
                        .memory_mib = 768,
                        .cmdline = "console=ttyS0 x"};
  EXPECT_EQ(
      qemu_command(config),
      (std::vector<std::string>{"qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-smp", "3",
                                "-m", "768", "-nographic", "-no-reboot", "-kernel", "/k/vmlinuz",
                                "-initrd", "/w/initramfs.cpio", "-append", "console=ttyS0 x"}));
  const VmConfig kvm{.accel = "kvm"};
  const auto args = qemu_command(kvm);
  EXPECT_NE(
      std::ranges::search(args, std::vector<std::string>{"-accel", "kvm", "-cpu", "host"}).begin(),
      args.end());
  // Instruction counting: the single-threaded translator plus -icount, and the TCG CPU model.
  const VmConfig icount{.accel = "tcg-icount"};
  const auto counted = qemu_command(icount);
  EXPECT_NE(std::ranges::search(counted,
                                std::vector<std::string>{"-accel", "tcg,thread=single", "-icount",
                                                         "shift=0,sleep=off", "-cpu", "max"})
                .begin(),
            counted.end());
}

// Stands in for QEMU: a shell script that ignores its arguments.
class FakeQemu : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vmrun-qemu-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  VmConfig fake(const std::string &script, milliseconds timeout = milliseconds(10'000)) {
    const fs::path path = dir_ / "fake-qemu";
    std::ofstream(path) << "#!/bin/sh\n" << script << "\n";
    fs::permissions(path, fs::perms::owner_all);
    return {.qemu = path.string(), .timeout = timeout, .kill_grace = milliseconds(300)};
  }

  fs::path dir_;
};

TEST_F(FakeQemu, CapturesConsoleAndStderrSeparately) {
  std::string streamed;
  const VmOutcome o = run_vm(fake("echo 'line 1'; echo 'qemu: warning' >&2; printf 'line 2\\r\\n'"),
                             [&](std::string_view data) { streamed += data; });
  EXPECT_TRUE(o.started);
  EXPECT_FALSE(o.timed_out);
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.console, "line 1\nline 2\r\n");
  EXPECT_EQ(streamed, o.console);
  EXPECT_EQ(o.qemu_stderr, "qemu: warning\n");
  EXPECT_GT(o.seconds, 0);
}

TEST_F(FakeQemu, ReportsTheExitStatus) {
  const VmOutcome o = run_vm(fake("exit 3"), [](std::string_view) {});
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_FALSE(o.timed_out);
}

TEST_F(FakeQemu, TimeoutTerminatesAndKeepsWhatWasPrinted) {
  const auto start = std::chrono::steady_clock::now();
  const VmOutcome o =
      run_vm(fake("echo booting; exec sleep 60", milliseconds(300)), [](std::string_view) {});
  EXPECT_TRUE(o.timed_out);
  EXPECT_EQ(o.term_signal, SIGTERM);
  EXPECT_EQ(o.exit_code, -1);
  EXPECT_EQ(o.console, "booting\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(5'000));
}

TEST_F(FakeQemu, TimeoutKillsWhatIgnoresSigterm) {
  const VmOutcome o =
      run_vm(fake("trap '' TERM; echo stubborn; while :; do sleep 0.05; done", milliseconds(300)),
             [](std::string_view) {});
  EXPECT_TRUE(o.timed_out);
  EXPECT_EQ(o.term_signal, SIGKILL);
  EXPECT_EQ(o.console, "stubborn\n");
}

TEST_F(FakeQemu, MissingProgramIsReportedNotRun) {
  VmConfig config = fake("exit 0");
  config.qemu = (dir_ / "no-such-qemu").string();
  const VmOutcome o = run_vm(config, [](std::string_view) {});
  EXPECT_FALSE(o.started);
  EXPECT_NE(o.start_error.find("No such file or directory"), std::string::npos) << o.start_error;
  EXPECT_NE(o.start_error.find("no-such-qemu"), std::string::npos) << o.start_error;
}

} // namespace
} // namespace solcompat::vmrun
