// SPDX-License-Identifier: GPL-2.0
//
// hrtimers, softirq threads and workqueues of the kernel model.
//
// Big Theory Statement
// --------------------
// linux/cyclic.c stands on hrtimers (hard and soft) and a per-CPU
// workqueue; the model runs them on its simulated CPUs with the contexts
// the kernel gives them.
//
// The clock. One host thread (not a CPU) keeps every armed timer on a list
// and sleeps until the earliest expiry (a futex word, bumped when a timer is
// armed earlier than what it waits for). At expiry it takes the timer off
// the list (state kPending) and hands it to the timer's CPU, the CPU that
// started it (the kernel's pinned timers; the model pins all):
//   _HARD  an interrupt raised on that CPU (model_raise_irq), so the
//          callback runs in hard interrupt context, and pends while the CPU
//          has interrupts masked, as a real timer interrupt does;
//   _SOFT  that CPU's softirq thread ("ksoftirqd/<N>", a bound kthread),
//          which runs it with bottom halves disabled (SOFTIRQ_OFFSET in the
//          preempt count, interrupts on): PREEMPT_RT's softirq context.
// Running a timer: kPending -> kRunning under the lock, the callback
// outside it, then HRTIMER_RESTART re-arms it at its expiry as the
// callback left it (hrtimer_forward*), unless the callback re-armed it
// itself. A timer is never pending or running twice at once, so the
// callback never runs concurrently with itself. hrtimer_try_to_cancel()
// takes a timer off the list or out of kPending (the CPU then finds
// nothing to run) and fails while it runs or while a hard expiry sits in
// the CPU's mailbox (kDelivering: the mailbox points at the timer, which
// the caller may free next); hrtimer_cancel() retries until neither holds.
// The softirq thread and the interrupt claim a timer (kPending ->
// kRunning) in the critical section that finds it. A late expiry is late: the callback forwards
// over the missed periods, as in the kernel.
//
// Workqueues. Each CPU has a bound worker kthread ("kworker/<N>") with a
// FIFO of work items; queue_work_on() appends (once: an item already
// queued stays where it is, return 0) and wakes the worker; the worker runs
// items in process context. cancel_work_sync() unqueues an item and waits
// (sleeping) for a run in progress; flush_work() waits until the item is
// neither queued nor running.
//
// Locking: one lock for timers and work items, an atomic flag taken with
// the model's interrupts masked on the CPU that takes it, so interrupt
// code on that CPU cannot spin on it; never taken in NMI context
// (starting, cancelling or queueing from NMI is a violation, as in the
// kernel). The expiry is written by kernel code with WRITE_ONCE (a relaxed
// atomic in the model) and read here atomically.
//
// The service kthreads start with the CPUs (Boot) and stop before them.
// Known gaps: no timer migration (CPU hotplug is not modelled), no
// hrtimer slack, no workqueue concurrency management (one worker per CPU:
// an item that sleeps delays the next one on that CPU, as with an ordered
// queue).
#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdio>
#include <thread>

#include "model.hh"
#include "model_internal.hh"

extern "C" {
struct workqueue_struct {
  int unused;
};
static struct workqueue_struct model_system_wq, model_system_highpri_wq;
struct workqueue_struct *system_wq = &model_system_wq;
struct workqueue_struct *system_highpri_wq = &model_system_highpri_wq;
}

