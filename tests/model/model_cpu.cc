// SPDX-License-Identifier: GPL-2.0
//
// The userspace kernel model: simulated CPUs, interrupts, NMIs and probes.
//
// Big Theory Statement
// --------------------
// linux/*.c is kernel code. The model lets it run unchanged in a test
// program (the tools/testing/radix-tree pattern): the stand-in headers in
// include/ declare the Linux API it uses, and this runtime implements that
// API so that the context rules the code must obey are both exercised and
// enforced.
//
// CPUs and tasks. A simulated CPU is held by one task at a time, and a task
// is a host thread (model_task.cc, the scheduler: each CPU has a boot task
// that runs the work a test hands it with RunOn, an idle task, and kthreads
// come and go). The running state lives in the thread's thread-local
// storage: the hot part (preempt_count, the interrupt mask, pending flags,
// the id of the CPU it holds, -1 for none) in model_cpu_self, which the
// stand-in headers' inline helpers read and write directly, like the
// kernel's %gs-relative per-CPU accesses; the rest in cpu_local (the stack
// of interrupt frames, the recovery point, single-step state). Per-CPU
// variables are arrays indexed by the CPU id. Work handed to a CPU starts in
// task context: preemptible, interrupts on, one frame (task) on the frame
// stack.
//
// Interrupts. A hard interrupt is SIGUSR1 sent to the thread holding a CPU
// (Cpu::holder; model_task.cc says how a switch hands over what was sent to
// the previous holder), so it can
// land between any two instructions; an NMI is SIGUSR2. Three sources:
//   - the random injector thread (InjectorMain below), at random
//     intervals from a seeded generator, aiming mostly at CPUs running test
//     work; its interrupts run the registered workloads (a timer tick, an NMI
//     handler body);
//   - deterministic ones: model_raise_irq/model_raise_nmi(cpu, fn, arg) post
//     fn to the CPU's mailbox and signal it (on the caller's own CPU they
//     are delivered at once instead, like a self-IPI);
//     smp_call_function_single_async is built on them;
//   - single-step injection: model_step_arm(n, kind) sets EFLAGS.TF, the
//     kernel raises SIGTRAP after every instruction, and after n
//     instructions of the test program's own text the trap handler delivers
//     an interrupt or NMI right there, as if it had arrived asynchronously.
//     That is exact, reproducible from the seed, and independent of timing.
// Every interrupt runs in a frame pushed on the CPU's frame stack:
//   hardirq  preempt_count += HARDIRQ_OFFSET, interrupts masked
//   nmi      preempt_count += NMI_OFFSET + HARDIRQ_OFFSET (as nmi_enter()),
//            interrupts masked
//   probe    preempt_count += 1, interrupts as found (an ftrace-based kprobe
//            handler; model_probe runs one from any context)
// and on return the frame's state is restored. What may nest on what:
//   hardirq on task or probe, when interrupts are on; never on hardirq or NMI
//           (masked there; it pends and runs when the mask is lifted)
//   nmi     on anything but an NMI; an NMI during an NMI is latched (one) and
//           runs right after, as on x86
//   probe   on anything
// so a timer interrupt lands on a probe on task code, an NMI on a hardirq,
// and so on, to any depth up to kMaxFrames.
//
// Lazy masking. cli/sti would not stop signals, so the mask is a flag: an
// interrupt that arrives while this CPU's irqs_off is set only records
// irq_pending and returns; whoever clears irqs_off (local_irq_enable,
// local_irq_restore, an interrupt frame returning to unmasked code) replays
// what is pending, which is where the hardware would take it. A signal can
// land between any two instructions of the helpers; none of the windows
// matters:
//   disable = store 1: before the store the interrupt runs to completion and
//     returns what it found; after it, it pends.
//   enable = store 0, then check pending: an interrupt in between sees the
//     mask clear and runs at once; a pending one is taken by exchange, so
//     each runs exactly once.
//   save = load, then store 1: an interrupt in between runs (the load said
//     "on", which was true) and restores everything before the store.
//   preempt_count += n as load/add/store: an interrupt in between returns
//     with the count it found, so the store is still right. That is an
//     invariant the model checks on every return (below), not a hope.
// Signal masks mirror the hardware: SIGUSR1 is blocked in its own handler
// (interrupts off); SIGUSR2 is not blocked there (NMI on hardirq); SIGUSR1
// is not blocked in the NMI handler either, but the mask flag is set there,
// so it pends and is replayed when the NMI returns to unmasked code.
//
// Enforcement. Each of these is a violation, recorded in a lock-free list
// that the GoogleTest fixture turns into a test failure with the message:
//   - might_sleep() (and so GFP_KERNEL allocation, schedule_timeout) in
//     atomic, hardirq or NMI context or with interrupts off;
//   - kmalloc/kfree in NMI context; GFP_KERNEL in atomic context; kfree of
//     a pointer kmalloc did not return, or twice;
//   - an interrupt, NMI or probe handler that returns with the interrupt
//     mask or preempt_count changed (checked around each handler);
//   - preempt_enable() underflow; raw_local_irq_restore() with interrupts
//     on; smp_processor_id() in preemptible code;
//   - raw_spin_lock on a lock held by this CPU's own interrupted context (or
//     the same context): reported at the first attempt, since the holder
//     cannot run until the spinner returns; spinning longer than the lockup
//     bound on another CPU's lock; unlocking a lock not held by this CPU;
//   - panic() (assfail and VERIFY use it).
// The last two kinds are fatal: a real machine would hang or stop, so the
// CPU abandons its work (siglongjmp to its dispatch loop, out of any
// interrupt frames), resets its state, and the test that caused it fails;
// a negative test can assert that it happened and go on.
//
// Reproducibility. The seed (SOLCOMPAT_MODEL_SEED, printed at start) drives
// the injector's choices and, through DerivedSeed(test name), each test's
// single-step positions. Single-step injection replays exactly; the random
// injector's timing and the scheduler's choices depend on the host and do
// not.
//
// Sanitizers. ASan+UBSan: nothing special; the allocator stand-in poisons
// freed and slack memory. ThreadSanitizer defers asynchronous signals to its
// safe points (intercepted calls, blocking waits), so under TSan random
// interrupts land where the code calls libc or waits, not at any
// instruction; idle CPUs wait in sem_wait and spinning ones pass through an
// intercepted call now and then (HostYield), so they still take them.
// Single-step injection is off under TSan: its signal wrapper runs TSan's
// runtime on every trap, and a trap that lands inside that runtime
// re-enters it and deadlocks. An interrupt a CPU raises on itself never
// goes through a signal (it is delivered at once, as a self-IPI arrives
// right after the instruction that sent it), so it behaves the same in
// every build. State shared between threads is atomic; state shared between
// a thread and its own signal handlers is plain, between compiler barriers,
// which is not a race (one thread) and which TSan does not report. No
// suppression file is needed.
//
// Per-CPU data. DEFINE_PER_CPU variables live in the model_percpu section,
// the template; PercpuInit gives every possible CPU a copy before the first
// CPU starts, and a per-CPU access adds the CPU's offset to the variable's
// address, as the kernel does, so member accesses work.
//
// Known gaps. Softirqs run only in per-CPU threads, as on PREEMPT_RT
// (model_timer.cc: soft hrtimers), never on interrupt exit. A preemptible
// task is preempted only at cond_resched(), yield() and cpu_relax()
// (model_task.cc), not at any instruction. CPUs do not go offline. No misc
// devices or kprobes (linux/ddi.c and linux/trap.c are not in the model;
// tests/model/CMakeLists.txt lists what is). Hardirqs never nest on
// hardirqs (Linux does not either). Interrupts and NMIs that pend on the same
// CPU coalesce, like a level-triggered line; deterministic handlers in a
// mailbox never coalesce but are not FIFO. Single-step injection lands only in
// the test program's own text (never inside libc or a sanitizer runtime), and
// stops after kMaxStepTraps traps. A fatal violation loses the CPU's pending
// interrupts and skips destructors of C++ frames in the abandoned work. The
// CPUs share the host's cores, so a spinning CPU may have to wait for the
// scheduler to run the one it waits for (cpu_relax yields now and then).
#include <algorithm>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>

