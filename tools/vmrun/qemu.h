// SPDX-License-Identifier: GPL-2.0
// Boots a kernel in QEMU with the serial console on a pipe, under a hard time limit.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace solcompat::vmrun {

// Members have initialisers so that designated initialisers may leave any of them out.
struct VmConfig {
  std::string qemu = "qemu-system-x86_64"; // looked up in PATH unless it holds a '/'
  std::filesystem::path kernel{};
  std::filesystem::path initrd{};
  std::string accel = "tcg"; // a QEMU -accel value, or "tcg-icount" (see qemu_command)
  int cpus = 2;
  int memory_mib = 512;
  std::string cmdline{};
  std::chrono::milliseconds timeout{180'000};
  // Between SIGTERM and SIGKILL when the time limit is hit.
  std::chrono::milliseconds kill_grace{5'000};
};

struct VmOutcome {
  bool started = false;
  std::string start_error; // why QEMU could not be started
  bool timed_out = false;
  int exit_code = -1;  // QEMU's exit status, -1 if a signal ended it
  int term_signal = 0; // the signal that ended QEMU, if any
  std::string console; // everything the guest wrote to its serial console
  std::string qemu_stderr;
  double seconds = 0; // wall time from start to exit
};

// The kernel command line: the rig's fixed part, then `extra`.
std::string kernel_cmdline(std::string_view extra);

// The full QEMU command line, program first.
std::vector<std::string> qemu_command(const VmConfig &config);

// Runs QEMU to completion or until config.timeout, passing console output to `on_console` as it
// arrives. QEMU dies with this process (PR_SET_PDEATHSIG), so no guest outlives its runner.
VmOutcome run_vm(const VmConfig &config, const std::function<void(std::string_view)> &on_console);

} // namespace solcompat::vmrun
