// SPDX-License-Identifier: GPL-2.0
//
// Runner 1 of the conformance suite: every case of tests/conformance, in
// every context class it declares, as its own GoogleTest test named
// <family>.<case>/<context>, run against linux/ built on the userspace
// kernel model (tests/model). It mirrors runner 2, tests/kernel/sctest_kmod.c.
//
// How each context class is produced (the kernel runner's table, in the
// model):
//   process  task context on a simulated CPU: preemptible, interrupts on
//   atomic   the same inside preempt_disable()
//   hardirq  a deterministic interrupt raised on that CPU (model_raise_irq);
//            its handler runs the case
//   nmi      an NMI raised on that CPU with preemption off
//            (model_raise_nmi), as the kernel runner sends one to itself
//   probe    a probe frame (model_probe): preemption off, interrupts on,
//            as an ftrace-based kprobe's pre-handler
//
// Interleavings. While a test runs, the model's injector sends random
// interrupts and NMIs (seed printed at start, SOLCOMPAT_MODEL_SEED to
// repeat), whose workloads (tests/model/solcompat_workload.c) run Solaris spl
// pairs and a nested probe on top of whatever they hit. Each case runs
// SOLCOMPAT_MODEL_ITERATIONS times per context (default 200), spread over
// the CPUs; in one iteration of SOLCOMPAT_MODEL_STEP_EVERY (default 4) a
// single-step injection also lands an interrupt (one time in four an NMI)
// right after a random instruction of the case, so over the suite the
// cases run under thousands of interrupt positions, in every context: a
// timer on top of the probe, an NMI on top of the hardirq, an interrupt
// that pends inside a masked section and runs when it ends.
//
// After each iteration, on the CPU, in task context: the case passed; the
// CPU is back in task context with preempt_count 0, interrupts on, nothing
// pending; the spl level is 0; and the model recorded no violation. The
// fixture (model::Test) also fails the test on any violation recorded
// during it, with the model's message, and prints the kernel log.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "model.hh"
#include "model_gtest.hh"

extern "C" {
#include "sctest.h"

// tests/model/solcompat_workload.c
void solcompat_workload_hardirq(void *arg);
void solcompat_workload_nmi(void *arg);
int solcompat_workload_pil(void);
}

// The runner hooks of sctest.h. Any context.
extern "C" int sctest_irqs_disabled(void) { return model_cpu_self.irqs_off; }
extern "C" int sctest_cpu_id(void) { return model_cpu_self.cpu; }
extern "C" int sctest_in_model(void)
{
	return 1;
}
// The model's allocator fails its non-sleeping requests on demand.
extern "C" int sctest_heap_fail(int on)
{
	model::SetAllocFailurePercent(on ? 100 : 0);
	return 0;
}
// The model's CPUs do not go offline under a loaded module (see
// tests/model/model_sched.cc): cases that need hotplug skip here.
extern "C" int sctest_cpu_set_online(int, int) { return -1; }
// Nor do they offer a thread bound to a chosen CPU to the cases.
extern "C" int sctest_run_on_cpu(int, void (*)(void *), void *)
{
	return -1;
}
// open("/dev/<name>"), ioctl, close: the model's misc core (tests/model/misc.c).
extern "C" int sctest_dev_call(const char *name, int cmd, long arg, int *rval) {
  return model_dev_call(name, unsigned(cmd), (unsigned long)arg, rval);
}
// User memory the model's copy_from_user family accepts. Process context.
extern "C" void *sctest_user_alloc(unsigned long len) { return model::UserAlloc(len); }
extern "C" void sctest_user_free(void *uaddr, unsigned long len) { model::UserFree(uaddr, len); }

// The concurrency hooks, on the model's scheduler (tests/model/model_task.cc).
extern "C" unsigned long long ktime_get_mono_fast_ns(void);
extern "C" long long sctest_now_ns(void) { return (long long)ktime_get_mono_fast_ns(); }
extern "C" int sctest_ncpus(void) { return model::CpuCount(); }

// msleep(): at least ms, in TASK_UNINTERRUPTIBLE.
extern "C" void sctest_sleep_ms(unsigned int ms) {
  long long left = (long long)ms * 1000000;
  while (left > 0) {
    __atomic_store_n(&model_current()->__state, MODEL_TASK_UNINTERRUPTIBLE, __ATOMIC_SEQ_CST);
    left = model_schedule(left, "msleep");
  }
}

