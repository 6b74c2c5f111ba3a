// SPDX-License-Identifier: GPL-2.0
// solcompat-vm: boots one kernel in QEMU with the modules under test and reports the results.
// Exit status: 0 every case passed, 1 a case failed, 2 bad usage or a broken setup.

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "console.h"
#include "initramfs.h"
#include "junit.h"
#include "options.h"
#include "qemu.h"
#include "verdict.h"

namespace vm = solcompat::vmrun;

namespace {

// The machine is not set up to run the VM (exit 2); the message says what to do.
struct SetupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr const char *setup_hint = "run tools/setup.sh";

void progress(const vm::Options &o, const std::string &what) {
  std::cerr << "[vm " << o.release << "] " << what << std::endl;
}

bool in_path(const std::string &program) {
  const char *path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (::access(((dir.empty() ? "." : dir) + "/" + program).c_str(), X_OK) == 0)
      return true;
  }
  return false;
}

std::uintmax_t size_of(const std::filesystem::path &p) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(p, ec);
  return ec ? 0 : size;
}

void require_file(const std::filesystem::path &p, const std::string &what,
                  const std::string &hint) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec))
    throw SetupError(what + " " + p.string() + " not found: " + hint);
  if (::access(p.c_str(), R_OK) != 0)
    throw SetupError(what + " " + p.string() + " is not readable: " + std::strerror(errno));
}

// Checks everything the run needs before spending a boot on it.
void check_setup(const vm::Options &o) {
  require_file(o.kernel, "kernel image",
               std::string(setup_hint) + " to fetch the kernel matrix (listed in "
                                         "/var/cache/solcompat/matrix.txt)");
  require_file(o.busybox, "busybox",
               std::string(setup_hint) + " (installs busybox-static) or pass --busybox PATH");
  if (const std::string problem = vm::static_binary_problem(o.busybox); !problem.empty())
    throw SetupError(problem + ": " + setup_hint + " (installs busybox-static) or pass --busybox");
  for (const std::filesystem::path &m : o.modules)
    require_file(m, "module", "build it first, or check the --module path");
  for (const vm::GuestFile &f : o.files)
    require_file(f.host, "--file", "check the HOSTPATH");
  if (!in_path("qemu-system-x86_64"))
    throw SetupError(std::string("qemu-system-x86_64 not found in PATH: ") + setup_hint +
                     " (installs qemu-system-x86)");
}

std::string kvm_problem() {
  const int fd = ::open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return std::string("cannot open /dev/kvm read-write: ") + std::strerror(errno);
  ::close(fd);
  return {};
}

std::string choose_accel(const vm::Options &o) {
  // One host thread runs every vCPU in turn (no MTTCG): slower, but immune
  // to the multi-threaded translator's cross-modifying-code races (a stale
  // translation of patched text: "Oops: int3" in the kernel's own text
  // patching, seen booting 4 vCPUs on 2 host cores).
  if (o.accel == "tcg-single")
    return "tcg,thread=single";
  // Instruction counting needs the single-threaded translator; qemu_command adds -icount.
  if (o.accel == "tcg-icount")
    return "tcg-icount";
  if (o.accel == "kvm") {
    if (const std::string problem = kvm_problem(); !problem.empty())
      throw SetupError("--accel kvm: " + problem + "; use --accel tcg");
    return "kvm";
  }
  if (o.accel == "auto") {
    // An openable /dev/kvm does not mean KVM guests run: on some hosts they hang at boot, and
    // telling would take a probe boot of several seconds. So auto means tcg, said out loud.
    std::string why = kvm_problem();
    if (why.empty())
      why = "KVM is not probed (KVM guests hang on some hosts); pass --accel kvm to use it";
    progress(o, "--accel auto: using tcg: " + why);
  }
  return "tcg";
}

void prepare_workdir(const vm::Options &o) {
  std::error_code ec;
  std::filesystem::create_directories(o.workdir, ec);
  if (ec)
    throw SetupError("cannot create workdir " + o.workdir.string() + ": " + ec.message() +
                     " (pass --workdir)");
  // The initramfs holds a copy of every input; allow some room for the serial log.
  std::uintmax_t need = size_of(o.busybox) + (16 << 20);
  for (const std::filesystem::path &m : o.modules)
    need += size_of(m);
  for (const vm::GuestFile &f : o.files)
    need += size_of(f.host);
  struct statvfs fs {};
  if (::statvfs(o.workdir.c_str(), &fs) == 0) {
    const std::uintmax_t avail = static_cast<std::uintmax_t>(fs.f_bavail) * fs.f_frsize;
    if (avail < need)
      throw SetupError("not enough space in " + o.workdir.string() + ": " +
                       std::to_string(avail >> 20) + " MiB free, about " +
                       std::to_string((need >> 20) + 1) +
                       " MiB needed; free some space or pass --workdir on another file system");
  }
}

class LogFile {
public:
  explicit LogFile(const std::filesystem::path &path) : path_(path) {
    std::error_code ec;
    if (path.has_parent_path())
      std::filesystem::create_directories(path.parent_path(), ec);
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0)
      throw SetupError("cannot create serial log " + path.string() + ": " + std::strerror(errno));
  }
  LogFile(const LogFile &) = delete;
  LogFile &operator=(const LogFile &) = delete;
  ~LogFile() { ::close(fd_); }

  // Written as it arrives, so the log shows how far a hung or crashed guest got.
  void write(std::string_view data) {
    while (!data.empty() && error_ == 0) {
      const ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0 && errno != EINTR)
        error_ = errno;
      else if (n > 0)
        data.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  // Throws if any write failed.
  void check() const {
    if (error_ != 0)
      throw SetupError("cannot write serial log " + path_.string() + ": " + std::strerror(error_));
  }

private:
  std::filesystem::path path_;
  int fd_ = -1;
  int error_ = 0;
};

