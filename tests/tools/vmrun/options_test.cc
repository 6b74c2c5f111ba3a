// SPDX-License-Identifier: GPL-2.0
#include "options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace solcompat::vmrun {
namespace {

Options parse(std::vector<std::string_view> args) { return parse_options(args); }

std::string error_of(std::vector<std::string_view> args) {
  try {
    parse_options(args);
  } catch (const UsageError &e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Options, ModuleParameters) {
  const Options o = parse({"--kernel", "/k", "--release", "r", "--module", "/m/a.ko", "--params",
                           "a.ko=hotplug=1 n=2"});
  ASSERT_EQ(o.module_params.size(), 1u);
  EXPECT_EQ(o.module_params.at("a.ko"), "hotplug=1 n=2");
  EXPECT_NE(error_of({"--kernel", "/k", "--release", "r", "--params", "b.ko=x=1"})
                .find("no --module named b.ko"),
            std::string::npos);
  EXPECT_NE(error_of({"--kernel", "/k", "--release", "r", "--module", "a.ko", "--params",
                      "a.ko=x=$(reboot)"})
                .find("parameters may hold"),
            std::string::npos);
  EXPECT_NE(error_of({"--kernel", "/k", "--release", "r", "--module", "a.ko", "--params", "a.ko"})
                .find("NAME.ko=ARGS"),
            std::string::npos);
}

TEST(Options, MinimalCommandLineGetsTheDefaults) {
  const Options o = parse({"--kernel", "/k/vmlinuz", "--release", "6.1.0-56-amd64"});
  EXPECT_EQ(o.kernel, "/k/vmlinuz");
  EXPECT_EQ(o.release, "6.1.0-56-amd64");
  EXPECT_EQ(o.cpus, 2);
  EXPECT_EQ(o.memory_mib, 512);
  EXPECT_EQ(o.timeout_s, 180);
  EXPECT_EQ(o.accel, "tcg");
  EXPECT_EQ(o.busybox, "/bin/busybox");
  EXPECT_EQ(o.workdir, "vm-6.1.0-56-amd64");
  EXPECT_EQ(o.log, "vm-6.1.0-56-amd64/serial-6.1.0-56-amd64.log");
  EXPECT_TRUE(o.junit.empty());
  EXPECT_FALSE(o.console);
}

TEST(Options, EveryOption) {
  const Options o = parse({"--kernel=/k",   "--release",     "r",
                           "--module",      "/m/a.ko",       "--module",
                           "b-c.ko",        "--run",         "echo a=b",
                           "--run=false",   "--cpus",        "4",
                           "--memory",      "1024",          "--timeout=30",
                           "--log",         "/l/serial.log", "--junit",
                           "/j/r.xml",      "--workdir",     "/w",
                           "--busybox",     "/bb",           "--append",
                           "quiet",         "--console",     "--file",
                           "/h/x:y:/opt/z", "--accel",       "auto"});
  EXPECT_EQ(o.modules, (std::vector<std::filesystem::path>{"/m/a.ko", "b-c.ko"}));
  EXPECT_EQ(o.runs, (std::vector<std::string>{"echo a=b", "false"}));
  EXPECT_EQ(o.cpus, 4);
  EXPECT_EQ(o.memory_mib, 1024);
  EXPECT_EQ(o.timeout_s, 30);
  EXPECT_EQ(o.log, "/l/serial.log");
  EXPECT_EQ(o.junit, "/j/r.xml");
  EXPECT_EQ(o.workdir, "/w");
  EXPECT_EQ(o.busybox, "/bb");
  EXPECT_EQ(o.append, "quiet");
  EXPECT_TRUE(o.console);
  ASSERT_EQ(o.files.size(), 1u);
  EXPECT_EQ(o.files[0].host, "/h/x:y"); // split at the last ":/"
  EXPECT_EQ(o.files[0].guest, "/opt/z");
  EXPECT_EQ(o.accel, "auto");
}

TEST(Options, SingleThreadedTcgIsAnAccelerator) {
  EXPECT_EQ(parse({"--kernel", "k", "--release", "r", "--accel", "tcg-single"}).accel,
            "tcg-single");
  EXPECT_EQ(parse({"--kernel", "k", "--release", "r", "--accel", "tcg-icount"}).accel,
            "tcg-icount");
}

TEST(Options, LogDefaultFollowsTheWorkdir) {
  EXPECT_EQ(parse({"--kernel", "k", "--release", "r", "--workdir", "/tmp/w"}).log,
            "/tmp/w/serial-r.log");
}

TEST(Options, HelpNeedsNothingElse) { EXPECT_TRUE(parse({"--help"}).help); }

TEST(Options, HelpTextStartsWithTheUsageLine) {
  EXPECT_EQ(help_text().find("Usage: " + std::string(usage_line)), 0u);
}

TEST(Options, BadCommandLinesSayWhatIsWrong) {
  EXPECT_EQ(error_of({"--release", "r"}),
            "--kernel is required (a vmlinuz from /var/cache/solcompat/matrix.txt)");
  EXPECT_EQ(error_of({"--kernel", "k"}), "--release is required (the kernel's uname -r)");
  EXPECT_EQ(error_of({"--kernel", "k", "--release", "r", "--bogus"}), "unknown option --bogus");
  EXPECT_EQ(error_of({"--kernel", "k", "--release"}), "--release needs a value");
  EXPECT_EQ(error_of({"--kernel", "k", "--kernel", "k2"}), "--kernel given twice");
  EXPECT_EQ(error_of({"kernel"}), "unexpected argument 'kernel' (options start with --)");
  EXPECT_EQ(error_of({"--console=yes"}), "--console takes no value");
  EXPECT_EQ(error_of({"--kernel", "k", "--release", "r", "--cpus", "0"}),
            "--cpus wants a whole number from 1 to 64, not '0'");
  EXPECT_EQ(error_of({"--kernel", "k", "--release", "r", "--timeout", "10s"}),
            "--timeout wants a whole number from 1 to 86400, not '10s'");
  EXPECT_EQ(error_of({"--kernel", "k", "--release", "r", "--accel", "hvf"}),
            "--accel wants tcg, tcg-single, tcg-icount, kvm or auto, not 'hvf'");
  EXPECT_EQ(error_of({"--kernel", "k", "--release", "../x"}),
            "--release '../x' is not a kernel release name");
  EXPECT_NE(error_of({"--kernel", "k", "--release", "r", "--module", "x.o"}).find("name.ko"),
            std::string::npos);
  EXPECT_NE(error_of({"--kernel", "k", "--release", "r", "--module", "a b.ko"}).find("name.ko"),
            std::string::npos);
  EXPECT_EQ(
      error_of({"--kernel", "k", "--release", "r", "--module", "/a/x.ko", "--module", "/b/x.ko"}),
      "--module x.ko given twice");
  EXPECT_NE(error_of({"--kernel", "k", "--release", "r", "--file", "relative:dest"})
                .find("absolute GUESTPATH"),
            std::string::npos);
  EXPECT_NE(error_of({"--kernel", "k", "--release", "r", "--file", "h:/dir/"}).find("name a file"),
            std::string::npos);
}

} // namespace
} // namespace solcompat::vmrun