extern "C" void sctest_yield(void) { model_yield("yield"); }

namespace {

// The thread group: kthreads of the model, unbound, as runner 2's.
struct Group {
  struct task_struct *task[SCTEST_MAX_THREADS];
  int n = 0;
  sctest_thread_fn fn = nullptr;
  void *arg = nullptr;
} group;

int GroupThreadMain(void *data) {
  group.fn(group.arg, int(reinterpret_cast<long>(data)));
  __atomic_store_n(&model_current()->model_sigpending, 0, __ATOMIC_RELAXED);
  return 0;
}

} // namespace

extern "C" int sctest_threads_start(int n, sctest_thread_fn fn, void *arg) {
  if (n < 1 || n > SCTEST_MAX_THREADS || group.n)
    return -1;
  group.fn = fn;
  group.arg = arg;
  for (int i = 0; i < n; i++) {
    char name[24]; // comm keeps 15 characters
    snprintf(name, sizeof(name), "sctest/%d", i);
    group.task[i] = model_kthread_create(GroupThreadMain, reinterpret_cast<void *>(long(i)), name);
    if (!group.task[i]) {
      while (i-- > 0)
        model_kthread_stop(group.task[i]);
      return -1;
    }
  }
  group.n = n;
  for (int i = 0; i < n; i++)
    model_wake_up_state(group.task[i], MODEL_TASK_NORMAL);
  return 0;
}

extern "C" int sctest_threads_join(void) {
  int n = group.n;
  for (int i = 0; i < n; i++)
    model_kthread_join(group.task[i]);
  group.n = 0;
  return n;
}

extern "C" int sctest_run_threads(int n, sctest_thread_fn fn, void *arg) {
  if (sctest_threads_start(n, fn, arg))
    return -1;
  sctest_threads_join();
  return 0;
}

extern "C" int sctest_thread_signal(int index) {
  if (index < 0 || index >= group.n)
    return -1;
  model_signal_task(group.task[index]);
  return 0;
}

extern "C" void sctest_signal_self(void) {
  __atomic_store_n(&model_current()->model_sigpending, 1, __ATOMIC_RELAXED);
}
extern "C" void sctest_signal_clear(void) {
  __atomic_store_n(&model_current()->model_sigpending, 0, __ATOMIC_RELAXED);
}

// A second context on top of the caller: an interrupt or NMI a CPU raises
// on itself arrives at once (model_cpu.cc), so fn has run when the raise
// returns; preemption is off meanwhile so the CPU stays the same.
extern "C" int sctest_call_in(unsigned int context, void (*fn)(void *arg), void *arg) {
  int r = 0;
  switch (context) {
  case SCTEST_PROCESS:
    fn(arg);
    return 0;
  case SCTEST_ATOMIC:
  case SCTEST_HARDIRQ:
  case SCTEST_NMI:
    if (context == SCTEST_HARDIRQ && model_cpu_self.irqs_off)
      return -1;
    model_cpu_self.preempt_count += 1;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (context == SCTEST_ATOMIC)
      fn(arg);
    else if (context == SCTEST_HARDIRQ)
      r = model_raise_irq(model_cpu_self.cpu, fn, arg);
    else
      r = model_raise_nmi(model_cpu_self.cpu, fn, arg);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    model_cpu_self.preempt_count -= 1;
    return r ? -1 : 0;
  case SCTEST_PROBE:
    model_probe(fn, arg);
    return 0;
  default:
    return -1;
  }
}