namespace model::internal {

namespace {

// kDelivering: a hard expiry posted to the CPU's mailbox and not yet taken
// (the mailbox points at the timer, so cancel waits for it).
constexpr unsigned kEnqueued = 1, kPending = 2, kRunning = 4, kDelivering = 8;
static_assert(kEnqueued == MODEL_HRTIMER_ENQUEUED);
constexpr unsigned kQueued = 1, kWorkRunning = 2;
constexpr unsigned kInitMagic = 0x68727472;
constexpr int kModeSoft = 0x04;
constexpr int kTaskInterruptible = MODEL_TASK_INTERRUPTIBLE;

std::atomic<int> tlock{0};
model_hrtimer *armed = nullptr;           // the clock's list
model_hrtimer *soft_head[MODEL_MAX_CPUS]; // per-CPU softirq FIFO
model_hrtimer *soft_tail[MODEL_MAX_CPUS];
model_work *work_head[MODEL_MAX_CPUS], *work_tail[MODEL_MAX_CPUS];
struct task_struct *ksoftirqd[MODEL_MAX_CPUS];
struct task_struct *kworker[MODEL_MAX_CPUS];
std::atomic<uint32_t> clock_gen{0};
std::atomic<bool> clock_started{false};
int service_cpus = 0;

unsigned long TLock() {
  unsigned long flags = IrqSave();
  while (tlock.exchange(1, std::memory_order_acquire))
    HostYield();
  return flags;
}

void TUnlock(unsigned long flags) {
  tlock.store(0, std::memory_order_release);
  IrqRestore(flags);
}

long long Expires(const model_hrtimer *t) { return __atomic_load_n(&t->expires, __ATOMIC_RELAXED); }

void KickClock() {
  clock_gen.fetch_add(1, std::memory_order_release);
  FutexWake(&clock_gen);
}

// Lock held: the first armed, pending or queued timer or work item in
// [lo, hi), or "" (its kind otherwise).
const char *LiveObjectIn(uintptr_t lo, uintptr_t hi, const void **at) {
  auto in = [lo, hi](const void *p) {
    auto a = reinterpret_cast<uintptr_t>(p);
    return a >= lo && a < hi;
  };
  for (model_hrtimer *t = armed; t; t = t->next)
    if (in(t)) {
      *at = t->owner;
      return "an armed hrtimer";
    }
  for (int cpu = 0; cpu < MODEL_MAX_CPUS; cpu++) {
    for (model_hrtimer *t = soft_head[cpu]; t; t = t->next)
      if (in(t)) {
        *at = t->owner;
        return "an expired hrtimer whose callback has yet to run";
      }
    for (model_work *w = work_head[cpu]; w; w = w->next)
      if (in(w)) {
        *at = w->owner;
        return "a queued work item";
      }
  }
  return "";
}

// Lock held.
void Arm(model_hrtimer *t) {
  t->next = armed;
  armed = t;
  t->state |= kEnqueued;
}

// Lock held.
void Disarm(model_hrtimer *t) {
  for (model_hrtimer **pp = &armed; *pp; pp = &(*pp)->next)
    if (*pp == t) {
      *pp = t->next;
      break;
    }
  t->state &= ~kEnqueued;
}

// Lock held: take a soft timer out of its CPU's queue.
void SoftUnqueue(model_hrtimer *t) {
  int cpu = t->cpu;
  model_hrtimer *prev = nullptr;
  for (model_hrtimer *p = soft_head[cpu]; p; prev = p, p = p->next)
    if (p == t) {
      (prev ? prev->next : soft_head[cpu]) = t->next;
      if (soft_tail[cpu] == t)
        soft_tail[cpu] = prev;
      break;
    }
}

bool NmiRefused(const char *api) {
  if (!(model_cpu_self.preempt_count & MODEL_NMI_MASK))
    return false;
  Violation(__builtin_return_address(0), api,
            "in NMI context: the timer base lock is not NMI-safe");
  return true;
}

// Run the callback of a timer this CPU claimed (kPending -> kRunning under
// the lock, in the same critical section that found it).
void RunClaimed(model_hrtimer *t) {
  int restart = t->call(t->owner);
  unsigned long flags = TLock();
  t->state &= ~kRunning;
  bool kick = false;
  if (restart && !(t->state & (kEnqueued | kPending))) {
    Arm(t);
    kick = true;
  }
  TUnlock(flags);
  if (kick)
    KickClock();
}

void HardFire(void *arg) {
  auto *t = static_cast<model_hrtimer *>(arg);
  unsigned long flags = TLock();
  t->state &= ~kDelivering; // after this, t may be freed once cancelled
  bool claimed = t->state & kPending;
  if (claimed)
    t->state = (t->state & ~kPending) | kRunning;
  TUnlock(flags);
  if (claimed)
    RunClaimed(t);
}

void ClockMain() {
  uint64_t last_resignal = 0;
  for (;;) {
    uint32_t gen = clock_gen.load(std::memory_order_acquire);
    uint64_t now = MonoNs();
    // A line stays asserted: an interrupt whose signal went astray (a CPU
    // changing hands while ThreadSanitizer held the signal back) is sent
    // again within 2 ms. And an idle CPU pulls a task queued behind a busy
    // one within 2 ms, as the kernel's idle balancing does within a tick.
    if (now - last_resignal > 2000000) {
      ResignalPending();
      KickIdleCpuForQueuedTask();
      last_resignal = now;
    }
    long long next = LLONG_MAX;
    // Hard timers handed over, kDelivering (cancel waits for them). An
    // array, not t->next: hrtimer_start may re-arm one meanwhile.
    constexpr int kMaxDue = 256;
    model_hrtimer *due[kMaxDue];
    int ndue = 0;
    bool wake_soft[MODEL_MAX_CPUS] = {};
    // One critical section from the list to the hand-off: once the lock is
    // dropped, a timer not marked kDelivering may be cancelled and freed.
    unsigned long flags = TLock();
    for (model_hrtimer **pp = &armed; *pp;) {
      model_hrtimer *t = *pp;
      long long e = Expires(t);
      if (e > (long long)now || ndue == kMaxDue) {
        next = std::min(next, e);
        pp = &t->next;
        continue;
      }
      *pp = t->next;
      t->state = (t->state & ~kEnqueued) | kPending;
      int cpu = t->cpu;
      if (t->mode & kModeSoft) {
        t->next = nullptr;
        (soft_tail[cpu] ? soft_tail[cpu]->next : soft_head[cpu]) = t;
        soft_tail[cpu] = t;
        wake_soft[cpu] = true;
      } else {
        t->state |= kDelivering;
        due[ndue++] = t;
      }
    }
    struct task_struct *softirqd[MODEL_MAX_CPUS];
    for (int cpu = 0; cpu < MODEL_MAX_CPUS; cpu++)
      softirqd[cpu] = wake_soft[cpu] ? ksoftirqd[cpu] : nullptr;
    TUnlock(flags);
    for (int cpu = 0; cpu < MODEL_MAX_CPUS; cpu++)
      if (softirqd[cpu])
        model_wake_up_state(softirqd[cpu], MODEL_TASK_NORMAL);
    for (int i = 0; i < ndue; i++) {
      model_hrtimer *t = due[i];
      if (model_raise_irq(t->cpu, HardFire, t) != 0) {
        // The CPU's mailbox is full (or it is gone): try again shortly.
        flags = TLock();
        t->state &= ~kDelivering;
        if (t->state & kPending) {
          t->state &= ~kPending;
          Arm(t);
        }
        TUnlock(flags);
        next = std::min(next, (long long)now + 50000);
      }
    }
    now = MonoNs();
    uint64_t wait = 2000000; // look again at least every 2 ms
    if (next != LLONG_MAX)
      wait = next > (long long)now ? std::min<uint64_t>(wait, uint64_t(next) - now) : 0;
    if (wait)
      FutexWaitNs(&clock_gen, gen, wait);
  }
}

void StartClock() {
  if (clock_started.exchange(true))
    return;
  std::thread(ClockMain).detach(); // for the life of the process
}

// The loop of the per-CPU service threads, ksoftirqd/N and kworker/N:
// take one item off the CPU's queue under the timer lock (pop returns
// nullptr when it is empty), sleep interruptibly while there is none, run
// it otherwise; until kthread_stop().
template <typename Pop, typename Run> int ServiceLoop(const char *name, Pop pop, Run run) {
  struct task_struct *self = model_current();
  for (;;) {
    __atomic_store_n(&self->__state, kTaskInterruptible, __ATOMIC_SEQ_CST);
    if (model_kthread_should_stop())
      break;
    unsigned long flags = TLock();
    auto *item = pop();
    TUnlock(flags);
    if (!item) {
      model_schedule(-1, name);
      continue;
    }
    __atomic_store_n(&self->__state, MODEL_TASK_RUNNING, __ATOMIC_RELAXED);
    run(item);
  }
  __atomic_store_n(&self->__state, MODEL_TASK_RUNNING, __ATOMIC_RELAXED);
  return 0;
}

int SoftirqMain(void *arg) {
  int cpu = int(reinterpret_cast<long>(arg));
  auto pop = [cpu]() {
    model_hrtimer *t = soft_head[cpu];
    if (t) {
      soft_head[cpu] = t->next;
      if (!soft_head[cpu])
        soft_tail[cpu] = nullptr;
      t->state = (t->state & ~kPending) | kRunning; // queued means pending
    }
    return t;
  };
  auto run = [](model_hrtimer *t) {
    // local_bh_disable(): softirq context, interrupts on.
    model_cpu_self.preempt_count += MODEL_SOFTIRQ_OFFSET;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    RunClaimed(t);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    model_cpu_self.preempt_count -= MODEL_SOFTIRQ_OFFSET;
  };
  return ServiceLoop("ksoftirqd", pop, run);
}

// The work item this thread (a kworker) is running, for current_work().
thread_local model_work *running_work = nullptr;

int WorkerMain(void *arg) {
  int cpu = int(reinterpret_cast<long>(arg));
  auto pop = [cpu]() {
    model_work *w = work_head[cpu];
    if (w) {
      work_head[cpu] = w->next;
      if (!work_head[cpu])
        work_tail[cpu] = nullptr;
      w->state = (w->state & ~kQueued) | kWorkRunning;
    }
    return w;
  };
  auto run = [](model_work *w) {
    running_work = w;
    w->call(w->owner);
    running_work = nullptr;
    unsigned long flags = TLock();
    w->state &= ~kWorkRunning;
    TUnlock(flags);
  };
  return ServiceLoop("kworker", pop, run);
}

// Sleep a little in task context (waiting for a callback elsewhere).
void NapOrSpin() {
  if (!model_cpu_self.preempt_count && !model_cpu_self.irqs_off && task_self) {
    __atomic_store_n(&model_current()->__state, MODEL_TASK_UNINTERRUPTIBLE, __ATOMIC_SEQ_CST);
    model_schedule(100000, "cancel_work_sync");
  } else {
    model_cpu_relax_yield();
  }
}

unsigned WorkState(model_work *w) {
  unsigned long flags = TLock();
  unsigned s = w->state;
  TUnlock(flags);
  return s;
}

} // namespace

// A timer interrupt arrives when it is due: the clock thread is a host
// thread and may be late by tens of microseconds. The kprobe trap path
// (model_kprobes.cc) calls this before an entry probe's handler, so a
// timer that came due lands inside the handler at its first
// interrupt-enable point, as it would on hardware; without it a timer
// almost never landed there (0 to 6 of 32000 ticks in 8 s).
void PostDueHardTimers() {
  int cpu = model_cpu_self.cpu;
  if (cpu < 0 || model_cpu_self.irqs_off || !clock_started.load(std::memory_order_acquire))
    return;
  long long now = (long long)MonoNs();
  bool posted = false;
  unsigned long flags = TLock();
  for (model_hrtimer **pp = &armed; *pp;) {
    model_hrtimer *t = *pp;
    if (t->cpu != cpu || (t->mode & kModeSoft) || Expires(t) > now) {
      pp = &t->next;
      continue;
    }
    if (!PostIrqLater(HardFire, t))
      break; // mailbox full: the clock thread delivers it
    *pp = t->next;
    t->state = (t->state & ~kEnqueued) | kPending | kDelivering;
    posted = true;
  }
  TUnlock(flags);
  // Only now: TUnlock's interrupt restore would take it at once.
  if (posted)
    __atomic_store_n(&model_cpu_self.irq_pending, 1, __ATOMIC_RELAXED);
}

void TimerServicesStart(int cpus) {
  StartClock();
  char name[32]; // comm keeps the first 15 characters
  for (int cpu = 0; cpu < cpus; cpu++) {
    soft_head[cpu] = soft_tail[cpu] = nullptr;
    work_head[cpu] = work_tail[cpu] = nullptr;
    snprintf(name, sizeof(name), "ksoftirqd/%d", cpu);
    ksoftirqd[cpu] =
        KthreadCreateBound(SoftirqMain, reinterpret_cast<void *>(long(cpu)), name, cpu);
    snprintf(name, sizeof(name), "kworker/%d", cpu);
    kworker[cpu] = KthreadCreateBound(WorkerMain, reinterpret_cast<void *>(long(cpu)), name, cpu);
    model_wake_up_state(ksoftirqd[cpu], MODEL_TASK_NORMAL);
    model_wake_up_state(kworker[cpu], MODEL_TASK_NORMAL);
  }
  service_cpus = cpus;
}

bool LiveTimerOrWorkIn(const void *p, size_t size, const char **what, const void **at) {
  if (!clock_started.load(std::memory_order_acquire))
    return false;
  auto lo = reinterpret_cast<uintptr_t>(p);
  unsigned long flags = TLock();
  *what = LiveObjectIn(lo, lo + size, at);
  TUnlock(flags);
  return **what != 0;
}

void TimerServicesStop() {
  for (int cpu = 0; cpu < service_cpus; cpu++) {
    KthreadStopFromHost(ksoftirqd[cpu]);
    KthreadStopFromHost(kworker[cpu]);
    ksoftirqd[cpu] = kworker[cpu] = nullptr;
  }
  service_cpus = 0;
}

} // namespace model::internal

