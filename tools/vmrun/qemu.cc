// SPDX-License-Identifier: GPL-2.0
#include "qemu.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <thread>
#include <utility>

namespace solcompat::vmrun {

namespace {

using Clock = std::chrono::steady_clock;

// Owns a file descriptor.
class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd &&other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd &operator=(Fd &&other) noexcept {
    reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = fd;
  }

private:
  int fd_ = -1;
};

struct Pipe {
  Fd read, write;
};

Pipe make_pipe() {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0)
    throw std::system_error(errno, std::generic_category(), "pipe2");
  return {Fd(fds[0]), Fd(fds[1])};
}

// Reads what is available on `fd` into `sink`; returns false once the writer has closed it.
bool drain(int fd, const std::function<void(std::string_view)> &sink) {
  std::array<char, 65536> buf;
  const ssize_t n = ::read(fd, buf.data(), buf.size());
  if (n < 0)
    return errno == EINTR || errno == EAGAIN;
  if (n == 0)
    return false;
  sink({buf.data(), static_cast<std::size_t>(n)});
  return true;
}

} // namespace

std::string kernel_cmdline(std::string_view extra) {
  // Any warning, oops or lockup panics, and panic=-1 reboots at once, which -no-reboot turns
  // into QEMU exiting: a broken guest ends the run instead of idling to the time limit.
  // printk.devkmsg=on lifts the rate limit on /dev/kmsg, where /init writes its step lines.
  std::string cmdline = "console=ttyS0 panic_on_warn=1 softlockup_panic=1 oops=panic panic=-1 "
                        "loglevel=7 printk.time=1 printk.devkmsg=on";
  if (!extra.empty())
    cmdline.append(" ").append(extra);
  return cmdline;
}

std::vector<std::string> qemu_command(const VmConfig &config) {
  // tcg-icount: the guest's clocks (TSC included) advance by one nanosecond per guest
  // instruction, so a time measured in the guest is an instruction count. It does not depend
  // on the host's load or on how the translator's caches treat the code's addresses, which is
  // what makes benchmark ratios steady across boots; it weighs every instruction alike.
  // sleep=off lets an idle guest jump to its next timer instead of waiting for it.
  const bool icount = config.accel == "tcg-icount";
  std::vector<std::string> command{
      config.qemu,
      "-accel",
      icount ? std::string("tcg,thread=single") : config.accel,
  };
  if (icount) {
    command.push_back("-icount");
    command.push_back("shift=0,sleep=off");
  }
  // TCG has no host CPU to pass through; "max" offers every feature TCG emulates, so the
  // kernel takes the same code paths (x2apic, PCID, ...) as on current hardware.
  const std::vector<std::string> rest{"-cpu",       config.accel == "kvm" ? "host" : "max",
                                      "-smp",       std::to_string(config.cpus),
                                      "-m",         std::to_string(config.memory_mib),
                                      "-nographic", "-no-reboot",
                                      "-kernel",    config.kernel.string(),
                                      "-initrd",    config.initrd.string(),
                                      "-append",    config.cmdline};
  command.insert(command.end(), rest.begin(), rest.end());
  return command;
}

VmOutcome run_vm(const VmConfig &config, const std::function<void(std::string_view)> &on_console) {
  VmOutcome outcome;
  const std::vector<std::string> command = qemu_command(config);
  std::vector<char *> argv;
  for (const std::string &arg : command)
    argv.push_back(const_cast<char *>(arg.c_str()));
  argv.push_back(nullptr);

  Pipe out = make_pipe();
  Pipe err = make_pipe();
  // The child writes errno here if exec fails; on success CLOEXEC closes it and we read EOF.
  Pipe exec_status = make_pipe();
  const Fd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  const pid_t parent = ::getpid();
  const auto start = Clock::now();

  const pid_t pid = ::fork();
  if (pid < 0) {
    outcome.start_error = std::string("fork: ") + std::strerror(errno);
    return outcome;
  }
  if (pid == 0) {
    // Only async-signal-safe calls from here on.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
      ::_exit(127);
    // QEMU must not read the terminal: with -nographic it would take keys as monitor commands.
    ::dup2(devnull.get(), STDIN_FILENO);
    ::dup2(out.write.get(), STDOUT_FILENO);
    ::dup2(err.write.get(), STDERR_FILENO);
    ::execvp(argv[0], argv.data());
    const int e = errno;
    [[maybe_unused]] const ssize_t n = ::write(exec_status.write.get(), &e, sizeof e);
    ::_exit(127);
  }
  out.write.reset();
  err.write.reset();
  exec_status.write.reset();

  int exec_errno = 0;
  if (::read(exec_status.read.get(), &exec_errno, sizeof exec_errno) ==
      static_cast<ssize_t>(sizeof exec_errno)) {
    ::waitpid(pid, nullptr, 0);
    outcome.start_error = "cannot run " + config.qemu + ": " + std::strerror(exec_errno);
    return outcome;
  }
  outcome.started = true;

  const auto on_out = [&](std::string_view data) {
    outcome.console.append(data);
    on_console(data);
  };
  const auto on_err = [&](std::string_view data) { outcome.qemu_stderr.append(data); };

  auto deadline = start + config.timeout;
  bool term_sent = false;
  bool out_open = true, err_open = true;
  int status = 0;
  while (true) {
    const auto now = Clock::now();
    if (now >= deadline) {
      if (!term_sent) {
        outcome.timed_out = true;
        term_sent = true;
        ::kill(pid, SIGTERM);
        deadline = now + config.kill_grace;
      } else {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        break;
      }
    }
    if (out_open || err_open) {
      std::array<pollfd, 2> fds = {pollfd{out_open ? out.read.get() : -1, POLLIN, 0},
                                   pollfd{err_open ? err.read.get() : -1, POLLIN, 0}};
      const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
      const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(wait.count()) + 1);
      if (ready < 0 && errno != EINTR)
        throw std::system_error(errno, std::generic_category(), "poll");
      if (ready > 0 && fds[0].revents != 0)
        out_open = drain(fds[0].fd, on_out);
      if (ready > 0 && fds[1].revents != 0)
        err_open = drain(fds[1].fd, on_err);
      continue;
    }
    // Both pipes closed: QEMU is exiting. Wait for it, still under the deadline.
    if (::waitpid(pid, &status, WNOHANG) == pid)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (WIFEXITED(status))
    outcome.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    outcome.term_signal = WTERMSIG(status);
  return outcome;
}

} // namespace solcompat::vmrun