namespace {

// Periodic interrupts: a host thread (started with the environment, as
// creating a thread inside a case would cross single-step injection with
// libc's signal blocking) raises one on every online CPU each period,
// unless the last one there has not run yet (a late period is not made up).
struct Timers {
  std::thread thread;
  std::atomic<bool> quit{false};
  std::atomic<bool> requested{false}; // the case wants ticks
  std::atomic<bool> ticking{false};   // the thread is raising them
  void (*fn)(void *arg, int cpu) = nullptr;
  void *arg = nullptr;
  unsigned int period_us = 0;
  struct Slot {
    int cpu;
    std::atomic<int> in_flight{0};
  } slot[MODEL_MAX_CPUS];
} timers;

void TimerTick(void *p) {
  auto *slot = static_cast<Timers::Slot *>(p);
  timers.fn(timers.arg, slot->cpu);
  slot->in_flight.store(0, std::memory_order_release);
}

void TimersMain() {
  while (!timers.quit.load(std::memory_order_acquire)) {
    if (!timers.requested.load(std::memory_order_acquire)) {
      timers.ticking.store(false, std::memory_order_release);
      std::this_thread::sleep_for(std::chrono::microseconds(500));
      continue;
    }
    timers.ticking.store(true, std::memory_order_release);
    std::this_thread::sleep_for(std::chrono::microseconds(timers.period_us));
    if (!timers.requested.load(std::memory_order_acquire))
      continue;
    int n = model::CpuCount();
    for (int cpu = 0; cpu < n; cpu++) {
      auto &slot = timers.slot[cpu];
      if (slot.in_flight.exchange(1, std::memory_order_acq_rel))
        continue;
      if (model_raise_irq(cpu, TimerTick, &slot) != 0)
        slot.in_flight.store(0, std::memory_order_release);
    }
  }
}

} // namespace

extern "C" int sctest_timers_start(unsigned int period_us, void (*fn)(void *arg, int cpu),
                                   void *arg) {
  if (timers.requested.load() || !period_us || !timers.thread.joinable())
    return -1;
  timers.fn = fn;
  timers.arg = arg;
  timers.period_us = period_us;
  for (int cpu = 0; cpu < MODEL_MAX_CPUS; cpu++) {
    timers.slot[cpu].cpu = cpu;
    timers.slot[cpu].in_flight.store(0);
  }
  timers.requested.store(true, std::memory_order_release);
  return 0;
}

extern "C" void sctest_timers_stop(void) {
  if (!timers.requested.load())
    return;
  timers.requested.store(false, std::memory_order_release);
  while (timers.ticking.load(std::memory_order_acquire))
    model_cpu_relax_yield();
  // Callbacks already raised run (this CPU's too: interrupts are on here),
  // within seconds even under a sanitizer. One that does not was lost, or
  // abandoned half-way by a fatal violation: a violation that fails the
  // test and says what the CPUs hold, not a wait until ctest's timeout.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (auto &slot : timers.slot)
    while (slot.in_flight.load(std::memory_order_acquire)) {
      if (std::chrono::steady_clock::now() > deadline) {
        model_violation("sctest_timers_stop",
                        "the timer interrupt raised on CPU %d has not run in 30 s (lost, or "
                        "abandoned by a fatal violation); CPUs: %s",
                        slot.cpu, model::DescribeCpus().c_str());
        slot.in_flight.store(0, std::memory_order_release);
        break;
      }
      model_cpu_relax_yield();
    }
}