using namespace model::internal;

// The C ABI of linux/hrtimer.h and linux/workqueue.h ------------------------

extern "C" void model_hrtimer_init(struct model_hrtimer *t, int mode, void *owner,
                                   int (*call)(void *owner)) {
  t->expires = 0;
  t->mode = mode;
  t->cpu = -1;
  t->state = 0;
  t->next = nullptr;
  t->owner = owner;
  t->call = call;
  t->base = kInitMagic;
}

extern "C" void model_hrtimer_start(struct model_hrtimer *t, long long expires, int mode) {
  if (model_cpu_self.cpu < 0)
    model_not_a_cpu("hrtimer_start");
  if (NmiRefused("hrtimer_start"))
    return;
  if (t->base != kInitMagic) {
    Violation(__builtin_return_address(0), "hrtimer_start", "timer %p was not initialised", t);
    return;
  }
  unsigned long flags = TLock();
  if (t->state & kEnqueued)
    Disarm(t);
  if (t->state & kPending) {
    if (t->mode & kModeSoft)
      SoftUnqueue(t);
    t->state &= ~kPending; // the CPU finds nothing to run
  }
  __atomic_store_n(&t->expires, expires, __ATOMIC_RELAXED);
  t->mode = (t->mode & kModeSoft) | (mode & ~kModeSoft); // soft or hard: hrtimer_init's
  t->cpu = model_cpu_self.cpu;
  Arm(t);
  TUnlock(flags);
  KickClock();
}

