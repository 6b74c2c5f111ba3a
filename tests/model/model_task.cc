// SPDX-License-Identifier: GPL-2.0
//
// Tasks and the scheduler of the kernel model.
//
// Big Theory Statement
// --------------------
// linux/'s lock families sleep (schedule(), wait queues, timeouts), its task
// queues run kernel threads, and the conformance cases start groups of
// threads that are not bound to a CPU. So the model has tasks, more of them
// than CPUs, and a small scheduler.
//
// Tasks and CPUs. A task is a host thread with a Task record (its
// struct task_struct first, so `current` is &task->ts). It runs kernel code
// only while it holds a simulated CPU: Cpu::curr names the holder and
// Cpu::holder its thread, which is where that CPU's interrupts are sent
// (model_cpu.cc). The thread-local CPU state (model_cpu_self, cpu_local)
// belongs to the thread: its preempt_count and interrupt frames are the
// task's, its cpu field says which CPU it holds (-1: none). Kinds of task:
//   boot  one per CPU, bound to it, "cpu<N>": runs the work model::RunOn
//         hands that CPU (the dispatch loop of model_cpu.cc); it sleeps in
//         schedule() while it has none;
//   idle  one per CPU, "swapper/<N>": holds the CPU when no task does,
//         waiting in sem_wait, where it takes the CPU's interrupts; it is
//         never on a run queue;
//   kthread  kthread_create() and the conformance runner's thread groups:
//         unbound, created stopped, woken by wake_up_process().
//
// Switching. One global scheduler lock (an atomic flag, taken with the
// model's interrupts masked on the CPU that takes it, so an interrupt on that
// CPU cannot try to take it again; NMIs never take it: waking from NMI is a
// violation, as in the kernel) protects every run queue, task state and wait
// queue. A task leaves its CPU only from inside the scheduler (schedule(),
// yield, exit): under the lock it picks the next task (its CPU's run queue,
// else an unbound task queued elsewhere, else the idle task), marks itself
// off-CPU, stops answering the CPU's interrupts (cpu = -1), publishes the
// next task as holder and hands it the CPU through that task's futex word.
// The next task then attaches: it takes the CPU id, and since a signal may
// have gone to the previous holder in between, it looks in the CPU's
// mailboxes and takes what is there as if the signal had reached it (an
// interrupt pends until its own interrupts-off section ends, an NMI runs at
// once). The raiser posts before it reads the holder and the switcher
// stores the holder before the next task looks, all sequentially
// consistent, so a posted interrupt is either signalled to the thread that
// takes it or seen at attach; a random tick that reached a thread in
// between is lost, which only makes the interval longer. Under
// ThreadSanitizer, which holds signals back until its own safe points, a
// posted interrupt was once seen to sit in a mailbox with its signal lost;
// so the clock thread (model_timer.cc) re-signals every CPU with a
// non-empty mailbox every 2 ms, as a level-triggered line stays asserted.
//
// Sleeping and waking follow the kernel's protocol: a task sets its state
// (set_current_state), checks its condition, calls schedule(); a waker sets
// the state back to TASK_RUNNING under the lock and, if the task is off its
// CPU, queues it (on its bound CPU, else preferably an idle CPU, else where
// it ran last) and kicks that CPU's idle task. schedule() with the state
// already TASK_RUNNING returns at once, so a wake between the check and
// schedule() is never lost; with TASK_INTERRUPTIBLE and a signal pending it
// does not sleep either. A timeout is the waiting thread's own: when it
// passes, the thread wakes itself under the lock (as the kernel's timer
// would) and waits for a CPU.
//
// Preemption. No timer preempts a task, but a preemptible task (preempt
// count 0, interrupts on) gives its CPU to a waiting task in cond_resched(),
// yield() and every 64th cpu_relax() (a spinning task is where the kernel's
// tick would preempt), and need_resched() says whether one waits. Tasks
// therefore migrate between CPUs, and smp_processor_id() in preemptible
// code is still a violation.
//
// Enforcement (violations, see model_cpu.cc):
//   - schedule() and every sleeping call outside preemptible task context
//     ("scheduling while atomic"): reported, and the call returns without
//     sleeping;
//   - wake_up_process() and wake_up() in NMI context (the kernel takes the
//     scheduler's locks there);
//   - a task in TASK_UNINTERRUPTIBLE (not TASK_IDLE) asleep without a
//     timeout for longer than SOLCOMPAT_MODEL_HUNG_MS (default 30000): the
//     kernel's hung-task report; the model prints it and aborts the program,
//     since the lost wake-up would otherwise hang the test run.
//
// Balancing: a task is queued where it can run at once if any CPU is idle
// (Enqueue), a CPU going idle pulls an unbound task from another queue
// (PickNext), and an idle CPU is woken to do so when a task waits behind a
// busy CPU (KickIdleCpuForQueuedTask, every 2 ms).
//
// Known gaps: no priorities or fairness beyond FIFO run queues; a task
// waiting for RunOn work on another CPU (model_sched.cc's hotplug
// callbacks) blocks its CPU's thread instead of sleeping; kthread_stop()
// of a thread that never returns hangs (as in the kernel).
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <mutex>