namespace {

uint64_t EnvOr(const char *name, uint64_t fallback) {
  const char *v = getenv(name);
  return v && *v ? strtoull(v, nullptr, 0) : fallback;
}

// One run of a case in one context. Plain data: it is written from
// interrupt context and read after the CPU finished.
struct Iteration {
  const sctest_case *c;
  unsigned int context;
  sctest_result r;
  bool count_mode;              // count the case's instructions instead
  unsigned long step_countdown; // 0: no single-step injection
  int step_kind;
  unsigned long counted;
  int stepped;
  std::atomic<int> ran{0};
};

// Runs in the context under test.
void Invoke(void *arg) {
  auto *it = static_cast<Iteration *>(arg);
  it->r.context = it->context;
  if (it->count_mode)
    model_step_count_begin();
  else if (it->step_countdown)
    model_step_arm(it->step_countdown, it->step_kind);
  it->c->fn(&it->r);
  if (it->count_mode)
    it->counted = model_step_count_end();
  else if (it->step_countdown)
    it->stepped = model_step_disarm();
  it->ran.store(1, std::memory_order_release);
}

bool WaitRan(const Iteration &it) {
  for (int i = 0; i < 5000000 && !it.ran.load(std::memory_order_acquire); i++)
    model_cpu_relax_yield();
  return it.ran.load(std::memory_order_acquire);
}

// preempt_disable()/preempt_enable() of the kernel runner, in the model.
void PreemptDisable() {
  model_cpu_self.preempt_count += 1;
  std::atomic_signal_fence(std::memory_order_seq_cst);
}
void PreemptEnable() {
  std::atomic_signal_fence(std::memory_order_seq_cst);
  model_cpu_self.preempt_count -= 1;
}

// On a simulated CPU, task context. Returns a set-up failure or nullptr.
const char *RunInContext(Iteration &it) {
  int cpu = model_cpu_self.cpu;
  switch (it.context) {
  case SCTEST_PROCESS:
    Invoke(&it);
    break;
  case SCTEST_ATOMIC:
    PreemptDisable();
    Invoke(&it);
    PreemptEnable();
    break;
  case SCTEST_HARDIRQ:
    if (model_raise_irq(cpu, Invoke, &it) != 0)
      return "could not raise an interrupt";
    if (!WaitRan(it))
      return "the interrupt did not run the case within 5 s";
    break;
  case SCTEST_NMI:
    PreemptDisable();
    if (model_raise_nmi(cpu, Invoke, &it) != 0) {
      PreemptEnable();
      return "could not raise an NMI";
    }
    if (!WaitRan(it)) {
      PreemptEnable();
      return "the NMI did not run the case within 5 s";
    }
    PreemptEnable();
    break;
  case SCTEST_PROBE:
    model_probe(Invoke, &it);
    break;
  default:
    return "unknown context class";
  }
  return it.ran.load(std::memory_order_acquire) ? nullptr : "the context did not run the case";
}

// What went wrong in a chunk of iterations, if anything (plain data).
struct Outcome {
  int iteration = -1; // first bad iteration, -1 if none
  int current = -1;   // the iteration running (known after a fatal violation)
  bool aborted = false;
  int cpu = -1;
  const char *setup = nullptr;
  sctest_result r{};
  unsigned long step_countdown = 0;
  int step_kind = 0;
  model::CpuState state;
  int pil = 0;
  bool violation = false;
  bool skipped = false;
  const char *skip_reason = nullptr;
  int stepped = 0; // single-step injections delivered
  int ran = 0;     // iterations run
};

class CaseTest : public model::Test {
public:
  CaseTest(const sctest_case *c, unsigned int context) : case_(c), context_(context) {}
  // The family's SCTEST_F_ORDERED cases, together (see sctest.h).
  explicit CaseTest(const sctest_family *ordered) : ordered_(ordered) {}

  void TestBody() override {
    if (ordered_) {
      OrderedBody();
      return;
    }
    const int iterations = int(EnvOr("SOLCOMPAT_MODEL_ITERATIONS", 200));
    const int step_every = int(EnvOr("SOLCOMPAT_MODEL_STEP_EVERY", 4));
    const int cpus = model::CpuCount();
    std::mt19937_64 rng(seed_);

    // Calibrate: how many instructions of our code does one run execute?
    unsigned long length = 0;
    if (step_every && model::SteppingEnabled()) {
      Outcome cal = RunChunk(0, 0, 1, true, rng, 0, &length);
      if (!Report(cal)) {
        if (skip_reason_)
          GTEST_SKIP() << skip_reason_;
        return;
      }
    }
    int stepped = 0, ran = 0;
    // Cases that sleep or start threads take milliseconds: each CPU's
    // chunk stops early (after at least one iteration) once the test has
    // used its time budget. The plans stay those of the seed.
    const long long budget_ns = (long long)EnvOr("SOLCOMPAT_MODEL_CASE_BUDGET_MS", 3000) * 1000000;
    for (int cpu = 0; cpu < cpus; cpu++) {
      int first = iterations * cpu / cpus, last = iterations * (cpu + 1) / cpus;
      if (first == last)
        continue;
      long long deadline = sctest_now_ns() + budget_ns * (cpu + 1) / cpus;
      Outcome o = RunChunk(cpu, first, last, false, rng, step_every ? length : 0, nullptr,
                           step_every, deadline);
      stepped += o.stepped;
      ran += o.ran;
      if (!Report(o)) {
        if (skip_reason_)
          GTEST_SKIP() << skip_reason_;
        return;
      }
    }
    RecordProperty("iterations", ran);
    RecordProperty("case_instructions", std::to_string(length));
    RecordProperty("single_step_interrupts", stepped);
  }

private:
  // Every ordered case of the family once per context, in table order,
  // process context first, as runner 2 runs them; injection stays on.
  // A skip here is a failure: the state the case expects is what the
  // earlier cases of this very test leave.
  void OrderedBody() {
    std::mt19937_64 rng(seed_);
    int ran = 0;
    for (unsigned int i = 0; i < ordered_->count; i++) {
      const sctest_case *c = &ordered_->cases[i];
      if (!(c->flags & SCTEST_F_ORDERED))
        continue;
      for (unsigned int bit = SCTEST_PROCESS; bit <= SCTEST_PROBE; bit <<= 1) {
        if (!(c->contexts & bit))
          continue;
        case_ = c;
        context_ = bit;
        Outcome o = RunChunk(0, 0, 1, false, rng, 0, nullptr);
        ran++;
        if (o.iteration >= 0) {
          if (o.skipped)
            ADD_FAILURE() << c->name << "/" << sctest_context_name(bit)
                          << " skipped in its ordered run: "
                          << (o.skip_reason ? o.skip_reason : "?");
          else
            ADD_FAILURE() << "in " << c->name << "/" << sctest_context_name(bit) << ":";
          Report(o);
          return;
        }
      }
    }
    RecordProperty("ordered_runs", ran);
  }

