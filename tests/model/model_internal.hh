// SPDX-License-Identifier: GPL-2.0
//
// Internals shared by the model runtime's files. Everything reachable from
// an interrupt (signal handler) is async-signal-safe: no allocation, no
// locks, no stdio, only atomics, the CPU's own thread-local state and the
// fixed-size rings of model_log.cc.
#pragma once

#include <atomic>
#include <csetjmp>
#include <cstdarg>
#include <cstddef>
#include <cstdint>

#include <pthread.h>
#include <semaphore.h>
#include <signal.h>

#include "include/model/abi.h"

namespace model::internal {

// Interrupt frames -----------------------------------------------------------

enum class FrameKind : uint8_t { kTask = 0, kHardirq = 1, kNmi = 2, kProbe = 3 };
const char *FrameKindName(FrameKind kind);

inline constexpr int kMaxFrames = 16;

struct Frame {
  FrameKind kind;
  // Unique per CPU thread, never 0 while the frame is live; written last on
  // push and cleared first on pop, so a nested frame that reads it sees a
  // live frame or 0, never a stale one.
  uint64_t serial;
  const void *handler; // the function the frame runs, for messages
  unsigned int entry_preempt_count;
  int entry_irqs_off;
};

// Single-step injection state of one CPU.
enum class StepMode : int { kOff = 0, kArmed = 1, kCounting = 2 };
struct StepState {
  StepMode mode;
  int kind;                // MODEL_STEP_IRQ or MODEL_STEP_NMI
  int fired;               // the injection happened
  unsigned long countdown; // instructions of our code left before it
  unsigned long counted;   // counting mode: instructions seen
  unsigned long traps;     // traps this arming (a cap keeps it bounded)
};

// The rest of a CPU's thread-local state (the hot part is model_cpu_self).
struct Cpu;
struct CpuLocal {
  Cpu *cpu;
  Frame frames[kMaxFrames];
  int depth; // frames[0] is the task frame while on a CPU
  uint64_t serials;
  sigjmp_buf recovery; // the dispatch loop, where fatal violations go
  int have_recovery;
  StepState step;
  uint64_t rng; // per-CPU xorshift state (allocation failure injection)
};
extern __thread CpuLocal cpu_local;

// A fixed-size multi-producer mailbox of handlers for one CPU. Producers are
// any thread or context; the consumer is that CPU, in interrupt context.
struct Mailbox {
  static constexpr int kSlots = 64;
  struct Slot {
    std::atomic<int> state{0}; // 0 free, 1 being filled, 2 ready
    model_handler_t fn = nullptr;
    void *arg = nullptr;
  };
  Slot slots[kSlots];