#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "model.hh"
#include "model_internal.hh"

extern "C" {
struct user_namespace {
  int level;
};
struct user_namespace init_user_ns = {0};
}

namespace model::internal {

__thread Task *task_self = nullptr;

namespace {

constexpr unsigned kTaskDead = 0x80; // TASK_DEAD
constexpr int kMaxKthreads = 96;

std::atomic<int> sched_lock{0};
std::atomic<int> next_pid{2000};
std::atomic<int64_t> hung_ns{0};

Task boot_tasks[MODEL_MAX_CPUS];
Task idle_tasks[MODEL_MAX_CPUS];
Task kthreads[kMaxKthreads];
std::mutex kthread_alloc_mutex;

// Run queues: FIFO rings, under sched_lock.
constexpr int kRqSlots = MODEL_MAX_CPUS * 2 + kMaxKthreads;
struct RunQueue {
  Task *slot[kRqSlots];
  int head = 0, count = 0;
};
RunQueue runqueues[MODEL_MAX_CPUS];

void Lock() {
  while (sched_lock.exchange(1, std::memory_order_acquire))
    HostYield();
}

void Unlock() { sched_lock.store(0, std::memory_order_release); }

Task *TaskOf(struct task_struct *p) { return reinterpret_cast<Task *>(p); }

// Fields that kernel code or other threads read without the scheduler lock
// (READ_ONCE, which the model makes a relaxed atomic load): written with
// relaxed atomic stores, read under the lock or with atomic loads.
template <typename T, typename V> inline void Put(T &field, V value) {
  __atomic_store_n(&field, T(value), __ATOMIC_RELAXED);
}
template <typename T> inline T Get(const T &field) {
  return __atomic_load_n(&field, __ATOMIC_RELAXED);
}

bool CpuUsable(int cpu) {
  return cpu >= 0 && cpu < MODEL_MAX_CPUS && cpus[cpu].online.load(std::memory_order_acquire);
}

bool CpuIdle(int cpu) { return cpus[cpu].curr.load(std::memory_order_relaxed) == &idle_tasks[cpu]; }

void RqPush(int cpu, Task *t) {
  RunQueue &rq = runqueues[cpu];
  rq.slot[(rq.head + rq.count) % kRqSlots] = t;
  Put(rq.count, rq.count + 1);
  t->queued = true;
  t->rq_cpu = cpu;
}

Task *RqRemoveAt(int cpu, int i) {
  RunQueue &rq = runqueues[cpu];
  Task *t = rq.slot[(rq.head + i) % kRqSlots];
  for (int j = i; j > 0; j--)
    rq.slot[(rq.head + j) % kRqSlots] = rq.slot[(rq.head + j - 1) % kRqSlots];
  rq.head = (rq.head + 1) % kRqSlots;
  Put(rq.count, rq.count - 1);
  t->queued = false;
  return t;
}

// The next task for `cpu`: its own queue first, then an unbound task queued
// on another CPU (a CPU going idle pulls work, as the kernel's balancer
// would). Lock held.
Task *PickNext(int cpu) {
  if (runqueues[cpu].count)
    return RqRemoveAt(cpu, 0);
  for (int other = 0; other < MODEL_MAX_CPUS; other++) {
    RunQueue &rq = runqueues[other];
    for (int i = 0; i < rq.count; i++)
      if (rq.slot[(rq.head + i) % kRqSlots]->bound < 0)
        return RqRemoveAt(other, i);
  }
  return nullptr;
}

// Queue a runnable task that holds no CPU and kick the CPU chosen. Lock held.
void Enqueue(Task *t) {
  int cpu = t->bound;
  if (cpu < 0) {
    int last = CpuUsable(t->cpu) ? t->cpu : -1;
    if (last >= 0 && CpuIdle(last) && !runqueues[last].count)
      cpu = last;
    for (int i = 0; cpu < 0 && i < MODEL_MAX_CPUS; i++)
      if (CpuUsable(i) && CpuIdle(i) && !runqueues[i].count)
        cpu = i;
    if (cpu < 0)
      cpu = last;
    for (int i = 0; cpu < 0 && i < MODEL_MAX_CPUS; i++)
      if (CpuUsable(i))
        cpu = i;
    if (cpu < 0)
      cpu = 0; // no CPU online: it waits for one
  }
  RqPush(cpu, t);
  if (CpuIdle(cpu))
    sem_post(&cpus[cpu].idle_sem);
}

// Hand `cpu` from prev (this thread) to next. Lock held, this CPU's
// interrupts masked (IrqSave). After it, this thread holds no CPU.
void SwitchOut(Task *prev, int cpu, Task *next) {
  Cpu *c = &cpus[cpu];
  Put(prev->ts.on_cpu, 0);
  prev->switched_out = true;
  next->switched_out = false;
  next->cpu = cpu;
  Put(next->ts.on_cpu, 1);
  c->curr.store(next, std::memory_order_seq_cst);
  c->busy.store(next != &idle_tasks[cpu], std::memory_order_relaxed);
  c->stats.switches.fetch_add(1, std::memory_order_relaxed);
  model_cpu_self.cpu = -1;
  cpu_local.cpu = nullptr;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  c->holder.store(next, std::memory_order_seq_cst);
  next->run_word.store(1, std::memory_order_seq_cst);
  FutexWake(&next->run_word);
}

// Wake t if its state is in `mask`. Lock held. 1 if woken.
int WakeLocked(Task *t, unsigned int mask) {
  if (!(Get(t->ts.__state) & mask))
    return 0;
  Put(t->ts.__state, MODEL_TASK_RUNNING);
  if (t->switched_out && !t->queued && !t->exited)
    Enqueue(t);
  return 1;
}

void ReportHung(Task *t, int64_t waited_ns) {
  char buf[256];
  Format(buf, sizeof(buf),
         "solcompat model: hung task: %s (pid %d) has slept in TASK_UNINTERRUPTIBLE for %lld ms "
         "without being woken (a lost wake-up?); aborting the run\n",
         t->ts.comm, t->ts.pid, static_cast<long long>(waited_ns / 1000000));
  RawWrite(buf);
  // What the CPUs hold and the kernel log: where the wake-up went missing.
  std::string what = "solcompat model: CPUs: " + model::DescribeCpus() + "\n";
  RawWrite(what.c_str());
  what = "--- kernel log so far ---\n" + model::FormatLog(model::TakeLog()) +
         "--- end of kernel log ---\n";
  RawWrite(what.c_str());
  abort();
}

// Wait, holding no CPU, until a CPU is handed to t; then attach to it.
// deadline_ns (0: none): when it passes, t wakes itself. `hung`: check for
// a sleep that lasts too long.
void WaitForCpu(Task *t, uint64_t deadline_ns, bool hung) {
  uint64_t start = MonoNs();
  for (;;) {
    if (t->run_word.exchange(0, std::memory_order_seq_cst))
      break;
    uint64_t now = MonoNs();
    int64_t limit = hung ? hung_ns.load(std::memory_order_relaxed) : 0;
    uint64_t until = deadline_ns;
    if (limit > 0 && (!until || start + uint64_t(limit) < until))
      until = start + uint64_t(limit);
    if (!until) {
      FutexWait(&t->run_word, 0);
      continue;
    }
    if (now < until) {
      FutexWaitNs(&t->run_word, 0, until - now);
      continue;
    }
    if (deadline_ns && now >= deadline_ns) {
      // The timer fires: wake ourselves, if nobody did.
      unsigned long flags = IrqSave();
      Lock();
      if (Get(t->ts.__state) != MODEL_TASK_RUNNING) {
        t->timed_out = true;
        WakeLocked(t, ~0u);
      }
      Unlock();
      IrqRestore(flags);
      deadline_ns = 0;
      hung = false;
      continue;
    }
    unsigned state = __atomic_load_n(&t->ts.__state, __ATOMIC_RELAXED);
    if ((state & MODEL_TASK_UNINTERRUPTIBLE) && !(state & MODEL_TASK_NOLOAD))
      ReportHung(t, int64_t(now - start));
    hung = false;
  }
  // cpu_local.cpu first: a signal handler takes interrupts once cpu >= 0.
  int cpu = t->cpu;
  cpu_local.cpu = &cpus[cpu];
  std::atomic_signal_fence(std::memory_order_seq_cst);
  model_cpu_self.cpu = cpu;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  model_jiffies_refresh();
  RepairSignalMask();
  TakeMissedInterrupts();
}

// Leave the CPU for good (the task returned). Lock taken here.
void ExitCpu(Task *t) {
  IrqSave();
  Lock();
  int cpu = model_cpu_self.cpu;
  t->exited = true;
  Put(t->ts.__state, kTaskDead);
  if (t->exit_waiter) {
    WakeLocked(t->exit_waiter, MODEL_TASK_NORMAL);
    t->exit_waiter = nullptr;
  }
  if (cpu >= 0) {
    Task *next = PickNext(cpu);
    SwitchOut(t, cpu, next ? next : &idle_tasks[cpu]);
  }
  Unlock();
}

void InitTaskIdentity(Task *t, int pid, const char *comm) {
  t->ts.pid = pid;
  t->ts.tgid = pid;
  t->ts.group_leader = &t->ts;
  snprintf(t->ts.comm, sizeof(t->ts.comm), "%s", comm);
  t->cred.euid.val = 0;
  t->cred.egid.val = 0;
  t->cred.cap_sys_admin = 1;
  t->ts.cred = &t->cred;
}

struct BootIdentities {
  BootIdentities() {
    char name[MODEL_TASK_COMM_LEN];
    for (int cpu = 0; cpu < MODEL_MAX_CPUS; cpu++) {
      snprintf(name, sizeof(name), "cpu%d", cpu);
      InitTaskIdentity(&boot_tasks[cpu], 1000 + cpu, name);
      snprintf(name, sizeof(name), "swapper/%d", cpu);
      InitTaskIdentity(&idle_tasks[cpu], 0, name);
    }
  }
} boot_identities;

// A kthread's host thread.
void *KthreadMain(void *arg) {
  Task *t = static_cast<Task *>(arg);
  TaskThreadInit(t);
  WaitForCpu(t, 0, false); // created stopped: it may wait for ever
  if (sigsetjmp(cpu_local.recovery, 1) != 0) {
    // A fatal violation abandoned the thread function.
    ResetCpuState();
    t->result = -EIO;
  } else {
    cpu_local.have_recovery = 1;
    t->result = t->should_stop.load() ? -EINTR : t->fn(t->data);
  }
  cpu_local.have_recovery = 0;
  ExitCpu(t);
  return nullptr;
}

} // namespace

std::string DescribeRunQueue(int cpu) {
  // Racy (no lock: the reporter may be what holds it); diagnostics only.
  RunQueue &rq = runqueues[cpu];
  int n = Get(rq.count);
  std::string out;
  for (int i = 0; i < n && i < kRqSlots; i++) {
    Task *t = __atomic_load_n(&rq.slot[(Get(rq.head) + i) % kRqSlots], __ATOMIC_RELAXED);
    out += (out.empty() ? "" : " ") + std::string(t ? t->ts.comm : "?");
  }
  return out;
}

// Idle balancing. A task queued on a CPU that stays busy (a spinner with
// preemption off, a task that never yields) would wait there forever while
// other CPUs idle: the kernel's idle balancing pulls it within a tick. The
// clock thread calls this every 2 ms; it reads the queue counts without
// the lock and only wakes one idle CPU's loop, which pulls under the lock
// (PickNext) if an unbound task is still queued, and sleeps again if not.
void KickIdleCpuForQueuedTask() {
  bool waiting = false;
  for (int i = 0; i < MODEL_MAX_CPUS && !waiting; i++)
    waiting = CpuUsable(i) && !CpuIdle(i) && Get(runqueues[i].count) > 0;
  if (!waiting)
    return;
  for (int i = 0; i < MODEL_MAX_CPUS; i++) {
    if (CpuUsable(i) && CpuIdle(i)) {
      sem_post(&cpus[i].idle_sem);
      return;
    }
  }
}

void TaskThreadInit(Task *t) {
  task_self = t; // t->thread is set by the creator, before t can be woken
  // Before this thread looks for a CPU: a raiser that read 0 here posted
  // to the mailbox before, and the attach finds it (model_cpu.cc).
  t->tid.store(pid_t(syscall(SYS_gettid)), std::memory_order_seq_cst);
  model_cpu_self.cpu = -1;
  cpu_local.cpu = nullptr;
  cpu_local.rng = DerivedSeed(t->ts.comm) ^ (uint64_t(t->ts.pid + 1) * 0x9e3779b97f4a7c15ull);
  if (!cpu_local.rng)
    cpu_local.rng = 1;
  // Frame serials name lock holders (model_lock.cc): unique across threads.
  static std::atomic<uint64_t> threads{0};
  cpu_local.serials = (threads.fetch_add(1) + 1) << 36;
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  model_jiffies_refresh();
  ResetCpuState();
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGUSR2);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

Task *BootTask(int cpu) { return &boot_tasks[cpu]; }
Task *IdleTask(int cpu) { return &idle_tasks[cpu]; }

void SchedInit() { hung_ns.store(int64_t(EnvU64("SOLCOMPAT_MODEL_HUNG_MS", 30000)) * 1000000); }

void TaskPrepareBoot(int cpu) {
  // Under the lock: the other CPUs' idle tasks already look at every run
  // queue (PickNext pulls unbound tasks).
  Lock();
  for (Task *t : {&boot_tasks[cpu], &idle_tasks[cpu]}) {
    t->run_word.store(0);
    t->queued = false;
    t->exited = false;
    t->exit_waiter = nullptr;
    t->bound = cpu;
    t->cpu = cpu;
    Put(t->ts.on_cpu, 0);
    t->switched_out = true;
    Put(t->ts.model_sigpending, 0);
    t->ts.model_wq = nullptr;
  }
  // The boot task starts asleep, waiting for work; the idle task holds the
  // CPU from the start (IdleMain).
  Put(boot_tasks[cpu].ts.__state, MODEL_TASK_INTERRUPTIBLE);
  Put(idle_tasks[cpu].ts.__state, MODEL_TASK_RUNNING);
  runqueues[cpu].head = 0;
  Put(runqueues[cpu].count, 0);
  Unlock();
}

void *IdleMain(void *arg) {
  Cpu *c = static_cast<Cpu *>(arg);
  int cpu = c->id;
  Task *t = &idle_tasks[cpu];
  t->thread = pthread_self();
  TaskThreadInit(t);
  Put(t->ts.on_cpu, 1);
  t->switched_out = false;
  c->curr.store(t);
  c->holder.store(t);
  cpu_local.cpu = c;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  model_cpu_self.cpu = cpu;
  c->idle_started.store(1, std::memory_order_release);
  FutexWake(&c->idle_started);
  if (sigsetjmp(cpu_local.recovery, 1) != 0)
    ResetCpuState(); // a fatal violation in an interrupt taken while idle
  cpu_local.have_recovery = 1;
  for (;;) {
    unsigned long flags = IrqSave();
    Lock();
    if (c->idle_stop.load(std::memory_order_acquire)) {
      Unlock();
      break;
    }
    Task *next = PickNext(cpu);
    if (next) {
      SwitchOut(t, cpu, next);
      Unlock();
      WaitForCpu(t, 0, false);
      IrqRestore(flags);
      continue;
    }
    Unlock();
    IrqRestore(flags);
    RepairSignalMask();
    sem_wait(&c->idle_sem); // EINTR after an interrupt: look again
  }
  cpu_local.have_recovery = 0;
  model_cpu_self.cpu = -1;
  c->curr.store(nullptr);
  return nullptr;
}

void BootTaskWaitForCpu(Task *t) { WaitForCpu(t, 0, false); }

void BootTaskExit(Task *t) { ExitCpu(t); }

void WakeTask(Task *t) {
  unsigned long flags = IrqSave();
  Lock();
  WakeLocked(t, ~0u);
  Unlock();
  IrqRestore(flags);
}

// cpu_relax(): a preemption point for preemptible tasks.
void MaybePreempt() {
  int cpu = model_cpu_self.cpu;
  if (cpu < 0 || model_cpu_self.preempt_count || model_cpu_self.irqs_off || !task_self ||
      task_self->is_idle())
    return;
  if (Get(runqueues[cpu].count))
    model_yield("cpu_relax");
}

void TaskJoin(struct task_struct *p) {
  Task *t = TaskOf(p);
  for (;;) {
    unsigned long flags = IrqSave();
    Lock();
    if (t->exited) {
      Unlock();
      IrqRestore(flags);
      break;
    }
    t->exit_waiter = task_self;
    Put(task_self->ts.__state, MODEL_TASK_UNINTERRUPTIBLE);
    Unlock();
    IrqRestore(flags);
    model_schedule(-1, "kthread_stop");
  }
  __atomic_store_n(&task_self->ts.__state, MODEL_TASK_RUNNING, __ATOMIC_RELAXED);
}

void TaskFree(struct task_struct *p) {
  Task *t = TaskOf(p);
  bool stepping = TrapFlagSuspend();
  pthread_join(t->thread, nullptr);
  TrapFlagResume(stepping);
  std::lock_guard<std::mutex> lock(kthread_alloc_mutex);
  t->in_use = false;
}

int TaskResult(struct task_struct *p) { return TaskOf(p)->result; }

} // namespace model::internal