  // Run iterations [first, last) on one CPU. Plans (injection positions)
  // are drawn here, on the test's thread, so they depend on the seed only.
  Outcome RunChunk(int cpu, int first, int last, bool count_mode, std::mt19937_64 &rng,
                   unsigned long length, unsigned long *counted, int step_every = 0,
                   long long deadline = 0) {
    struct Plan {
      unsigned long countdown;
      int kind;
    };
    std::vector<Plan> plans(size_t(last - first));
    for (int i = first; i < last; i++) {
      Plan &p = plans[size_t(i - first)];
      p.countdown = length && i % step_every == 0 ? 1 + rng() % length : 0;
      p.kind = rng() % 4 == 0 ? MODEL_STEP_NMI : MODEL_STEP_IRQ;
    }
    Outcome o;
    const Plan *plan = plans.data();
    auto result = model::RunOn(cpu, [&, plan] {
      for (int i = first; i < last; i++) {
        if (deadline && i > first && sctest_now_ns() > deadline)
          return;
        o.current = i;
        o.ran++;
        Iteration it{};
        it.c = case_;
        it.context = context_;
        it.count_mode = count_mode;
        it.step_countdown = plan[i - first].countdown;
        it.step_kind = plan[i - first].kind;
        uint64_t violations = model::ViolationCount();
        const char *setup = RunInContext(it);
        // What a case may leave behind (runner 2 reaps the same).
        if (group.n && !setup) {
          sctest_threads_join();
          setup = "the case left its thread group running (joined by the runner)";
        }
        if (timers.requested.load() && !setup) {
          sctest_timers_stop();
          setup = "the case left its timers running (stopped by the runner)";
        }
        __atomic_store_n(&model_current()->model_sigpending, 0, __ATOMIC_RELAXED);
        o.stepped += it.stepped;
        if (counted)
          *counted = it.counted;
        model::CpuState st = model::ThisCpuState();
        int pil = solcompat_workload_pil();
        bool violation = model::ViolationCount() != violations;
        bool bad_state = st.preempt_count || st.irqs_off || st.irq_pending || st.frame_depth != 1;
        if (setup || it.r.failed || it.r.skipped || violation || bad_state || pil) {
          o.iteration = i;
          o.cpu = st.cpu;
          o.setup = setup;
          o.r = it.r;
          o.step_countdown = it.step_countdown;
          o.step_kind = it.step_kind;
          o.state = st;
          o.pil = pil;
          o.violation = violation;
          o.skipped = it.r.skipped && !it.r.failed;
          o.skip_reason = it.r.expr;
          return;
        }
      }
    });
    if (result.aborted && o.iteration < 0) {
      o.iteration = o.current;
      o.cpu = cpu;
      o.aborted = true;
      if (o.current >= first) {
        o.step_countdown = plans[size_t(o.current - first)].countdown;
        o.step_kind = plans[size_t(o.current - first)].kind;
      }
      o.setup = "a fatal violation abandoned the iteration (see the model violation below)";
    }
    return o;
  }