extern "C" int model_hrtimer_try_to_cancel(struct model_hrtimer *t) {
  if (NmiRefused("hrtimer_try_to_cancel"))
    return -1;
  unsigned long flags = TLock();
  if (t->state & (kRunning | kDelivering)) {
    TUnlock(flags);
    return -1; // a callback runs, or the CPU has yet to take the expiry
  }
  int was = (t->state & (kEnqueued | kPending)) != 0;
  if (t->state & kEnqueued)
    Disarm(t);
  if (t->state & kPending) {
    if (t->mode & kModeSoft)
      SoftUnqueue(t);
    t->state &= ~kPending;
  }
  TUnlock(flags);
  return was;
}

extern "C" int model_hrtimer_cancel(struct model_hrtimer *t) {
  for (;;) {
    int r = model_hrtimer_try_to_cancel(t);
    if (r >= 0)
      return r;
    model_cpu_relax_yield(); // the callback runs on another CPU or thread
  }
}

// Under the timer lock: the runtime writes the state there, plainly.
extern "C" unsigned model_hrtimer_state(const struct model_hrtimer *t) {
  unsigned long flags = TLock();
  unsigned state = t->state;
  TUnlock(flags);
  return state;
}

extern "C" int model_hrtimer_active(const struct model_hrtimer *t) {
  return __atomic_load_n(&t->state, __ATOMIC_RELAXED) != 0;
}