using namespace model::internal;

// The C ABI of linux/sched.h, linux/wait.h, linux/kthread.h ------------------

extern "C" struct task_struct *model_current(void) {
  if (model_cpu_self.cpu < 0 || !task_self)
    model_not_a_cpu("current");
  return &task_self->ts;
}

extern "C" long long model_schedule(long long timeout_ns, const char *api) {
  if (model_cpu_self.cpu < 0 || !task_self)
    model_not_a_cpu(api);
  Task *t = task_self;
  if (model_cpu_self.preempt_count || model_cpu_self.irqs_off || t->is_idle()) {
    Violation(__builtin_return_address(0), api,
              "scheduling while atomic: a sleeping call outside preemptible task context");
    __atomic_store_n(&t->ts.__state, MODEL_TASK_RUNNING, __ATOMIC_RELAXED);
    return timeout_ns < 0 ? 0 : timeout_ns;
  }
  uint64_t start = MonoNs();
  uint64_t deadline = timeout_ns < 0 ? 0 : start + uint64_t(timeout_ns);
  if (timeout_ns == 0) {
    __atomic_store_n(&t->ts.__state, MODEL_TASK_RUNNING, __ATOMIC_RELAXED);
    return 0;
  }
  unsigned long flags = IrqSave();
  Lock();
  unsigned state = Get(t->ts.__state);
  bool sleep = state != MODEL_TASK_RUNNING;
  if (sleep && (state & MODEL_TASK_INTERRUPTIBLE) && Get(t->ts.model_sigpending))
    sleep = false; // signal_pending_state(): the kernel does not sleep
  if (!sleep) {
    Put(t->ts.__state, MODEL_TASK_RUNNING);
    Unlock();
    IrqRestore(flags);
    return timeout_ns < 0 ? 0 : timeout_ns;
  }
  int cpu = model_cpu_self.cpu;
  Task *next = PickNext(cpu);
  t->timed_out = false;
  SwitchOut(t, cpu, next ? next : &idle_tasks[cpu]);
  Unlock();
  // A boot task waiting for work sleeps as long as it likes.
  WaitForCpu(t, deadline, !(t == &boot_tasks[cpu] && t->awaiting_work));
  IrqRestore(flags);
  if (timeout_ns < 0)
    return 0;
  uint64_t now = MonoNs();
  if (t->timed_out || now >= deadline)
    return 0;
  return (long long)(deadline - now);
}