#include <link.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "model.hh"
#include "model_internal.hh"

extern "C" {
__thread model_cpu_state model_cpu_self = {0, 0, 0, 0, -1};
__thread unsigned int model_cpu_relax_count = 0;
}

extern "C" {
// The per-CPU template section (linux/percpu.h); weak: a program may link
// no per-CPU variable.
extern char __start_model_percpu[] __attribute__((weak, visibility("hidden")));
extern char __stop_model_percpu[] __attribute__((weak, visibility("hidden")));
long model_percpu_offset[MODEL_MAX_CPUS];
}

namespace model::internal {

__thread CpuLocal cpu_local;
Cpu cpus[MODEL_MAX_CPUS];

namespace {

constexpr int kIrqSignal = SIGUSR1;
constexpr int kNmiSignal = SIGUSR2;
constexpr unsigned long kTrapFlag = 0x100; // EFLAGS.TF
// Bounds on one single-step arming: instructions counted, traps taken
// (traps inside libc or a sanitizer runtime are taken but not counted).
constexpr unsigned long kMaxStepCount = 4000;
constexpr unsigned long kMaxStepTraps = 40000;

// Workloads that random interrupts run (model_set_workloads).
std::atomic<model_handler_t> workload_irq{nullptr};
std::atomic<model_handler_t> workload_nmi{nullptr};
std::atomic<void *> workload_arg{nullptr};

std::atomic<unsigned long> online_mask{0};
std::mutex boot_mutex; // Boot/Shutdown and per-CPU RunOn callers
std::mutex run_mutex[MODEL_MAX_CPUS];
int booted_cpus = 0;
bool handlers_installed = false;
bool stepping_enabled = true;

// The test program's own executable text: where single-step injection may
// land (never inside libc, the dynamic linker or a sanitizer runtime).
uintptr_t text_lo[8], text_hi[8];
int text_ranges = 0;

// Save and restore errno around a signal handler's body.
struct ErrnoGuard {
  int saved = errno;
  ~ErrnoGuard() { errno = saved; }
};

inline void SignalFence() { std::atomic_signal_fence(std::memory_order_seq_cst); }

inline Cpu *ThisCpu() { return cpu_local.cpu; }

bool InText(uintptr_t pc) {
  for (int i = 0; i < text_ranges; i++)
    if (pc >= text_lo[i] && pc < text_hi[i])
      return true;
  return false;
}

int FindText(struct dl_phdr_info *info, size_t, void *) {
  // The first object is the executable itself.
  for (int i = 0; i < info->dlpi_phnum && text_ranges < 8; i++) {
    const auto &ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X)) {
      text_lo[text_ranges] = info->dlpi_addr + ph.p_vaddr;
      text_hi[text_ranges] = text_lo[text_ranges] + ph.p_memsz;
      text_ranges++;
    }
  }
  return 1;
}

// Frames ----------------------------------------------------------------------

void NoteNesting(FrameKind kind, int depth) {
  Cpu *c = ThisCpu();
  if (!c)
    return; // a task's thread setting up, on no CPU yet
  if (depth >= 2) {
    auto below = cpu_local.frames[depth - 2].kind;
    c->stats.nested[int(kind)][int(below)].fetch_add(1, std::memory_order_relaxed);
  }
  int m = c->stats.max_depth.load(std::memory_order_relaxed);
  if (depth > m)
    c->stats.max_depth.store(depth, std::memory_order_relaxed);
}

Frame *PushFrame(FrameKind kind, const void *handler) {
  int d = cpu_local.depth;
  if (d >= kMaxFrames)
    Fatal(handler, "model", "interrupt frames nested deeper than %d", kMaxFrames);
  // Reserve the slot first: a signal landing now pushes above it.
  cpu_local.depth = d + 1;
  SignalFence();
  Frame &f = cpu_local.frames[d];
  f.kind = kind;
  f.handler = handler;
  f.entry_preempt_count = model_cpu_self.preempt_count;
  f.entry_irqs_off = model_cpu_self.irqs_off;
  SignalFence();
  f.serial = __atomic_add_fetch(&cpu_local.serials, 1, __ATOMIC_RELAXED);
  SignalFence();
  NoteNesting(kind, d + 1);
  return &f;
}

void PopFrame(Frame *f) {
  f->serial = 0;
  SignalFence();
  cpu_local.depth--;
  SignalFence();
}

// Run one handler inside frame f and check that it returns the state it
// was given: the interrupt mask and preempt_count (the kernel's
// "handler enabled interrupts" warning, and leaked preempt_disable or
// spinlocks). The state is repaired afterwards so the model can go on.
void CallHandler(Frame *f, model_handler_t fn, void *arg) {
  unsigned int pc = model_cpu_self.preempt_count;
  int off = model_cpu_self.irqs_off;
  f->handler = reinterpret_cast<const void *>(fn);
  SignalFence();
  fn(arg);
  SignalFence();
  const char *kind = FrameKindName(f->kind);
  if (model_cpu_self.irqs_off != off) {
    Violation(reinterpret_cast<const void *>(fn), "interrupt return",
              "%s handler %pS returned with IRQs %s (it was entered with them %s)", kind,
              reinterpret_cast<const void *>(fn), model_cpu_self.irqs_off ? "disabled" : "enabled",
              off ? "disabled" : "enabled");
    model_cpu_self.irqs_off = off;
  }
  if (model_cpu_self.preempt_count != pc) {
    Violation(reinterpret_cast<const void *>(fn), "interrupt return",
              "%s handler %pS returned with preempt_count %#x (entered with %#x)", kind,
              reinterpret_cast<const void *>(fn), model_cpu_self.preempt_count, pc);
    model_cpu_self.preempt_count = pc;
  }
  SignalFence();
}

