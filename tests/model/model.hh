// SPDX-License-Identifier: GPL-2.0
//
// The userspace kernel model: the C++ interface for test programs. The
// design is the Big Theory Statement at the top of model_cpu.cc; the
// GoogleTest glue (fixture, environment) is in model_gtest.hh.
//
// Everything here is called from ordinary threads (the test's main thread),
// never from a simulated CPU's interrupt context, unless a comment says so.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "include/model/abi.h"

namespace model {

// Simulated CPUs ------------------------------------------------------------

inline constexpr int kDefaultCpus = 4;

// Start `cpus` simulated CPUs (1..MODEL_MAX_CPUS), stopping the current ones
// first if their number differs. Installs the signal handlers on first use.
void Boot(int cpus);
int CpuCount();
// Stop every CPU and the injector (the process may exit without this).
void Shutdown();

// What became of work run on a CPU.
struct RunResult {
  bool aborted = false; // a fatal violation (panic, deadlock) abandoned it
  // The CPU's state when the work returned, in task context: anything but
  // 0 / false / 1 / false is a leak of preemption, interrupt masking or an
  // interrupt frame by the work (the runner checks it after every case).
  unsigned int preempt_count = 0;
  bool irqs_off = false;
  int frame_depth = 1;
  bool irq_pending = false;
};

// Run fn in task context (preemptible, interrupts on) on a simulated CPU and
// wait for it. fn must not leave objects with destructors on its stack when
// a fatal violation may abandon it (the CPU jumps back to its dispatch loop).
RunResult RunOn(int cpu, const std::function<void()> &fn);

// The calling CPU's state; callable on a simulated CPU in any context.
struct CpuState {
  int cpu = -1;
  unsigned int preempt_count = 0;
  bool irqs_off = false;
  bool irq_pending = false;
  int frame_depth = 0; // 1 in task context
};
CpuState ThisCpuState();

// Interrupt injection ---------------------------------------------------------

// The run's seed: SOLCOMPAT_MODEL_SEED, or random; printed by the
// environment so that a failure can be replayed.
uint64_t Seed();
// A seed derived from the run's seed and a name (a test's full name), so one
// test can be repeated alone with the same decisions.
uint64_t DerivedSeed(std::string_view name);

// The random injector: a thread that sends interrupts and NMIs to the
// simulated CPUs at random intervals (SOLCOMPAT_MODEL_IRQ_INTERVAL_US is the
// longest interval; SOLCOMPAT_MODEL_INJECT=0 turns it off by default).
void SeedInjector(uint64_t seed);
void ResumeInjection(); // start or continue sending
void PauseInjection();  // returns when the injector has stopped sending
bool InjectionEnabledByDefault();

// Stop the injector, then make every online CPU pass through its dispatch
// loop once, so that no interrupt sent before is still in flight. After
// this, logs and violations are complete.
void Quiesce();

// Instruction-precise injection (model_step_arm) on or off for the process;
// SOLCOMPAT_MODEL_STEP=0 turns it off (e.g. under a debugger or valgrind).
bool SteppingEnabled();

// Counters, for the summary printed at the end and for self-tests.
struct Stats {
  uint64_t irqs = 0;     // hardirq frames run
  uint64_t nmis = 0;     // NMI frames run
  uint64_t pended = 0;   // interrupts that arrived masked
  uint64_t replayed = 0; // ... and ran when unmasked
  uint64_t injected = 0; // sent by the random injector
  uint64_t stepped = 0;  // delivered by single-step injection
  uint64_t probes = 0;   // probe frames
  // nested[a][b]: frames of kind a that started on top of kind b
  // (kinds: 0 task, 1 hardirq, 2 nmi, 3 probe).
  uint64_t nested[4][4] = {};
  int max_depth = 0;
};
Stats GetStats();
std::string FormatStats(const Stats &s);
// One line per online CPU: the task holding it and what its interrupt and
// NMI mailboxes hold (for hang reports; racy, callable from any thread).
std::string DescribeCpus();

// Violations and the kernel log --------------------------------------------

struct Violation {
  bool fatal = false; // abandoned the CPU's work (panic, deadlock)
  int cpu = -1;
  std::string message; // symbolised
};
// Violations recorded since the last call (call after Quiesce()).
std::vector<Violation> TakeViolations();
// Total recorded since start; cheap, callable any time.
uint64_t ViolationCount();

struct LogLine {
  int level = 4; // printk level 0..7
  int cpu = -1;
  std::string text; // symbolised, continuation lines joined
};
std::vector<LogLine> TakeLog();
std::string FormatLog(const std::vector<LogLine> &lines);

// Tunables ------------------------------------------------------------------

// How long a CPU may spin on a spinlock held by another CPU before the
// model reports a lockup (SOLCOMPAT_MODEL_LOCKUP_MS, default 2000).
void SetLockupTimeout(std::chrono::milliseconds timeout);
// Percentage of non-sleeping kmalloc calls that fail on purpose.
void SetAllocFailurePercent(int percent);
// Blocks kmalloc handed out and not yet freed.
long KmallocOutstanding();

// Tasks ---------------------------------------------------------------------

// The identity of the task CPU `cpu` runs (`current` there): effective uid
// and gid, and whether capable(CAP_SYS_ADMIN) is true. Default: 0, 0, true.
// Call while the CPU runs no work.
void SetTaskIdentity(int cpu, unsigned int uid, unsigned int gid, bool admin);

// User memory -----------------------------------------------------------------

// Map len bytes of zeroed memory that the model's copy_from_user and
// friends accept as user memory (nullptr on failure). UserFree unmaps and
// unregisters [addr, addr + len): a whole region, or a piece at its start
// or end (leaving a hole that faults). Any thread; not while a copy into
// the same range runs.
void *UserAlloc(unsigned long len);
void UserFree(void *addr, unsigned long len);

// The kernel module(s) linked in ----------------------------------------------

// Run every module_init function on CPU 0, in process context, as insmod
// would; returns the first non-zero result (or 0).
int ModuleLoad();
// Run every module_exit function on CPU 0.
void ModuleUnload();
const model_ksym *FindExport(std::string_view name);
bool IsNoKprobe(const void *addr);
std::vector<std::pair<std::string, std::string>> ModInfo();

// Symbol name for an address in the test program, "name+0xoff/0xsize".
std::string Symbolize(const void *addr);

} // namespace model