extern "C" int model_wake_up_state(struct task_struct *p, unsigned int state) {
  if (model_cpu_self.preempt_count & MODEL_NMI_MASK) {
    Violation(__builtin_return_address(0), "wake_up_process",
              "in NMI context: waking a task takes the scheduler's locks");
    return 0;
  }
  if (InnermostFrameIsProbe()) {
    Violation(__builtin_return_address(0), "wake_up_process",
              "in probe context: the probe may have fired inside the scheduler, which holds the "
              "locks a wake takes (defer the wake, e.g. to an irq_work)");
    return 0;
  }
  unsigned long flags = IrqSave();
  Lock();
  int r = WakeLocked(TaskOf(p), state);
  Unlock();
  IrqRestore(flags);
  return r;
}

extern "C" int model_need_resched(void) {
  int cpu = model_cpu_self.cpu;
  return cpu >= 0 && __atomic_load_n(&runqueues[cpu].count, __ATOMIC_RELAXED) != 0;
}

extern "C" void model_yield(const char *api) {
  if (model_cpu_self.cpu < 0 || !task_self)
    model_not_a_cpu(api);
  if (model_cpu_self.preempt_count || model_cpu_self.irqs_off) {
    Violation(__builtin_return_address(0), api,
              "sleeping function called from invalid context (it may reschedule)");
    return;
  }
  Task *t = task_self;
  if (t->is_idle())
    return;
  unsigned long flags = IrqSave();
  Lock();
  int cpu = model_cpu_self.cpu;
  Task *next = PickNext(cpu);
  if (!next) {
    Unlock();
    IrqRestore(flags);
    return;
  }
  // Back of this CPU's queue (or of its bound CPU's), still runnable.
  Put(t->ts.on_cpu, 0);
  t->switched_out = true;
  int last = t->cpu;
  RqPush(t->bound >= 0 ? t->bound : last, t);
  SwitchOut(t, cpu, next);
  Unlock();
  WaitForCpu(t, 0, false);
  IrqRestore(flags);
}