// Leave an interrupt frame: the mask and preempt_count it found, then pop.
void FrameLeave(Frame *f) {
  SignalFence();
  model_cpu_self.preempt_count = f->entry_preempt_count;
  model_cpu_self.irqs_off = f->entry_irqs_off;
  PopFrame(f);
}

// Hard interrupts -----------------------------------------------------------

void HardirqDispatch() {
  Cpu *c = ThisCpu();
  model_jiffies_refresh(); // the tick
  Frame *f = PushFrame(FrameKind::kHardirq, nullptr);
  model_cpu_self.irqs_off = 1;
  model_cpu_self.preempt_count += MODEL_HARDIRQ_OFFSET;
  SignalFence();
  c->stats.irqs.fetch_add(1, std::memory_order_relaxed);
  model_handler_t fn;
  void *arg;
  while (c->irq_box.Take(&fn, &arg))
    CallHandler(f, fn, arg);
  if (c->ticks.exchange(0, std::memory_order_relaxed)) {
    if (auto w = workload_irq.load(std::memory_order_acquire))
      CallHandler(f, w, workload_arg.load(std::memory_order_relaxed));
  }
  FrameLeave(f);
}

// An interrupt arrives on this CPU (signal, or single-step injection).
void IrqArrive() {
  if (model_cpu_self.irqs_off) {
    __atomic_store_n(&model_cpu_self.irq_pending, 1, __ATOMIC_RELAXED);
    ThisCpu()->stats.pended.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  HardirqDispatch();
  if (!model_cpu_self.irqs_off && model_cpu_self.irq_pending)
    model_irq_replay();
}

// NMIs ------------------------------------------------------------------------

// nmi_enter(): a frame of its own, interrupts masked, the NMI and hardirq
// counts raised; FrameLeave restores what the frame found.
Frame *NmiEnter(const void *handler) {
  Frame *f = PushFrame(FrameKind::kNmi, handler);
  model_cpu_self.irqs_off = 1;
  model_cpu_self.preempt_count += MODEL_NMI_OFFSET + MODEL_HARDIRQ_OFFSET;
  SignalFence();
  return f;
}

void NmiDispatch() {
  Cpu *c = ThisCpu();
  Frame *f = NmiEnter(nullptr);
  c->stats.nmis.fetch_add(1, std::memory_order_relaxed);
  model_handler_t fn;
  void *arg;
  while (c->nmi_box.Take(&fn, &arg))
    CallHandler(f, fn, arg);
  if (c->nmi_ticks.exchange(0, std::memory_order_relaxed)) {
    if (auto w = workload_nmi.load(std::memory_order_acquire))
      CallHandler(f, w, workload_arg.load(std::memory_order_relaxed));
  }
  FrameLeave(f);
}

void NmiArrive() {
  if (model_cpu_self.preempt_count & MODEL_NMI_MASK) {
    // x86 holds one NMI while an NMI handler runs.
    __atomic_store_n(&model_cpu_self.nmi_pending, 1, __ATOMIC_RELAXED);
    return;
  }
  do {
    NmiDispatch();
  } while (__atomic_exchange_n(&model_cpu_self.nmi_pending, 0, __ATOMIC_RELAXED));
  // Interrupts that pended during the NMI are taken on its return.
  if (!model_cpu_self.irqs_off && model_cpu_self.irq_pending)
    model_irq_replay();
}

// Signal handlers -------------------------------------------------------------

void OnIrqSignal(int) {
  ErrnoGuard guard;
  if (model_cpu_self.cpu < 0)
    return;
  IrqArrive();
}

void OnNmiSignal(int) {
  ErrnoGuard guard;
  if (model_cpu_self.cpu < 0)
    return;
  NmiArrive();
}

inline void SetTrapFlag() {
  asm volatile("pushfq; orq %0, (%%rsp); popfq" : : "i"(kTrapFlag) : "memory", "cc");
}

inline void ClearTrapFlag() {
  asm volatile("pushfq; andq %0, (%%rsp); popfq" : : "i"(~kTrapFlag) : "memory", "cc");
}

} // namespace

bool TrapFlagSuspend() {
  unsigned long flags;
  asm volatile("pushfq; popq %0" : "=r"(flags) : : "memory");
  if (flags & kTrapFlag)
    ClearTrapFlag();
  return flags & kTrapFlag;
}

void TrapFlagResume(bool stepping) {
  if (stepping)
    SetTrapFlag();
}

