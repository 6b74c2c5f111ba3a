// SPDX-License-Identifier: GPL-2.0
// Turns a finished VM run into test cases: the rig's own steps, the kernel log check and the
// KTAP results the modules printed.
#pragma once

#include <string>
#include <vector>

#include "qemu.h"
#include "testcase.h"

namespace solcompat::vmrun {

// Members have initialisers so that designated initialisers may leave any of them out.
struct RunPlan {
  std::string release{};
  std::vector<std::string> modules{}; // file names ("x.ko"), in load order
  std::vector<std::string> runs{};    // the --run commands
  int timeout_s = 0;
};

// The cases, in this order: "boot", "insmod <m>"..., "run <n>"..., "rmmod <m>"... (reverse
// order), "shutdown", "clean-log", then the KTAP cases. `lines` is the console capture split
// into lines. A step whose line never came fails if it is the first one missing (the guest
// stopped there: time limit, panic, QEMU error) and is skipped after that; steps that /init
// leaves out by design (runs after a failed insmod, rmmod of a module that did not load) are
// skipped with the reason.
std::vector<TestCase> judge(const RunPlan &plan, const std::vector<std::string> &lines,
                            const VmOutcome &outcome);

// Why a finished run should be booted once more, or "" to judge it as it is. Two crashes
// that cannot come from the code under test:
//   - the kernel ended before /init said "boot ok" (modules load after it);
//   - an oops whose faulting instruction comes right after a cmpxchg16b outside the modules
//     (the Code: bytes show it), the signature of QEMU 7.2's TCG fault in the kernel's slab
//     allocator (README, "Benchmarks"); nothing under test uses cmpxchg16b.
// A run that hit its time limit is never booted again (a hang repeats, at the full limit).
std::string reboot_reason(const std::vector<std::string> &lines, const VmOutcome &outcome);

} // namespace solcompat::vmrun