  bool Post(model_handler_t fn, void *arg);
  // Take one ready handler; false when empty.
  bool Take(model_handler_t *fn, void **arg);
  bool HasReady() const;
};

struct CpuStats {
  std::atomic<uint64_t> irqs{0}, nmis{0}, pended{0}, replayed{0}, injected{0}, stepped{0},
      probes{0};
  std::atomic<uint64_t> nested[4][4] = {};
  std::atomic<int> max_depth{0};
  std::atomic<uint64_t> switches{0}; // tasks handed this CPU
};

// Work handed to a CPU's dispatch loop.
struct Work {
  void (*fn)(void *arg); // nullptr: the CPU stops
  void *arg;
  std::atomic<uint32_t> done{0};
  bool aborted;
  unsigned int preempt_count;
  int irqs_off, depth, irq_pending;
};

struct Task;
struct Cpu {
  int id = -1;
  pthread_t thread{}; // the boot task's thread
  pthread_t idle_thread{};
  // The task whose thread takes its interrupts (curr, set before the hand-
  // over completes). A Task, not a pthread_t: tasks live in static arrays,
  // while a pthread_t read here may name a thread that has since exited
  // and been joined, and pthread_kill on it touches freed memory.
  std::atomic<Task *> holder{nullptr};
  std::atomic<Task *> curr{nullptr}; // the task holding it
  std::atomic<bool> online{false};
  std::atomic<bool> busy{false}; // a task other than idle holds it (the injector aims here)
  Mailbox irq_box, nmi_box;
  std::atomic<uint32_t> ticks{0}, nmi_ticks{0}; // random interrupts owed
  std::atomic<Work *> work{nullptr};
  // The idle task waits here for a task to run, taking interrupts. It holds
  // no lock there, so a fatal violation in an interrupt may abandon the wait
  // (siglongjmp); and ThreadSanitizer delivers signals to a thread blocked
  // in sem_wait at once (it defers them in a raw futex wait, which would
  // leave idle CPUs deaf to IPIs).
  sem_t idle_sem;
  bool idle_sem_ready = false;
  std::atomic<uint32_t> idle_started{0};
  std::atomic<bool> idle_stop{false};
  CpuStats stats;
};
extern Cpu cpus[MODEL_MAX_CPUS];

// Raw futex wait/wake, for threads that are not CPUs (they take no
// interrupts) waiting for a CPU to finish work.
void FutexWait(std::atomic<uint32_t> *word, uint32_t expected);
void FutexWake(std::atomic<uint32_t> *word);
// The same, for at most ns nanoseconds.
void FutexWaitNs(std::atomic<uint32_t> *word, uint32_t expected, uint64_t ns);

// Tasks (model_task.cc) --------------------------------------------------------

struct Task {
  struct task_struct ts; // first: `current` is &task->ts
  struct cred cred;
  pthread_t thread{};
  // The thread's kernel id (gettid), set by the thread itself before it
  // waits for a CPU, 0 before: interrupts are sent with tgkill to it, so
  // a thread that has exited gets nothing (ESRCH) instead of a signal
  // through a stale pthread_t.
  std::atomic<pid_t> tid{0};
  std::atomic<uint32_t> run_word{0}; // 1: a CPU was handed over
  int cpu = -1;                      // the CPU it holds, or held last
  int bound = -1;                    // the only CPU it may run on, or -1
  int rq_cpu = -1;
  bool queued = false;      // on a run queue
  bool switched_out = true; // off its CPU inside the scheduler
  bool exited = false;
  bool timed_out = false;
  bool awaiting_work = false; // a boot task waiting for RunOn work
  bool in_use = false;        // kthread slots
  bool idle = false;
  Task *exit_waiter = nullptr;
  int (*fn)(void *) = nullptr;
  void *data = nullptr;
  int result = 0;
  std::atomic<int> should_stop{0};
  bool is_idle() const { return idle; }
};
extern __thread Task *task_self;

void SchedInit();
// Thread-local set-up of a task's thread (not on a CPU yet).
void TaskThreadInit(Task *t);
Task *BootTask(int cpu);
Task *IdleTask(int cpu);
// Before a CPU's threads start: its boot task asleep, its idle task ready.
void TaskPrepareBoot(int cpu);
// The idle task's thread (arg: the Cpu).
void *IdleMain(void *arg);
void BootTaskWaitForCpu(Task *t);
void BootTaskExit(Task *t);
// wake_up_process() from the runtime (any thread but NMI context).
void WakeTask(Task *t);
// Give the CPU to a waiting task if this is a preemptible task.
void MaybePreempt();
// Wait (sleeping, in task context) until a kthread returned; free its slot.
void TaskJoin(struct task_struct *p);
void TaskFree(struct task_struct *p);
int TaskResult(struct task_struct *p);
// A kthread bound to `cpu`, created stopped (from any thread).
struct task_struct *KthreadCreateBound(int (*fn)(void *), void *data, const char *name, int cpu);
// kthread_stop() for a thread that is not a task (the test's main thread).
void KthreadStopFromHost(struct task_struct *p);

// hrtimers' clock, softirq threads and workers (model_timer.cc): started
// once the CPUs run, stopped before they stop.
void TimerServicesStart(int cpus);
void TimerServicesStop();

// model_cpu.cc, for the scheduler.
// Pause single-stepping over a libc call that blocks every signal (a trap
// taken with SIGTRAP blocked kills the process): pthread_create,
// pthread_kill. Resume with what Suspend returned.
bool TrapFlagSuspend();
void TrapFlagResume(bool stepping);
void ResetCpuState();
// A task just took this CPU: take what was signalled to its previous holder.
void TakeMissedInterrupts();
// Signal again every CPU whose mailbox holds an interrupt or NMI (a level-
// triggered line stays asserted until it is taken); from a host thread.
void ResignalPending();
// Idle balancing: wake an idle CPU when a task waits on a busy CPU's run
// queue, so that it pulls the task if it is unbound; from a host thread.
void KickIdleCpuForQueuedTask();
// The names of the tasks queued on a CPU (racy: for hang reports).
std::string DescribeRunQueue(int cpu);

// Kprobes (model_kprobes.cc, model_cpu.cc). The SIGTRAP handler first asks
// KprobeTrap whether the trap is a kprobe's (its int3, or the single step
// of its displaced instruction) and handles it there. RunTrapHandler runs
// fn(arg) on this CPU as a kprobe handler: in a probe frame (an entry probe,
// ftrace-like: interrupts as found) or, if nmi, in an NMI-like frame (an
// int3 probe: in_nmi(), interrupts off), as Linux runs them. InProbeFrame:
// is a probe frame (a kprobe handler) on this CPU's stack? ProbeFrames: how
// many (an ftrace callback runs in one too).
bool KprobeTrap(siginfo_t *si, void *ucontext);
// Post an interrupt handler to this CPU's mailbox without a signal; with
// model_cpu_self.irq_pending set after, it is taken at this CPU's next
// interrupt-enable point (model_cpu.cc); false if the mailbox is full.
bool PostIrqLater(model_handler_t fn, void *arg);
// This CPU's hard timers that are due now, handed to it with PostIrqLater
// instead of waiting for the clock thread (model_timer.cc).
void PostDueHardTimers();
void RunTrapHandler(bool nmi, model_handler_t fn, void *arg);
bool InProbeFrame();
int ProbeFrames();
// The code running now is a probe handler's (no interrupt nested on it):
// it may have fired anywhere, the scheduler with its locks held included.
bool InnermostFrameIsProbe();
// kfree's check, as the kernel's debug objects do it: does [p, p + size)
// hold an armed or expired-not-run hrtimer or a queued work item (what
// kind, and the struct hrtimer or work_struct at *at)?
bool LiveTimerOrWorkIn(const void *p, size_t size, const char **what, const void **at);

// Let the host run another thread while spinning. Under ThreadSanitizer also
// pass through an intercepted call, where it delivers pending signals (it
// defers them otherwise, and a spinning CPU would never take its IPIs).
void HostYield();

// ThreadSanitizer can leave a thread with every signal blocked: its deferred
// signal delivery blocks all signals around the handlers it runs and saves
// the previous mask in one per-thread slot; a signal that arrives in the
// window before the blocking sets its "pending" flag again, the handler's
// next intercepted call runs the delivery once more, nested, and the inner
// one overwrites the saved mask with "all blocked", which the outer then
// restores. That CPU's thread is deaf to interrupts from then on (seen: an
// idle CPU with a timer interrupt in its mailbox for minutes, SigBlk all
// ones in /proc). Outside interrupt handlers a CPU's thread always takes
// SIGUSR1 and SIGUSR2, so where a task is at its base level (the idle loop,
// after taking a CPU, a spin's HostYield) this unblocks them again. A no-op
// in other builds and inside handler frames. The leak can also happen in
// sem_wait's own entry, after the idle loop's repair: the clock thread's
// re-signalling (ResignalPending) then also wakes that idle loop.
void RepairSignalMask();

// Interrupt-safe mask helpers for the runtime's own critical sections, the
// same protocol as asm/irqflags.h.
unsigned long IrqSave();
void IrqRestore(unsigned long flags);

// Describe the current context into buf: "CPU 1, nmi on hardirq on task,
// preempt_count 0x110000, IRQs off". Async-signal-safe.
void DescribeContext(char *buf, size_t size);

// Violations and logging (model_log.cc) -------------------------------------

// Record a violation: "api: message [context] (caller sym+off)". Fatal ones
// then abandon the CPU's work (FatalAbort). Any context.
void RecordViolation(bool fatal, const void *caller, const char *api, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
void Violation(const void *caller, const char *api, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
[[noreturn]] void Fatal(const void *caller, const char *api, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
// Abandon the current CPU's work: jump to its dispatch loop. Off a CPU (or
// with no loop to return to) print and abort the process.
[[noreturn]] void FatalAbort(const char *why);

// Kernel-style formatting into a fixed buffer; returns the length written.
// %pS/%ps/%pB store a marker that Symbolize* expands later (outside
// interrupt context); %pV formats a nested struct va_format.
size_t FormatV(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
size_t Format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

// Async-signal-safe write to stderr.
void RawWrite(const char *s);

// Environment knobs.
uint64_t EnvU64(const char *name, uint64_t fallback);

// Allocation failure injection and lockup bound (read in interrupt context).
extern std::atomic<int> alloc_failure_percent;
extern std::atomic<int64_t> lockup_ns;
uint64_t MonoNs();

// Per-CPU allocator pools are set up when a CPU thread starts.
void AllocCpuInit(int cpu);

} // namespace model::internal
