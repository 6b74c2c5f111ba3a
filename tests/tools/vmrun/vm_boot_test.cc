// SPDX-License-Identifier: GPL-2.0
// End-to-end: the real solcompat-vm binary boots the first kernel of the matrix in QEMU.
// Each test is one boot of about 5-10 s under TCG.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Kernel {
  std::string release;
  std::string vmlinuz;
};

// The first line of the matrix: "<flavour> <release> <headers dir> <vmlinuz path>".
std::optional<Kernel> first_kernel() {
  std::ifstream in(SOLCOMPAT_MATRIX_FILE);
  std::string flavour, headers;
  Kernel k;
  if (in >> flavour >> k.release >> headers >> k.vmlinuz)
    return k;
  return std::nullopt;
}

std::string quote(const std::string &arg) {
  std::string out = "'";
  for (const char c : arg)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string read(const fs::path &p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class VmBoot : public ::testing::Test {
protected:
  void SetUp() override {
    const auto kernel = first_kernel();
    if (!kernel)
      GTEST_SKIP() << "no kernel matrix at " << SOLCOMPAT_MATRIX_FILE
                   << " (run tools/setup.sh to fetch the kernels)";
    kernel_ = *kernel;
    workdir_ = fs::temp_directory_path() /
               ("vmrun-e2e-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(workdir_);
  }
  void TearDown() override {
    if (!HasFailure()) // a failed test leaves its serial log behind for a look
      fs::remove_all(workdir_);
  }

  // Runs solcompat-vm on the kernel with `args` added; returns its exit status and output.
  int run(const std::vector<std::string> &args, std::string &output) {
    std::string cmd = quote(SOLCOMPAT_VM_BINARY) + " --kernel " + quote(kernel_.vmlinuz) +
                      " --release " + quote(kernel_.release) + " --workdir " +
                      quote(workdir_.string()) + " --timeout 120";
    for (const std::string &arg : args)
      cmd += " " + quote(arg);
    FILE *pipe = ::popen((cmd + " 2>&1").c_str(), "r");
    if (!pipe)
      return -1;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;)
      output.append(buf, n);
    const int status = ::pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string serial_log() const { return read(workdir_ / ("serial-" + kernel_.release + ".log")); }

  Kernel kernel_;
  fs::path workdir_;
};

TEST_F(VmBoot, RunsACommandInTheGuest) {
  std::string out;
  const fs::path junit = workdir_ / "results" / "junit.xml";
  EXPECT_EQ(run({"--run", "echo hello-from-guest", "--junit", junit.string()}, out), 0) << out;
  EXPECT_NE(serial_log().find("\nhello-from-guest"), std::string::npos) << serial_log();
  EXPECT_NE(out.find("kernel " + kernel_.release + ": 4 passed, 0 failed, 0 skipped\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("[vm " + kernel_.release + "] guest powered off after "), std::string::npos);
  EXPECT_EQ(out.find("booting again"), std::string::npos) << out;
  EXPECT_NE(read(junit).find("<testcase classname=\"" + kernel_.release + "\" name=\"run 1\""),
            std::string::npos);
}

TEST_F(VmBoot, FailingCommandFailsTheRun) {
  std::string out;
  EXPECT_EQ(run({"--run", "false"}, out), 1) << out;
  EXPECT_NE(out.find("solcompat-vm: " + kernel_.release +
                     ": run 1 failed (rc=1): false; serial "
                     "log: "),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("1 failed"), std::string::npos) << out;
}

TEST_F(VmBoot, ModuleThatDoesNotLoadSkipsTheRuns) {
  fs::create_directories(workdir_);
  const fs::path bogus = workdir_ / "bogus.ko";
  std::ofstream(bogus) << "not an ELF module\n";
  std::string out;
  EXPECT_EQ(run({"--module", bogus.string(), "--run", "echo should-not-run"}, out), 1) << out;
  EXPECT_NE(out.find(": insmod bogus.ko failed (rc="), std::string::npos) << out;
  EXPECT_NE(out.find(" passed, 1 failed, 2 skipped\n"), std::string::npos) << out;
  EXPECT_EQ(serial_log().find("\nshould-not-run"), std::string::npos);
  EXPECT_NE(serial_log().find("SOLCOMPAT-VM: done"), std::string::npos);
}

// A kernel that ends before /init runs is booted once more, then judged: here
// it always does (no init it can run), so both boots fail and the run fails.
TEST_F(VmBoot, KernelThatEndsBeforeInitIsBootedOnceMore) {
  std::string out;
  EXPECT_EQ(run({"--append", "rdinit=/nonexistent init=/nonexistent"}, out), 1) << out;
  const std::string again = "booting again, attempt 2 of 2";
  const std::size_t first = out.find(again);
  EXPECT_NE(first, std::string::npos) << out;
  EXPECT_EQ(out.find(again, first + 1), std::string::npos) << out;
  EXPECT_NE(out.find("kernel did not boot"), std::string::npos) << out;
  // The first boot's log is kept beside the second's.
  EXPECT_NE(read(workdir_ / ("serial-" + kernel_.release + ".log.boot1")).find("Kernel panic"),
            std::string::npos);
  EXPECT_NE(serial_log().find("Kernel panic"), std::string::npos) << serial_log();
}

} // namespace