namespace {

// Per-CPU areas (linux/percpu.h): a copy of the model_percpu section per
// possible CPU, made once before the first CPU starts, from the template
// (the section as linked, with its initial values).
void *percpu_areas[MODEL_MAX_CPUS]; // for the life of the process (and LSan)

void PercpuInit() {
  auto start = reinterpret_cast<uintptr_t>(__start_model_percpu);
  auto stop = reinterpret_cast<uintptr_t>(__stop_model_percpu);
  if (!__start_model_percpu || stop <= start)
    return; // no per-CPU variables linked in
  size_t size = (stop - start + 4095) & ~size_t(4095);
  for (int cpu = 0; cpu < MODEL_MAX_CPUS; cpu++) {
    void *copy = aligned_alloc(4096, size);
    if (!copy) {
      fprintf(stderr, "model: cannot allocate per-CPU areas (%zu bytes)\n", size);
      abort();
    }
    memcpy(copy, __start_model_percpu, stop - start);
    percpu_areas[cpu] = copy;
    model_percpu_offset[cpu] = long(reinterpret_cast<uintptr_t>(copy) - start);
  }
}

// Send an interrupt signal to the thread of the task holding a CPU. To
// another thread: tgkill to its kernel id, which fails with ESRCH once the
// thread has exited (a pthread_t read from Cpu::holder just before the
// task exited and was joined named freed memory: pthread_kill crashed in
// one run in 30 of rwlock.hammer_with_interrupts). To this thread:
// pthread_kill, which ThreadSanitizer intercepts to deliver a signal sent
// to oneself at once rather than at its next safe point. Either call is
// libc, which may block every signal around the syscall, so a single-step
// trap taken there would find SIGTRAP blocked and kill the process:
// stepping pauses over the call (not our text: no counted instruction is
// lost).
int KillCpuThread(Task *task, int sig) {
  if (!task)
    return ESRCH; // not started yet
  bool stepping = TrapFlagSuspend();
  int err;
  if (task == task_self) {
    err = pthread_kill(pthread_self(), sig);
  } else {
    pid_t tid = task->tid.load(std::memory_order_seq_cst);
    err = !tid ? ESRCH : syscall(SYS_tgkill, getpid(), tid, sig) ? errno : 0;
  }
  TrapFlagResume(stepping);
  return err;
}

// One single-step trap: count it, or deliver the armed injection.
void OnTrap(int, siginfo_t *si, void *ucv) {
  if (KprobeTrap(si, ucv))
    return;
  auto *uc = static_cast<ucontext_t *>(ucv);
  greg_t &eflags = uc->uc_mcontext.gregs[REG_EFL];
  auto pc = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
  StepState &st = cpu_local.step;
  if (st.mode == StepMode::kOff || model_cpu_self.cpu < 0 || ++st.traps > kMaxStepTraps) {
    eflags &= ~greg_t(kTrapFlag);
    st.mode = StepMode::kOff;
    return;
  }
  if (!InText(pc))
    return; // inside libc or a runtime: keep stepping
  if (st.mode == StepMode::kCounting) {
    if (++st.counted >= kMaxStepCount) {
      eflags &= ~greg_t(kTrapFlag);
      st.mode = StepMode::kOff;
    }
    return;
  }
  if (--st.countdown > 0)
    return;
  eflags &= ~greg_t(kTrapFlag);
  st.mode = StepMode::kOff;
  st.fired = 1;
  ErrnoGuard guard;
  Cpu *c = ThisCpu();
  c->stats.stepped.fetch_add(1, std::memory_order_relaxed);
  if (st.kind == MODEL_STEP_NMI) {
    c->nmi_ticks.fetch_add(1, std::memory_order_relaxed);
    NmiArrive();
  } else {
    c->ticks.fetch_add(1, std::memory_order_relaxed);
    IrqArrive();
  }
}

void InstallHandlers() {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sa.sa_handler = OnIrqSignal; // SIGUSR1 itself stays blocked inside
  sigaction(kIrqSignal, &sa, nullptr);
  sa.sa_handler = OnNmiSignal; // SIGUSR2 itself stays blocked inside
  sigaction(kNmiSignal, &sa, nullptr);
  // SA_NODEFER: an interrupt taken inside the trap handler (a kprobe
  // handler runs there) may hit another kprobe's int3, which must trap
  // again, not find SIGTRAP blocked (the kernel would kill the process).
  sa.sa_flags = SA_RESTART | SA_SIGINFO | SA_NODEFER;
  sa.sa_sigaction = OnTrap;
  sigaction(SIGTRAP, &sa, nullptr);
  dl_iterate_phdr(FindText, nullptr);
  stepping_enabled = EnvU64("SOLCOMPAT_MODEL_STEP", 1) != 0;
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer's signal wrapper runs its own runtime on every trap; a
  // trap that lands inside that runtime (stepping goes through it, between
  // our instructions) re-enters it and deadlocks. No single-stepping here.
  stepping_enabled = false;
#endif
  // Threads that are not CPUs never take the model's interrupts.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, kIrqSignal);
  sigaddset(&set, kNmiSignal);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

// CPU threads -------------------------------------------------------------------

} // namespace

void ResetCpuState() {
  ClearTrapFlag();
  cpu_local.step.mode = StepMode::kOff;
  model_cpu_self.preempt_count = 0;
  model_cpu_self.irqs_off = 0;
  model_cpu_self.irq_pending = 0;
  model_cpu_self.nmi_pending = 0;
  for (auto &f : cpu_local.frames)
    f.serial = 0;
  cpu_local.depth = 0;
  PushFrame(FrameKind::kTask, nullptr);
}

namespace {

void FinishWork(Cpu *c, Work *w) {
  w->preempt_count = model_cpu_self.preempt_count;
  w->irqs_off = model_cpu_self.irqs_off;
  w->depth = cpu_local.depth;
  w->irq_pending = model_cpu_self.irq_pending;
  // Work that leaked a frame, preemption or the mask is reported by its
  // caller (RunResult); the next work must not inherit it.
  if (w->preempt_count || w->irqs_off || w->depth != 1 || w->irq_pending)
    ResetCpuState();
  c->work.store(nullptr, std::memory_order_seq_cst);
  w->done.store(1, std::memory_order_release);
  FutexWake(&w->done);
}

// The boot task of a CPU: the dispatch loop that runs model::RunOn's work
// in task context, sleeping in schedule() while there is none.
void *CpuMain(void *arg) {
  Cpu *c = static_cast<Cpu *>(arg);
  Task *t = BootTask(c->id);
  TaskThreadInit(t);
  BootTaskWaitForCpu(t); // the first work wakes it
  // Fatal violations come back here, from the work or from an interrupt
  // that hit this task.
  if (sigsetjmp(cpu_local.recovery, 1) != 0) {
    ResetCpuState();
    if (Work *w = c->work.load(std::memory_order_acquire)) {
      w->aborted = true;
      FinishWork(c, w);
    }
  }
  cpu_local.have_recovery = 1;
  for (;;) {
    Work *w = c->work.load(std::memory_order_seq_cst);
    if (!w) {
      t->awaiting_work = true;
      __atomic_store_n(&t->ts.__state, MODEL_TASK_INTERRUPTIBLE, __ATOMIC_SEQ_CST);
      if (c->work.load(std::memory_order_seq_cst))
        __atomic_store_n(&t->ts.__state, MODEL_TASK_RUNNING, __ATOMIC_SEQ_CST);
      else
        model_schedule(-1, "model dispatch loop");
      t->awaiting_work = false;
      continue;
    }
    if (!w->fn)
      break;
    w->fn(w->arg);
    FinishWork(c, w);
  }
  cpu_local.have_recovery = 0;
  Work *w = c->work.load(std::memory_order_acquire);
  BootTaskExit(t); // the CPU goes to its idle task
  w->done.store(1, std::memory_order_release);
  FutexWake(&w->done);
  return nullptr;
}

// Post work to a CPU's boot task and wait for it (callers serialised per CPU).
void Post(Cpu *c, Work *w) {
  c->work.store(w, std::memory_order_seq_cst);
  WakeTask(BootTask(c->id));
  while (!w->done.load(std::memory_order_acquire))
    FutexWait(&w->done, 0);
}

void StopCpus() {
  if (booted_cpus)
    TimerServicesStop(); // they need the CPUs to exit
  for (int i = 0; i < booted_cpus; i++) {
    Cpu *c = &cpus[i];
    std::lock_guard<std::mutex> lock(run_mutex[i]);
    Work w{};
    w.fn = nullptr;
    Post(c, &w);
    pthread_join(c->thread, nullptr);
    c->idle_stop.store(true, std::memory_order_release);
    sem_post(&c->idle_sem);
    pthread_join(c->idle_thread, nullptr);
    c->online.store(false, std::memory_order_release);
    online_mask.fetch_and(~(1UL << i), std::memory_order_acq_rel);
    __atomic_store_n(&model_cpu_online_bits[0], online_mask.load(), __ATOMIC_RELEASE);
  }
  booted_cpus = 0;
}

// The random injector -----------------------------------------------------------

struct Injector {
  std::mutex mu;
  std::condition_variable cv;
  bool running = false; // the thread exists
  bool stop = false;    // the thread should exit
  bool sending = false; // requested state
  bool idle = true;     // the thread has acknowledged "not sending"
  std::mt19937_64 rng{1};
  std::thread thread;
  unsigned max_interval_us = 200;
  unsigned nmi_percent = 10;
} injector;

void InjectorMain() {
  // Microsecond-granular sleeps: the default 50 us timer slack would make
  // every interval at least that long.
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  std::unique_lock<std::mutex> lock(injector.mu);
  for (;;) {
    if (injector.stop)
      return;
    if (!injector.sending) {
      injector.idle = true;
      injector.cv.notify_all();
      injector.cv.wait(lock);
      continue;
    }
    injector.idle = false;
    unsigned lo = std::max(1u, injector.max_interval_us / 10);
    auto us = std::uniform_int_distribution<unsigned>(lo, injector.max_interval_us)(injector.rng);
    injector.cv.wait_for(lock, std::chrono::microseconds(us));
    if (!injector.sending || injector.stop)
      continue;
    // Aim at a CPU running test work three times out of four.
    int targets[MODEL_MAX_CPUS], n = 0, busy[MODEL_MAX_CPUS], nb = 0;
    for (int i = 0; i < booted_cpus; i++) {
      if (!cpus[i].online.load(std::memory_order_acquire))
        continue;
      targets[n++] = i;
      if (cpus[i].busy.load(std::memory_order_relaxed))
        busy[nb++] = i;
    }
    if (!n)
      continue;
    bool aim = nb && injector.rng() % 4 != 0;
    int cpu = aim ? busy[injector.rng() % nb] : targets[injector.rng() % n];
    bool nmi = injector.rng() % 100 < injector.nmi_percent;
    Cpu *c = &cpus[cpu];
    (nmi ? c->nmi_ticks : c->ticks).fetch_add(1, std::memory_order_relaxed);
    c->stats.injected.fetch_add(1, std::memory_order_relaxed);
    KillCpuThread(c->holder.load(std::memory_order_seq_cst), nmi ? kNmiSignal : kIrqSignal);
  }
}

void StopInjector() {
  {
    std::lock_guard<std::mutex> lock(injector.mu);
    if (!injector.running)
      return;
    injector.stop = true;
    injector.cv.notify_all();
  }
  injector.thread.join();
  injector.running = false;
  injector.stop = false;
  injector.idle = true;
  injector.sending = false;
}

struct TrampolineArg {
  const std::function<void()> *fn;
};

void RunTrampoline(void *arg) { (*static_cast<TrampolineArg *>(arg)->fn)(); }

void CsdTrampoline(void *arg) {
  auto *csd = static_cast<model_csd *>(arg);
  auto fn = csd->func;
  void *info = csd->info;
  // Released before the call, as Linux does for async csds, so that the
  // function may send it again.
  __atomic_store_n(&csd->in_flight, 0, __ATOMIC_RELEASE);
  fn(info);
}

} // namespace

const char *FrameKindName(FrameKind kind) {
  switch (kind) {
  case FrameKind::kTask:
    return "task";
  case FrameKind::kHardirq:
    return "hardirq";
  case FrameKind::kNmi:
    return "nmi";
  case FrameKind::kProbe:
    return "probe";
  }
  return "?";
}

bool Mailbox::Post(model_handler_t fn, void *arg) {
  for (auto &s : slots) {
    int expected = 0;
    if (s.state.compare_exchange_strong(expected, 1, std::memory_order_acquire)) {
      s.fn = fn;
      s.arg = arg;
      s.state.store(2, std::memory_order_seq_cst);
      return true;
    }
  }
  return false;
}

bool Mailbox::Take(model_handler_t *fn, void **arg) {
  for (auto &s : slots) {
    if (s.state.load(std::memory_order_acquire) != 2)
      continue;
    *fn = s.fn;
    *arg = s.arg;
    s.state.store(0, std::memory_order_release);
    return true;
  }
  return false;
}

void FutexWait(std::atomic<uint32_t> *word, uint32_t expected) {
  syscall(SYS_futex, reinterpret_cast<uint32_t *>(word), FUTEX_WAIT_PRIVATE, expected, nullptr,
          nullptr, 0);
}

void FutexWaitNs(std::atomic<uint32_t> *word, uint32_t expected, uint64_t ns) {
  struct timespec ts = {time_t(ns / 1000000000ull), long(ns % 1000000000ull)};
  syscall(SYS_futex, reinterpret_cast<uint32_t *>(word), FUTEX_WAIT_PRIVATE, expected, &ts, nullptr,
          0);
}

void ResignalPending() {
  for (int i = 0; i < MODEL_MAX_CPUS; i++) {
    Cpu *c = &cpus[i];
    if (!c->online.load(std::memory_order_acquire))
      continue;
    bool irq = c->irq_box.HasReady(), nmi = c->nmi_box.HasReady();
    if (irq)
      KillCpuThread(c->holder.load(std::memory_order_seq_cst), kIrqSignal);
    if (nmi)
      KillCpuThread(c->holder.load(std::memory_order_seq_cst), kNmiSignal);
#if defined(__SANITIZE_THREAD__)
    // An idle CPU whose thread ThreadSanitizer left with every signal
    // blocked inside sem_wait's own signal processing (RepairSignalMask)
    // sleeps through the signal: wake its idle loop, which repairs the
    // mask before it waits again, and the pending signal is delivered.
    if ((irq || nmi) && !c->busy.load(std::memory_order_relaxed))
      sem_post(&c->idle_sem);
#endif
  }
}

void TakeMissedInterrupts() {
  Cpu *c = ThisCpu();
  if (c->nmi_box.HasReady() || c->nmi_ticks.load(std::memory_order_seq_cst))
    NmiArrive();
  if (c->irq_box.HasReady() || c->ticks.load(std::memory_order_seq_cst))
    IrqArrive();
}

bool Mailbox::HasReady() const {
  for (auto &s : slots)
    if (s.state.load(std::memory_order_seq_cst) == 2)
      return true;
  return false;
}

void FutexWake(std::atomic<uint32_t> *word) {
  syscall(SYS_futex, reinterpret_cast<uint32_t *>(word), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr,
          nullptr, 0);
}

void RepairSignalMask() {
#if defined(__SANITIZE_THREAD__)
  if (model_cpu_self.cpu < 0 || cpu_local.depth > 1)
    return;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, kIrqSignal);
  sigaddset(&set, kNmiSignal);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
#endif
}