extern "C" void model_work_init(struct model_work *w, void *owner, void (*call)(void *owner)) {
  w->state = 0;
  w->cpu = -1;
  w->next = nullptr;
  w->owner = owner;
  w->call = call;
}

extern "C" int model_queue_work_on(int cpu, struct model_work *w) {
  if (model_cpu_self.preempt_count & MODEL_NMI_MASK) {
    Violation(__builtin_return_address(0), "queue_work_on",
              "in NMI context: the pool lock is not NMI-safe (use irq_work)");
    return 0;
  }
  if (cpu < 0)
    cpu = model_cpu_self.cpu >= 0 ? model_cpu_self.cpu : 0;
  if (cpu >= service_cpus) {
    Violation(__builtin_return_address(0), "queue_work_on", "CPU %d has no worker", cpu);
    return 0;
  }
  unsigned long flags = TLock();
  if (w->state & kQueued) {
    TUnlock(flags);
    return 0;
  }
  w->state |= kQueued;
  w->cpu = cpu;
  w->next = nullptr;
  (work_tail[cpu] ? work_tail[cpu]->next : work_head[cpu]) = w;
  work_tail[cpu] = w;
  struct task_struct *k = kworker[cpu];
  TUnlock(flags);
  model_wake_up_state(k, MODEL_TASK_NORMAL);
  return 1;
}