void write_junit_file(const vm::Options &o, const std::vector<vm::TestCase> &cases,
                      double seconds) {
  std::error_code ec;
  if (o.junit.has_parent_path())
    std::filesystem::create_directories(o.junit.parent_path(), ec);
  std::ofstream out(o.junit, std::ios::trunc);
  vm::write_junit(out, o.release, cases, seconds);
  out.close();
  if (!out)
    throw SetupError("cannot write " + o.junit.string() + ": " + std::strerror(errno));
}

int run(const vm::Options &o) {
  check_setup(o);
  const std::string accel = choose_accel(o);
  prepare_workdir(o);

  progress(o, "building initramfs");
  const std::filesystem::path initrd = o.workdir / "initramfs.cpio";
  try {
    vm::write_initramfs(
        {.busybox = o.busybox,
         .modules = o.modules,
         .runs = o.runs,
         .files = o.files,
         .module_params = o.module_params}, initrd);
  } catch (const std::runtime_error &e) {
    throw SetupError(std::string("cannot build the initramfs: ") + e.what());
  }

  auto log = std::make_unique<LogFile>(o.log);
  const vm::VmConfig config{.kernel = o.kernel,
                            .initrd = initrd,
                            .accel = accel,
                            .cpus = o.cpus,
                            .memory_mib = o.memory_mib,
                            .cmdline = vm::kernel_cmdline(o.append),
                            .timeout = std::chrono::seconds(o.timeout_s)};
  // A crash the code under test cannot have caused (vm::reboot_reason: the
  // kernel ended before /init, or QEMU's cmpxchg16b fault) is booted once
  // more; one that repeats, a hang, and every other failure are judged as
  // they are.
  constexpr int kBootAttempts = 2;
  for (int attempt = 1; attempt < kBootAttempts; ++attempt) { // a last run's, now stale
    std::filesystem::path stale = o.log;
    stale += ".boot" + std::to_string(attempt);
    std::error_code ec;
    std::filesystem::remove(stale, ec);
  }
  vm::VmOutcome outcome;
  for (int attempt = 1;; ++attempt) {
    progress(o, "booting (timeout " + std::to_string(o.timeout_s) + " s)");
    outcome = vm::run_vm(config, [&](std::string_view data) {
      log->write(data);
      if (o.console) {
        std::fwrite(data.data(), 1, data.size(), stdout);
        std::fflush(stdout);
      }
    });
    if (!outcome.started)
      throw SetupError(outcome.start_error + "; " + setup_hint);
    if (attempt == kBootAttempts)
      break;
    const std::string reason = vm::reboot_reason(vm::split_lines(outcome.console), outcome);
    if (reason.empty())
      break;
    // The failed boot's log is kept beside the new one, whose line numbers
    // the verdict below quotes.
    log->check();
    log.reset();
    std::filesystem::path kept = o.log;
    kept += ".boot" + std::to_string(attempt);
    std::error_code ec;
    std::filesystem::rename(o.log, kept, ec);
    if (ec)
      throw SetupError("cannot rename " + o.log.string() + " to " + kept.string() + ": " +
                       ec.message());
    log = std::make_unique<LogFile>(o.log);
    progress(o, reason + "; its serial log: " + kept.string() + "; booting again, attempt " +
                    std::to_string(attempt + 1) + " of " + std::to_string(kBootAttempts));
  }
  if (o.console && ::isatty(STDOUT_FILENO))
    std::fputs("\033[?7h\n", stdout); // SeaBIOS turned off the terminal's line wrapping
  log->check();

  char took[32];
  std::snprintf(took, sizeof took, "%.1f s", outcome.seconds);
  if (outcome.timed_out)
    progress(o, "timeout after " + std::to_string(o.timeout_s) + " s, QEMU killed");
  else if (outcome.exit_code == 0)
    progress(o, std::string("guest powered off after ") + took);
  else
    progress(o, std::string("QEMU ended after ") + took);

  vm::RunPlan plan{.release = o.release, .runs = o.runs, .timeout_s = o.timeout_s};
  for (const std::filesystem::path &m : o.modules)
    plan.modules.push_back(m.filename().string());
  const std::vector<vm::TestCase> cases =
      vm::judge(plan, vm::split_lines(outcome.console), outcome);

  int counts[3] = {};
  for (const vm::TestCase &c : cases) {
    ++counts[static_cast<int>(c.status)];
    if (c.status != vm::Status::failed)
      continue;
    std::cerr << "solcompat-vm: " << o.release << ": " << c.message
              << "; serial log: " << o.log.string() << '\n';
    for (const std::string &line : vm::split_lines(c.details))
      std::cerr << "    " << line << '\n';
  }
  if (!o.junit.empty())
    write_junit_file(o, cases, outcome.seconds);
  std::cout << "kernel " << o.release << ": " << counts[0] << " passed, " << counts[1]
            << " failed, " << counts[2] << " skipped" << std::endl;
  return counts[1] == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  // A closed stdout (--console into a pipe that went away) must not kill the runner and
  // leave the guest unaccounted for.
  std::signal(SIGPIPE, SIG_IGN);
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  vm::Options options;
  try {
    options = vm::parse_options(args);
  } catch (const vm::UsageError &e) {
    std::cerr << "solcompat-vm: " << e.what() << "\nUsage: " << vm::usage_line
              << "\nRun solcompat-vm --help for what each option does.\n";
    return 2;
  }
  if (options.help) {
    std::cout << vm::help_text();
    return 0;
  }
  try {
    return run(options);
  } catch (const std::exception &e) {
    std::cerr << "solcompat-vm: " << options.release << ": " << e.what() << '\n';
    return 2;
  }
}