void HostYield() {
  sched_yield();
#if defined(__SANITIZE_THREAD__)
  struct timespec zero = {0, 0};
  nanosleep(&zero, nullptr);
  RepairSignalMask();
  // ThreadSanitizer may still hold back this CPU's interrupt signal (a CPU
  // spinning in hrtimer_cancel for an expiry in its own mailbox waited
  // for minutes, twice in one CI run). A spin is where an interrupt lands:
  // take what the mailboxes hold, as the signal would have.
  if (model_cpu_self.cpu >= 0) {
    Cpu *c = ThisCpu();
    if (c->nmi_box.HasReady())
      NmiArrive();
    if (!model_cpu_self.irqs_off && c->irq_box.HasReady())
      IrqArrive();
  }
#endif
}

unsigned long IrqSave() {
  SignalFence();
  unsigned long flags = model_cpu_self.irqs_off ? 0 : MODEL_EFLAGS_IF;
  model_cpu_self.irqs_off = 1;
  SignalFence();
  return flags;
}

void IrqRestore(unsigned long flags) {
  SignalFence();
  if (!(flags & MODEL_EFLAGS_IF))
    return;
  model_cpu_self.irqs_off = 0;
  SignalFence();
  if (model_cpu_self.irq_pending)
    model_irq_replay();
}