extern "C" void *model_current_work(void) { return running_work ? running_work->owner : nullptr; }

extern "C" int model_cancel_work_sync(struct model_work *w) {
  model_might_sleep(__FILE__, __LINE__, "cancel_work_sync");
  if (w == running_work) {
    Violation(__builtin_return_address(0), "cancel_work_sync",
              "called by the work item itself: it waits for itself forever");
    return 0;
  }
  unsigned long flags = TLock();
  int was = (w->state & kQueued) != 0;
  if (was) {
    int cpu = w->cpu;
    model_work *prev = nullptr;
    for (model_work *p = work_head[cpu]; p; prev = p, p = p->next)
      if (p == w) {
        (prev ? prev->next : work_head[cpu]) = w->next;
        if (work_tail[cpu] == w)
          work_tail[cpu] = prev;
        break;
      }
    w->state &= ~kQueued;
  }
  TUnlock(flags);
  while (WorkState(w) & kWorkRunning)
    NapOrSpin();
  return was;
}

extern "C" int model_flush_work(struct model_work *w) {
  model_might_sleep(__FILE__, __LINE__, "flush_work");
  int waited = 0;
  while (WorkState(w) & (kQueued | kWorkRunning)) {
    waited = 1;
    NapOrSpin();
  }
  return waited;
}
