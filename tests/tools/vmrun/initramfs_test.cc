// SPDX-License-Identifier: GPL-2.0
#include "initramfs.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>

#include "cpio_reader.h"

namespace solcompat::vmrun {
namespace {

namespace fs = std::filesystem;

class Initramfs : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vmrun-initramfs-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string &name, const std::string &data) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << data;
    return p;
  }

  std::map<std::string, testing::CpioEntry> read_back(const fs::path &archive) {
    std::ifstream in(archive, std::ios::binary);
    std::stringstream data;
    data << in.rdbuf();
    std::map<std::string, testing::CpioEntry> entries;
    for (testing::CpioEntry &e : testing::read_cpio(data.str()))
      entries.emplace(e.name, std::move(e));
    return entries;
  }

  fs::path dir_;
};

TEST_F(Initramfs, HoldsBusyboxInitModulesRunsAndFiles) {
  const fs::path extra = write("extra.conf", "key=value\n");
  fs::permissions(extra, fs::perms(0640));
  const InitramfsSpec spec{
      .busybox = write("busybox", "fake busybox"),
      .modules = {write("a.ko", "module a"), write("b-c.ko", "module b")},
      .runs = {"echo one", "cat /etc/extra.conf"},
      .files = {{extra, "/etc/extra.conf"}},
      .module_params = {{"b-c.ko", "n=2 mode=x"}},
  };
  const fs::path out = dir_ / "initramfs.cpio";
  write_initramfs(spec, out);
  const auto entries = read_back(out);

  for (const char *dir : {"bin", "sbin", "usr", "usr/bin", "usr/sbin", "proc", "sys", "dev", "tmp",
                          "modules", "solcompat", "etc"}) {
    ASSERT_TRUE(entries.contains(dir)) << dir;
    EXPECT_EQ(entries.at(dir).mode & S_IFMT, static_cast<std::uint32_t>(S_IFDIR)) << dir;
  }
  EXPECT_EQ(entries.at("bin/busybox").data, "fake busybox");
  EXPECT_EQ(entries.at("bin/busybox").mode, static_cast<std::uint32_t>(S_IFREG | 0755));
  EXPECT_EQ(entries.at("bin/sh").mode & S_IFMT, static_cast<std::uint32_t>(S_IFLNK));
  EXPECT_EQ(entries.at("bin/sh").data, "busybox");
  EXPECT_EQ(entries.at("dev/console").mode, static_cast<std::uint32_t>(S_IFCHR | 0600));
  EXPECT_EQ(entries.at("init").mode, static_cast<std::uint32_t>(S_IFREG | 0755));
  EXPECT_EQ(entries.at("init").data, init_script({"a.ko", "b-c.ko"}, 2));
  EXPECT_EQ(entries.at("modules/a.ko").data, "module a");
  EXPECT_EQ(entries.at("modules/b-c.ko").data, "module b");
  EXPECT_FALSE(entries.contains("modules/a.ko.params"));
  EXPECT_EQ(entries.at("modules/b-c.ko.params").data, "n=2 mode=x\n");
  EXPECT_EQ(entries.at("solcompat/run-1.sh").data, "echo one\n");
  EXPECT_EQ(entries.at("solcompat/run-2.sh").data, "cat /etc/extra.conf\n");
  EXPECT_EQ(entries.at("etc/extra.conf").data, "key=value\n");
  EXPECT_EQ(entries.at("etc/extra.conf").mode, static_cast<std::uint32_t>(S_IFREG | 0640));
}

TEST_F(Initramfs, FileOverAGeneratedPathIsAnError) {
  const InitramfsSpec spec{.busybox = write("busybox", "bb"),
                           .files = {{write("x", "x"), "/init"}}};
  try {
    write_initramfs(spec, dir_ / "out.cpio");
    FAIL() << "expected an error";
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("duplicate path '/init'"), std::string::npos) << e.what();
  }
}

TEST_F(Initramfs, UnreadableInputNamesTheFile) {
  const InitramfsSpec spec{.busybox = dir_ / "missing-busybox"};
  try {
    write_initramfs(spec, dir_ / "out.cpio");
    FAIL() << "expected an error";
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("missing-busybox"), std::string::npos) << e.what();
  }
}

TEST(InitScript, LoadsRunsUnloadsAndPowersOff) {
  const std::string s = init_script({"a.ko", "b.ko"}, 2);
  EXPECT_EQ(s.find("#!/bin/sh\n"), 0u);
  const auto at = [&](const std::string &text) {
    const std::size_t pos = s.find(text);
    EXPECT_NE(pos, std::string::npos) << "missing: " << text;
    return pos;
  };
  // Mounts first, then the boot line, the loads (stopping at the first failure), the runs
  // only when every load worked, the unloads in reverse, "done" and the power-off.
  EXPECT_LT(at("mount -t proc proc /proc"), at("mount -t sysfs sysfs /sys"));
  EXPECT_LT(at("mount -t devtmpfs devtmpfs /dev"), at("say \"boot ok $(uname -r)\""));
  EXPECT_LT(at("mount -t debugfs debugfs /sys/kernel/debug"), at("say \"boot ok"));
  at("mount -t tracefs tracefs /sys/kernel/tracing");
  EXPECT_LT(at("say \"boot ok"), at("if load a.ko && load b.ko; then\n  run 1\n  run 2\nfi\n"));
  at("say \"insmod $1 rc=$rc\"");
  at("insmod \"/modules/$1\" $(cat \"/modules/$1.params\")"); // parameters when given
  at("say \"run $1 rc=$?\"");
  at("loaded=\"$1 $loaded\""); // prepending gives the reverse order for rmmod
  EXPECT_LT(at("say \"rmmod $m rc=$?\""), at("say done\npoweroff -f\n"));
  at("echo \"<5>" + std::string(step_marker) + "$*\" >/dev/kmsg");
}

TEST(InitScript, NothingToLoadOrRun) {
  const std::string s = init_script({}, 0);
  EXPECT_NE(s.find("if true; then\n  :\nfi\n"), std::string::npos) << s;
}

TEST_F(Initramfs, TellsStaticBinariesFromDynamicOnesAndNonElf) {
  if (::access("/bin/busybox", R_OK) == 0) {
    EXPECT_EQ(static_binary_problem("/bin/busybox"), "") << "is busybox-static installed?";
  }
  // /bin/ls is dynamically linked on Debian.
  EXPECT_NE(static_binary_problem("/bin/ls").find("dynamically linked"), std::string::npos);
  EXPECT_NE(static_binary_problem(write("script", "#!/bin/sh\n")).find("not an x86-64 ELF"),
            std::string::npos);
  EXPECT_NE(static_binary_problem("/nonexistent").find("not an x86-64 ELF"), std::string::npos);
}

} // namespace
} // namespace solcompat::vmrun