void DescribeContext(char *buf, size_t size) {
  if (model_cpu_self.cpu < 0) {
    Format(buf, size, "not on a simulated CPU");
    return;
  }
  size_t n = Format(buf, size, "CPU %d, ", model_cpu_self.cpu);
  int depth = cpu_local.depth;
  for (int i = depth - 1; i >= 0 && n < size; i--)
    n +=
        Format(buf + n, size - n, "%s%s", FrameKindName(cpu_local.frames[i].kind), i ? " on " : "");
  if (n < size)
    Format(buf + n, size - n, ", preempt_count %#x, IRQs %s", model_cpu_self.preempt_count,
           model_cpu_self.irqs_off ? "off" : "on");
}

uint64_t MonoNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

uint64_t EnvU64(const char *name, uint64_t fallback) {
  const char *v = getenv(name);
  if (!v || !*v)
    return fallback;
  char *end;
  uint64_t x = strtoull(v, &end, 0);
  return *end ? fallback : x;
}

[[noreturn]] void FatalAbort(const char *why) {
  if (model_cpu_self.cpu >= 0 && cpu_local.have_recovery)
    siglongjmp(cpu_local.recovery, 1);
  RawWrite("solcompat model: fatal outside a simulated CPU's work: ");
  RawWrite(why);
  RawWrite("\n");
  abort();
}

} // namespace model::internal

using namespace model::internal;

// The C ABI of the stand-in headers ---------------------------------------------

extern "C" void model_irq_replay(void) {
  if (model_cpu_self.cpu < 0) {
    model_cpu_self.irq_pending = 0;
    return;
  }
  while (!model_cpu_self.irqs_off &&
         __atomic_exchange_n(&model_cpu_self.irq_pending, 0, __ATOMIC_RELAXED)) {
    ThisCpu()->stats.replayed.fetch_add(1, std::memory_order_relaxed);
    HardirqDispatch();
  }
}

extern "C" void model_irq_restore_bogus(void) {
  Violation(__builtin_return_address(0), "raw_local_irq_restore",
            "called with IRQs enabled (restoring a state saved elsewhere?)");
}

extern "C" void model_preempt_underflow(const char *api) {
  Violation(__builtin_return_address(0), api,
            "preempt_count underflow: more preempt_enable than preempt_disable");
}

extern "C" void model_smp_processor_id_preemptible(void) {
  Violation(__builtin_return_address(0), "smp_processor_id",
            "using smp_processor_id() in preemptible code (use raw_ or disable preemption)");
}

extern "C" void model_not_a_cpu(const char *api) {
  RawWrite("solcompat model: ");
  RawWrite(api);
  RawWrite(" called on a thread that is not a simulated CPU (run kernel code with model::RunOn)\n");
  abort();
}

extern "C" void model_might_sleep(const char *file, int line, const char *func) {
  if (model_cpu_self.preempt_count == 0 && !model_cpu_self.irqs_off)
    return;
  Violation(__builtin_return_address(0), func,
            "sleeping function called from invalid context (might_sleep at %s:%d)", file, line);
}

// An interrupt a CPU sends itself (a self-IPI) arrives right after the
// instruction that sent it, so it is delivered here and now, not through a
// signal: the same as the signal path, minus its dependence on when the host
// (or ThreadSanitizer, which defers signals inside handlers) delivers it.
extern "C" int model_raise_irq(int cpu, model_handler_t fn, void *arg) {
  if (cpu < 0 || cpu >= MODEL_MAX_CPUS || !cpus[cpu].online.load(std::memory_order_acquire))
    return -1;
  if (!cpus[cpu].irq_box.Post(fn, arg))
    return -1;
  if (cpu == model_cpu_self.cpu)
    IrqArrive();
  else
    KillCpuThread(cpus[cpu].holder.load(std::memory_order_seq_cst), kIrqSignal);
  return 0;
}

namespace model::internal {

// Post fn to this CPU's interrupt mailbox without delivering it; the
// caller then marks an interrupt pending (model_cpu_self.irq_pending), and
// it is taken where this CPU next enables interrupts (at the latest when
// the frame it runs in returns), as an interrupt arriving a few
// instructions later.
bool PostIrqLater(model_handler_t fn, void *arg) {
  int cpu = model_cpu_self.cpu;
  return cpu >= 0 && cpus[cpu].irq_box.Post(fn, arg);
}

} // namespace model::internal

extern "C" int model_raise_nmi(int cpu, model_handler_t fn, void *arg) {
  if (cpu < 0 || cpu >= MODEL_MAX_CPUS || !cpus[cpu].online.load(std::memory_order_acquire))
    return -1;
  if (!cpus[cpu].nmi_box.Post(fn, arg))
    return -1;
  if (cpu == model_cpu_self.cpu)
    NmiArrive();
  else
    KillCpuThread(cpus[cpu].holder.load(std::memory_order_seq_cst), kNmiSignal);
  return 0;
}