extern "C" void model_signal_task(struct task_struct *p) {
  unsigned long flags = IrqSave();
  Lock();
  Put(p->model_sigpending, 1);
  WakeLocked(TaskOf(p), MODEL_TASK_INTERRUPTIBLE);
  Unlock();
  IrqRestore(flags);
}

extern "C" struct task_struct *model_kthread_create(int (*fn)(void *), void *data,
                                                    const char *name) {
  model_might_sleep(__FILE__, __LINE__, "kthread_create");
  Task *t = nullptr;
  {
    std::lock_guard<std::mutex> lock(kthread_alloc_mutex);
    for (auto &k : kthreads)
      if (!k.in_use && !__atomic_load_n(&k.ts.model_refs, __ATOMIC_ACQUIRE)) {
        k.in_use = true;
        t = &k;
        break;
      }
  }
  if (!t) {
    model_violation("kthread_create", "the model's %d kernel threads are all in use", kMaxKthreads);
    return nullptr;
  }
  InitTaskIdentity(t, next_pid.fetch_add(1), name);
  t->fn = fn;
  t->data = data;
  t->result = 0;
  t->should_stop.store(0);
  t->run_word.store(0);
  t->queued = false;
  t->exited = false;
  t->exit_waiter = nullptr;
  t->bound = -1;
  t->cpu = model_cpu_self.cpu;
  Put(t->ts.on_cpu, 0);
  t->switched_out = true;
  Put(t->ts.__state, MODEL_TASK_UNINTERRUPTIBLE);
  Put(t->ts.model_sigpending, 0);
  t->ts.model_wq = nullptr;
  t->ts.model_wq_next = nullptr;
  t->tid.store(0, std::memory_order_seq_cst); // the slot's last thread's, until the new one runs
  pthread_t thread;
  bool stepping = TrapFlagSuspend();
  int err = pthread_create(&thread, nullptr, KthreadMain, t);
  TrapFlagResume(stepping);
  if (err != 0) {
    std::lock_guard<std::mutex> lock(kthread_alloc_mutex);
    t->in_use = false;
    return nullptr;
  }
  t->thread = thread;
  return &t->ts;
}