  // false: stop the test.
  bool Report(const Outcome &o) {
    if (o.iteration < 0)
      return true;
    if (o.skipped) {
      skip_reason_ = o.skip_reason ? o.skip_reason : "skipped by the case";
      return false;
    }
    char where[160];
    if (o.step_countdown)
      snprintf(where, sizeof(where),
               "iteration %d on CPU %d, with a single-stepped %s after instruction %lu",
               o.iteration, o.cpu, o.step_kind == MODEL_STEP_NMI ? "NMI" : "interrupt",
               o.step_countdown);
    else
      snprintf(where, sizeof(where), "iteration %d on CPU %d", o.iteration, o.cpu);
    if (o.setup)
      ADD_FAILURE() << where << ": " << o.setup;
    if (o.r.failed)
      ADD_FAILURE_AT(o.r.file ? o.r.file : "?", o.r.line)
          << where << ": check failed: " << (o.r.expr ? o.r.expr : "?") << " (left " << o.r.left
          << ", right " << o.r.right << ")";
    if (!o.aborted && (o.state.preempt_count || o.state.irqs_off || o.state.irq_pending ||
                       o.state.frame_depth != 1))
      ADD_FAILURE() << where << ": the CPU was not back in task context as it was: "
                    << "preempt_count " << o.state.preempt_count << ", IRQs "
                    << (o.state.irqs_off ? "off" : "on") << ", interrupt pending "
                    << o.state.irq_pending << ", frame depth " << o.state.frame_depth;
    if (o.pil)
      ADD_FAILURE() << where << ": the spl level was left at " << o.pil;
    if (o.violation)
      ADD_FAILURE() << where << ": the model recorded a violation (listed below)";
    return false;
  }

  const sctest_case *case_ = nullptr;
  unsigned int context_ = 0;
  const sctest_family *ordered_ = nullptr;
  const char *skip_reason_ = nullptr;
};

// Loads the module (module_init on CPU 0, as insmod) and arms the workloads.
class ConformanceEnvironment : public ::testing::Environment {
public:
  void SetUp() override {
    model_set_workloads(solcompat_workload_hardirq, solcompat_workload_nmi, nullptr);
    timers.thread = std::thread(TimersMain);
    int err = model::ModuleLoad();
    model::Quiesce();
    auto log = model::TakeLog();
    printf("%s", model::FormatLog(log).c_str());
    for (auto &v : model::TakeViolations())
      ADD_FAILURE() << "model violation while loading the module: " << v.message;
    if (err)
      ADD_FAILURE() << "module_init returned " << err;
    fflush(stdout);
  }
  void TearDown() override {
    model::Quiesce();
    model::ModuleUnload();
    model::Quiesce();
    for (auto &v : model::TakeViolations())
      ADD_FAILURE() << "model violation while unloading the module: " << v.message;
    model::TakeLog();
    model_set_workloads(nullptr, nullptr, nullptr);
    timers.quit.store(true, std::memory_order_release);
    timers.thread.join();
  }
};

} // namespace

int main(int argc, char **argv) {
  testing::InitGoogleTest(&argc, argv);
  testing::AddGlobalTestEnvironment(new model::Environment);
  testing::AddGlobalTestEnvironment(new ConformanceEnvironment);
  for (unsigned int f = 0; f < sctest_family_count; f++) {
    const sctest_family *fam = sctest_families[f];
    bool have_ordered = false;
    for (unsigned int i = 0; i < fam->count; i++) {
      const sctest_case *c = &fam->cases[i];
      if (c->flags & SCTEST_F_ORDERED) {
        have_ordered = true;
        continue;
      }
      for (unsigned int bit = SCTEST_PROCESS; bit <= SCTEST_PROBE; bit <<= 1) {
        if (!(c->contexts & bit))
          continue;
        std::string name = std::string(c->name) + "/" + sctest_context_name(bit);
        testing::RegisterTest(fam->name, name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                              [c, bit]() -> model::Test * { return new CaseTest(c, bit); });
      }
    }
    if (have_ordered)
      testing::RegisterTest(fam->name, "ordered_cases", nullptr, nullptr, __FILE__, __LINE__,
                            [fam]() -> model::Test * { return new CaseTest(fam); });
  }
  return RUN_ALL_TESTS();
}