extern "C" void model_probe(model_handler_t fn, void *arg) {
  if (model_cpu_self.cpu < 0)
    model_not_a_cpu("model_probe");
  Frame *f = PushFrame(FrameKind::kProbe, reinterpret_cast<const void *>(fn));
  ThisCpu()->stats.probes.fetch_add(1, std::memory_order_relaxed);
  model_cpu_self.preempt_count += 1;
  SignalFence();
  CallHandler(f, fn, arg);
  FrameLeave(f);
  if (!model_cpu_self.irqs_off && model_cpu_self.irq_pending)
    model_irq_replay();
}

namespace model::internal {

int ProbeFrames() {
  int n = 0;
  for (int d = 0; d < cpu_local.depth; d++)
    if (cpu_local.frames[d].kind == FrameKind::kProbe)
      n++;
  return n;
}

bool InProbeFrame() { return ProbeFrames() > 0; }

bool InnermostFrameIsProbe() {
  return cpu_local.depth > 0 && cpu_local.frames[cpu_local.depth - 1].kind == FrameKind::kProbe;
}

void RunTrapHandler(bool nmi, model_handler_t fn, void *arg) {
  if (!nmi) {
    model_probe(fn, arg);
    return;
  }
  // int3 from kernel mode: irqentry_nmi_enter(), interrupts stay off. What
  // pends is taken after the single step of the displaced instruction.
  Frame *f = NmiEnter(reinterpret_cast<const void *>(fn));
  CallHandler(f, fn, arg);
  FrameLeave(f);
}

} // namespace model::internal

extern "C" int model_smp_call_async(int cpu, model_csd *csd) {
  if (cpu < 0 || cpu >= MODEL_MAX_CPUS || !cpus[cpu].online.load(std::memory_order_acquire))
    return -ENXIO;
  if (__atomic_exchange_n(&csd->in_flight, 1, __ATOMIC_ACQUIRE))
    return -EBUSY;
  if (cpu == model_cpu_self.cpu) {
    // Linux runs a csd for the calling CPU at once, interrupts off.
    unsigned long flags = IrqSave();
    CsdTrampoline(csd);
    IrqRestore(flags);
    return 0;
  }
  // The kernel's queue never fills; the model's mailbox is bounded, so wait
  // for the target to drain it (it is taking interrupts, or will).
  uint64_t start = MonoNs();
  while (model_raise_irq(cpu, CsdTrampoline, csd) != 0) {
    if (MonoNs() - start > uint64_t(lockup_ns.load(std::memory_order_relaxed)))
      Fatal(__builtin_return_address(0), "smp_call_function_single_async",
            "CPU %d's IPI mailbox stayed full", cpu);
    HostYield();
  }
  return 0;
}

// cpu_online_mask's bits, for code that reads the mask words directly.
extern "C" {
unsigned long model_cpu_online_bits[MODEL_CPUMASK_LONGS];
}

extern "C" unsigned long model_cpu_online_mask(void) {
  return online_mask.load(std::memory_order_acquire);
}

extern "C" void model_cpu_relax_yield(void) {
  HostYield();
  model_jiffies_refresh();
  MaybePreempt();
}

extern "C" void model_step_arm(unsigned long countdown, int kind) {
  if (!stepping_enabled || !countdown || model_cpu_self.cpu < 0)
    return;
  StepState &st = cpu_local.step;
  st.kind = kind;
  st.fired = 0;
  st.countdown = countdown;
  st.traps = 0;
  SignalFence();
  st.mode = StepMode::kArmed;
  SignalFence();
  SetTrapFlag();
}

extern "C" int model_step_disarm(void) {
  if (!stepping_enabled || model_cpu_self.cpu < 0)
    return 0;
  cpu_local.step.mode = StepMode::kOff;
  SignalFence();
  ClearTrapFlag();
  return cpu_local.step.fired;
}

extern "C" void model_step_count_begin(void) {
  if (!stepping_enabled || model_cpu_self.cpu < 0)
    return;
  StepState &st = cpu_local.step;
  st.counted = 0;
  st.traps = 0;
  SignalFence();
  st.mode = StepMode::kCounting;
  SignalFence();
  SetTrapFlag();
}

extern "C" unsigned long model_step_count_end(void) {
  if (!stepping_enabled || model_cpu_self.cpu < 0)
    return 0;
  cpu_local.step.mode = StepMode::kOff;
  SignalFence();
  ClearTrapFlag();
  return cpu_local.step.counted;
}

extern "C" void model_set_workloads(model_handler_t hardirq, model_handler_t nmi, void *arg) {
  workload_arg.store(arg, std::memory_order_relaxed);
  workload_irq.store(hardirq, std::memory_order_release);
  workload_nmi.store(nmi, std::memory_order_release);
}

extern "C" void model_udelay(unsigned long usecs) {
  uint64_t end = MonoNs() + uint64_t(usecs) * 1000;
  unsigned n = 0;
  while (MonoNs() < end) {
    asm volatile("pause" ::: "memory");
    if ((++n & 255) == 0) {
      HostYield();
      model_jiffies_refresh();
    }
  }
}

extern "C" unsigned long long ktime_get_mono_fast_ns(void) { return MonoNs(); }

extern "C" unsigned long long ktime_get_real_fast_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

// The C++ interface ---------------------------------------------------------------