namespace model::internal {

struct task_struct *KthreadCreateBound(int (*fn)(void *), void *data, const char *name, int cpu) {
  struct task_struct *p = model_kthread_create(fn, data, name);
  if (p) {
    TaskOf(p)->bound = cpu;
    TaskOf(p)->cpu = cpu;
  }
  return p;
}

void KthreadStopFromHost(struct task_struct *p) {
  if (!p)
    return;
  Task *t = TaskOf(p);
  t->should_stop.store(1, std::memory_order_release);
  WakeTask(t);
  pthread_join(t->thread, nullptr);
  std::lock_guard<std::mutex> lock(kthread_alloc_mutex);
  t->in_use = false;
}

} // namespace model::internal

extern "C" int model_kthread_should_stop(void) {
  return task_self && task_self->should_stop.load(std::memory_order_acquire);
}

extern "C" int model_kthread_stop(struct task_struct *p) {
  model_might_sleep(__FILE__, __LINE__, "kthread_stop");
  Task *t = TaskOf(p);
  t->should_stop.store(1, std::memory_order_release);
  model_wake_up_state(p, ~0u);
  TaskJoin(p);
  int r = t->result;
  TaskFree(p);
  return r;
}

extern "C" int model_kthread_join(struct task_struct *p) {
  model_might_sleep(__FILE__, __LINE__, "kthread_join");
  TaskJoin(p);
  int r = TaskOf(p)->result;
  TaskFree(p);
  return r;
}

extern "C" void model_wait_prepare(struct model_wait_queue *wq, unsigned int state) {
  Task *t = task_self;
  unsigned long flags = IrqSave();
  Lock();
  if (t->ts.model_wq != wq) {
    if (t->ts.model_wq)
      model_violation("prepare_to_wait", "task %s is already on another wait queue", t->ts.comm);
    t->ts.model_wq = wq;
    t->ts.model_wq_next = nullptr;
    struct task_struct **pp = &wq->first;
    while (*pp)
      pp = &(*pp)->model_wq_next;
    *pp = &t->ts;
  }
  Put(t->ts.__state, state);
  Unlock();
  IrqRestore(flags);
}

extern "C" void model_wait_finish(struct model_wait_queue *wq) {
  Task *t = task_self;
  unsigned long flags = IrqSave();
  Lock();
  Put(t->ts.__state, MODEL_TASK_RUNNING);
  if (t->ts.model_wq == wq) {
    for (struct task_struct **pp = &wq->first; *pp; pp = &(*pp)->model_wq_next)
      if (*pp == &t->ts) {
        *pp = t->ts.model_wq_next;
        break;
      }
    t->ts.model_wq = nullptr;
    t->ts.model_wq_next = nullptr;
  }
  Unlock();
  IrqRestore(flags);
}

extern "C" void model_wake_up_queue(struct model_wait_queue *wq, int nr) {
  if (model_cpu_self.preempt_count & MODEL_NMI_MASK) {
    Violation(__builtin_return_address(0), "wake_up",
              "in NMI context: a wait queue's lock is not NMI-safe");
    return;
  }
  unsigned long flags = IrqSave();
  Lock();
  int woken = 0;
  for (struct task_struct *p = wq->first; p; p = p->model_wq_next)
    if (WakeLocked(TaskOf(p), MODEL_TASK_NORMAL) && nr && ++woken >= nr)
      break;
  Unlock();
  IrqRestore(flags);
}

namespace model {

void SetTaskIdentity(int cpu, unsigned int uid, unsigned int gid, bool admin) {
  if (cpu < 0 || cpu >= MODEL_MAX_CPUS)
    return;
  Task *t = &boot_tasks[cpu];
  t->cred.euid.val = uid;
  t->cred.egid.val = gid;
  t->cred.cap_sys_admin = admin ? 1 : 0;
}

} // namespace model