namespace model {

namespace {
uint64_t the_seed = 0;
std::once_flag seed_once;
} // namespace

uint64_t Seed() {
  std::call_once(seed_once, [] {
    the_seed = EnvU64("SOLCOMPAT_MODEL_SEED", 0);
    if (!the_seed)
      the_seed = std::random_device{}() * 0x100000001ull ^ MonoNs();
  });
  return the_seed;
}

uint64_t DerivedSeed(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ull; // FNV-1a, then mixed with the seed
  for (char ch : name)
    h = (h ^ uint8_t(ch)) * 0x100000001b3ull;
  uint64_t x = h ^ Seed();
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  return x ? x : 1;
}

void Boot(int n) {
  n = std::clamp(n, 1, MODEL_MAX_CPUS);
  std::lock_guard<std::mutex> lock(boot_mutex);
  if (!handlers_installed) {
    PercpuInit();
    InstallHandlers();
    handlers_installed = true;
    injector.max_interval_us = unsigned(EnvU64("SOLCOMPAT_MODEL_IRQ_INTERVAL_US", 200));
    injector.nmi_percent = unsigned(EnvU64("SOLCOMPAT_MODEL_NMI_PERCENT", 10));
    lockup_ns.store(int64_t(EnvU64("SOLCOMPAT_MODEL_LOCKUP_MS", 2000)) * 1000000);
  }
  SchedInit(); // the hung-task bound: a test may change it between boots
  if (n == booted_cpus)
    return;
  bool was_sending;
  {
    std::unique_lock<std::mutex> ilock(injector.mu);
    was_sending = injector.sending;
  }
  PauseInjection();
  StopCpus();
  for (int i = 0; i < n; i++) {
    Cpu *c = &cpus[i];
    c->id = i;
    c->work.store(nullptr);
    c->ticks.store(0);
    c->nmi_ticks.store(0);
    if (!c->idle_sem_ready) {
      sem_init(&c->idle_sem, 0, 0);
      c->idle_sem_ready = true;
    }
    c->idle_started.store(0);
    c->idle_stop.store(false);
    AllocCpuInit(i);
    TaskPrepareBoot(i);
    // The idle task holds the CPU first; the boot task sleeps until work.
    pthread_create(&c->idle_thread, nullptr, IdleMain, c);
    while (!c->idle_started.load(std::memory_order_acquire))
      FutexWait(&c->idle_started, 0);
    pthread_create(&c->thread, nullptr, CpuMain, c);
    BootTask(i)->thread = c->thread; // before anything can wake it
    c->online.store(true, std::memory_order_release);
    online_mask.fetch_or(1UL << i, std::memory_order_acq_rel);
    __atomic_store_n(&model_cpu_online_bits[0], online_mask.load(), __ATOMIC_RELEASE);
  }
  booted_cpus = n;
  TimerServicesStart(n);
  {
    std::lock_guard<std::mutex> ilock(injector.mu);
    if (!injector.running) {
      injector.running = true;
      injector.thread = std::thread(InjectorMain);
    }
  }
  if (was_sending)
    ResumeInjection();
}

int CpuCount() {
  std::lock_guard<std::mutex> lock(boot_mutex);
  return booted_cpus;
}

void Shutdown() {
  std::lock_guard<std::mutex> lock(boot_mutex);
  StopInjector();
  StopCpus();
}

RunResult RunOn(int cpu, const std::function<void()> &fn) {
  RunResult r;
  if (cpu < 0 || cpu >= MODEL_MAX_CPUS || !cpus[cpu].online.load(std::memory_order_acquire)) {
    r.aborted = true;
    return r;
  }
  std::lock_guard<std::mutex> lock(run_mutex[cpu]);
  TrampolineArg ta{&fn};
  Work w{};
  w.fn = RunTrampoline;
  w.arg = &ta;
  Post(&cpus[cpu], &w);
  r.aborted = w.aborted;
  r.preempt_count = w.preempt_count;
  r.irqs_off = w.irqs_off;
  r.frame_depth = w.depth;
  r.irq_pending = w.irq_pending;
  return r;
}

CpuState ThisCpuState() {
  CpuState s;
  s.cpu = model_cpu_self.cpu;
  s.preempt_count = model_cpu_self.preempt_count;
  s.irqs_off = model_cpu_self.irqs_off;
  s.irq_pending = model_cpu_self.irq_pending;
  s.frame_depth = cpu_local.depth;
  return s;
}

void SeedInjector(uint64_t seed) {
  std::lock_guard<std::mutex> lock(injector.mu);
  injector.rng.seed(seed);
}

void ResumeInjection() {
  std::lock_guard<std::mutex> lock(injector.mu);
  if (!injector.running || injector.max_interval_us == 0)
    return;
  injector.sending = true;
  injector.cv.notify_all();
}

void PauseInjection() {
  std::unique_lock<std::mutex> lock(injector.mu);
  injector.sending = false;
  injector.cv.notify_all();
  if (!injector.running)
    return;
  injector.cv.wait(lock, [] { return injector.idle; });
}

bool InjectionEnabledByDefault() { return EnvU64("SOLCOMPAT_MODEL_INJECT", 1) != 0; }

bool SteppingEnabled() {
  std::lock_guard<std::mutex> lock(boot_mutex);
  return stepping_enabled;
}

void Quiesce() {
  PauseInjection();
  int n = CpuCount();
  // Each CPU passes through its dispatch loop, so signals sent to it before
  // have been delivered (on its way back to user mode) and handled.
  for (int i = 0; i < n; i++)
    RunOn(i, [] {});
}

Stats GetStats() {
  Stats s;
  for (auto &c : cpus) {
    auto &cs = c.stats;
    s.irqs += cs.irqs.load();
    s.nmis += cs.nmis.load();
    s.pended += cs.pended.load();
    s.replayed += cs.replayed.load();
    s.injected += cs.injected.load();
    s.stepped += cs.stepped.load();
    s.probes += cs.probes.load();
    for (int a = 0; a < 4; a++)
      for (int b = 0; b < 4; b++)
        s.nested[a][b] += cs.nested[a][b].load();
    s.max_depth = std::max(s.max_depth, cs.max_depth.load());
  }
  return s;
}

std::string FormatStats(const Stats &s) {
  char buf[1024];
  auto nest = [&](FrameKind a, FrameKind b) { return s.nested[int(a)][int(b)]; };
  snprintf(buf, sizeof(buf),
           "hardirqs %llu (%llu injected at random, %llu single-stepped; %llu arrived "
           "masked, %llu replayed), NMIs %llu, probes %llu; nesting: hardirq on probe "
           "%llu, nmi on hardirq %llu, nmi on probe %llu, probe on hardirq %llu, "
           "max depth %d",
           (unsigned long long)s.irqs, (unsigned long long)s.injected,
           (unsigned long long)s.stepped, (unsigned long long)s.pended,
           (unsigned long long)s.replayed, (unsigned long long)s.nmis, (unsigned long long)s.probes,
           (unsigned long long)nest(FrameKind::kHardirq, FrameKind::kProbe),
           (unsigned long long)nest(FrameKind::kNmi, FrameKind::kHardirq),
           (unsigned long long)nest(FrameKind::kNmi, FrameKind::kProbe),
           (unsigned long long)nest(FrameKind::kProbe, FrameKind::kHardirq), s.max_depth);
  return buf;
}

std::string DescribeCpus() {
  std::string out;
  for (int i = 0; i < MODEL_MAX_CPUS; i++) {
    Cpu *c = &cpus[i];
    if (!c->online.load(std::memory_order_acquire))
      continue;
    Task *t = c->curr.load(std::memory_order_acquire);
    char buf[160];
    snprintf(buf, sizeof(buf), "%scpu%d: %s, ticks owed %u/%u nmi", out.empty() ? "" : "; ", i,
             t ? t->ts.comm : "(no task)", c->ticks.load(), c->nmi_ticks.load());
    out += buf;
    std::string queued = DescribeRunQueue(i);
    if (!queued.empty())
      out += ", queued: " + queued;
    for (auto *box : {&c->irq_box, &c->nmi_box})
      for (auto &slot : box->slots)
        if (slot.state.load(std::memory_order_acquire) == 2)
          out += std::string(box == &c->irq_box ? ", irq " : ", nmi ") +
                 Symbolize(reinterpret_cast<const void *>(slot.fn)) + " waits";
  }
  return out;
}

} // namespace model
