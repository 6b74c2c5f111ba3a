// SPDX-License-Identifier: GPL-2.0
//
// Self-test of the kernel model: every check fires on deliberately wrong
// kernel code (selftest_kernel.c, compiled like linux/*.c), stays quiet on
// right code, and the interrupt machinery behaves as the Big Theory
// Statement of model_cpu.cc says: masked interrupts run only after the
// mask is lifted, NMIs ignore the mask, frames nest as on the hardware, and
// every hang the model turns into a failure is reported in bounded time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "model.hh"
#include "model_gtest.hh"
#include "selftest_kernel.h"

using ::testing::AllOf;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

namespace {

// Deterministic tests: no random interrupts unless a test asks for them.
class Model : public model::Test {
protected:
  Model() {
    cpus_ = 4; // the tests name CPUs 0..3, whatever SOLCOMPAT_MODEL_CPUS says
    inject_ = false;
  }

  // Violations recorded so far (the fixture would fail the test on them).
  static std::vector<model::Violation> Violations() {
    model::Quiesce();
    return model::TakeViolations();
  }
};

class ModelInjected : public model::Test {
protected:
  ModelInjected() { cpus_ = 4; }
};

class ModelTwoCpus : public model::Test {
protected:
  ModelTwoCpus() {
    cpus_ = 2;
    inject_ = false;
  }
};

// Wait on a simulated CPU for another context to set *flag.
bool WaitFor(const std::atomic<int> &flag) {
  for (int i = 0; i < 2000000 && !flag.load(); i++)
    model_cpu_relax_yield();
  return flag.load() != 0;
}

// Run fn in hardirq context on CPU 0 (raised from CPU 0's task context).
template <typename F> model::RunResult InHardirq(F fn) {
  struct Ctx {
    F *fn;
    std::atomic<int> done{0};
  } ctx{&fn};
  return model::RunOn(0, [&] {
    model_raise_irq(
        0,
        [](void *p) {
          auto *c = static_cast<Ctx *>(p);
          (*c->fn)();
          c->done.store(1);
        },
        &ctx);
    WaitFor(ctx.done);
  });
}

template <typename F> model::RunResult InNmi(F fn) {
  struct Ctx {
    F *fn;
    std::atomic<int> done{0};
  } ctx{&fn};
  return model::RunOn(0, [&] {
    model_raise_nmi(
        0,
        [](void *p) {
          auto *c = static_cast<Ctx *>(p);
          (*c->fn)();
          c->done.store(1);
        },
        &ctx);
    WaitFor(ctx.done);
  });
}

// Enforcement: sleeping -------------------------------------------------------

TEST_F(Model, MightSleepInProcessContextIsFine) {
  auto r = model::RunOn(0, [] {
    st_might_sleep();
    st_schedule_timeout(1);
  });
  EXPECT_FALSE(r.aborted);
  EXPECT_TRUE(Violations().empty());
}

TEST_F(Model, MightSleepInHardirqIsReported) {
  InHardirq([] { st_might_sleep(); });
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_FALSE(v[0].fatal);
  EXPECT_THAT(v[0].message, AllOf(HasSubstr("st_might_sleep: sleeping function called from "
                                            "invalid context"),
                                  HasSubstr("hardirq on task"), HasSubstr("CPU 0"),
                                  HasSubstr("preempt_count 0x10000"), HasSubstr("IRQs off"),
                                  HasSubstr("(might_sleep at "), HasSubstr("selftest_kernel.c:")));
}

TEST_F(Model, MightSleepInNmiWithPreemptionOffAndWithIrqsOffIsReported) {
  InNmi([] { st_might_sleep(); });
  model::RunOn(0, [] {
    st_preempt_disable();
    st_might_sleep();
    st_preempt_enable();
    unsigned long flags = st_irq_save();
    st_schedule_timeout(0);
    st_irq_restore(flags);
  });
  auto v = Violations();
  ASSERT_EQ(v.size(), 3u);
  EXPECT_THAT(v[0].message, AllOf(HasSubstr("nmi on task"), HasSubstr("preempt_count 0x110000")));
  EXPECT_THAT(v[1].message, AllOf(HasSubstr("[CPU 0, task, preempt_count 0x1, IRQs on]")));
  EXPECT_THAT(v[2].message, AllOf(HasSubstr("schedule_timeout_uninterruptible"),
                                  HasSubstr("preempt_count 0x0, IRQs off")));
}

// Enforcement: the allocator ----------------------------------------------------

TEST_F(Model, KmallocInNmiIsReportedAndFails) {
  void *p = reinterpret_cast<void *>(1);
  InNmi([&] { p = st_kmalloc(32, 0); });
  EXPECT_EQ(p, nullptr);
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message,
              AllOf(HasSubstr("kmalloc: called in NMI context"), HasSubstr("nmi on task")));
}

TEST_F(Model, KfreeInNmiIsReported) {
  void *p = nullptr;
  model::RunOn(0, [&] { p = st_kmalloc(32, 1); });
  ASSERT_NE(p, nullptr);
  InNmi([&] { st_kfree(p); });
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, HasSubstr("kfree: called in NMI context"));
  model::RunOn(0, [&] { st_kfree(p); }); // the NMI leaked it; now it goes
  EXPECT_TRUE(Violations().empty());
}

TEST_F(Model, GfpKernelWithPreemptionOffIsReported) {
  model::RunOn(0, [] {
    st_preempt_disable();
    void *p = st_kmalloc(64, 1);
    st_preempt_enable();
    st_kfree(p);
  });
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, AllOf(HasSubstr("kmalloc: GFP flags that may sleep (GFP_KERNEL) in "
                                            "atomic context"),
                                  HasSubstr("task, preempt_count 0x1")));
}

TEST_F(Model, RightAllocationsAreQuiet) {
  void *a = nullptr, *b = nullptr;
  model::RunOn(0, [&] { a = st_kmalloc(100, 1); }); // GFP_KERNEL, process
  InHardirq([&] { b = st_kmalloc(100, 0); });       // GFP_ATOMIC, hardirq
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 16, 0u);
  model::RunOn(1, [&] { // freed on another CPU
    st_kfree(a);
    st_kfree(b);
  });
  EXPECT_TRUE(Violations().empty());
}

TEST_F(Model, BadFreesAreReported) {
  static char not_heap[64];
  model::RunOn(0, [&] {
    void *p = st_kmalloc(8, 1);
    st_kfree(p);
    st_kfree(p);
    st_kfree(not_heap + 16);
    st_kfree(nullptr);
  });
  auto v = Violations();
  ASSERT_EQ(v.size(), 2u);
  EXPECT_THAT(v[0].message, HasSubstr("double free"));
  EXPECT_THAT(v[1].message, HasSubstr("was not returned by kmalloc"));
}

TEST_F(Model, AllocationFailureInjectionSparesSleepingAllocations) {
  model::SetAllocFailurePercent(100);
  void *atomic_alloc = reinterpret_cast<void *>(1), *kernel_alloc = nullptr;
  model::RunOn(0, [&] {
    atomic_alloc = st_kmalloc(32, 0);
    kernel_alloc = st_kmalloc(32, 1);
    st_kfree(kernel_alloc);
  });
  model::SetAllocFailurePercent(0);
  EXPECT_EQ(atomic_alloc, nullptr);
  EXPECT_NE(kernel_alloc, nullptr);
}

// Enforcement: interrupt and probe handlers ---------------------------------------

TEST_F(Model, HardirqHandlerReturningWithIrqsEnabledIsReported) {
  InHardirq([] { st_irq_enable(); });
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message,
              AllOf(HasSubstr("hardirq handler"),
                    HasSubstr("returned with IRQs enabled (it was entered with them disabled)")));
}

TEST_F(Model, HardirqHandlerLeakingPreemptionIsReported) {
  auto r = InHardirq([] { st_preempt_disable(); });
  EXPECT_EQ(r.preempt_count, 0u); // repaired on return
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message,
              HasSubstr("returned with preempt_count 0x10001 (entered with 0x10000)"));
}

TEST_F(Model, NmiHandlerLeakingPreemptionIsReported) {
  InNmi([] { st_preempt_disable(); });
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, AllOf(HasSubstr("nmi handler"), HasSubstr("preempt_count 0x110001")));
}

TEST_F(Model, ProbeHandlerReturningWithIrqsDisabledIsReported) {
  model::RunOn(0, [] { model_probe([](void *) { st_irq_disable(); }, nullptr); });
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, HasSubstr("probe handler"));
  EXPECT_THAT(v[0].message,
              HasSubstr("returned with IRQs disabled (it was entered with them enabled)"));
}

TEST_F(Model, WorkLeakingStateIsVisibleAndRepaired) {
  auto r = model::RunOn(0, [] {
    st_preempt_disable();
    st_irq_disable();
  });
  EXPECT_EQ(r.preempt_count, 1u);
  EXPECT_TRUE(r.irqs_off);
  auto clean = model::RunOn(0, [] {});
  EXPECT_EQ(clean.preempt_count, 0u);
  EXPECT_FALSE(clean.irqs_off);
}

// Enforcement: debug checks of the kernel -------------------------------------------

TEST_F(Model, PreemptEnableUnderflowIsReported) {
  model::RunOn(0, [] { st_preempt_enable(); });
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, HasSubstr("preempt_enable: preempt_count underflow"));
}

TEST_F(Model, IrqRestoreWithIrqsOnIsReported) {
  model::RunOn(0, [] {
    unsigned long outer = st_irq_save();
    unsigned long inner = st_irq_save(); // "off"
    st_irq_enable();
    st_irq_restore(inner); // restoring "off" with IRQs on
    st_irq_disable();
    st_irq_restore(outer);
  });
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, HasSubstr("raw_local_irq_restore: called with IRQs enabled"));
}

TEST_F(Model, SmpProcessorIdInPreemptibleCodeIsReported) {
  model::RunOn(2, [] {
    EXPECT_EQ(st_raw_smp_processor_id(), 2);
    st_preempt_disable();
    EXPECT_EQ(st_smp_processor_id(), 2);
    st_preempt_enable();
    st_smp_processor_id();
  });
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, HasSubstr("smp_processor_id: using smp_processor_id() in preemptible"));
}

// Enforcement: spinlocks turn hangs into bounded failures ----------------------------

TEST_F(Model, SpinlockRecursionFromAnInterruptIsReportedNotHung) {
  st_lock_reset();
  auto start = std::chrono::steady_clock::now();
  auto r = model::RunOn(0, [] {
    st_lock(); // without disabling interrupts: the bug
    model_raise_irq(
        0, [](void *) { st_lock(); }, nullptr);
    st_unlock(); // not reached: the interrupt is taken at once
  });
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.aborted);
  EXPECT_LT(elapsed, 1s);
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_TRUE(v[0].fatal);
  EXPECT_THAT(v[0].message,
              AllOf(HasSubstr("raw_spin_lock: deadlock"),
                    HasSubstr("held by the task context this hardirq interrupted on the same CPU"),
                    HasSubstr("[CPU 0, hardirq on task")));
  st_lock_reset();
  // The CPU is usable again.
  auto after = model::RunOn(0, [] { st_lock_irqsave_cycle(); });
  EXPECT_FALSE(after.aborted);
  EXPECT_EQ(after.preempt_count, 0u);
  EXPECT_TRUE(Violations().empty());
}

TEST_F(Model, SpinlockTakenWithIrqsOffIsSafeFromTheSameInterrupt) {
  st_lock_reset();
  std::atomic<int> got{-1};
  auto r = model::RunOn(0, [&] {
    unsigned long flags = st_irq_save();
    st_lock();
    model_raise_irq(
        0,
        [](void *p) {
          int ok = st_trylock();
          if (ok)
            st_unlock();
          static_cast<std::atomic<int> *>(p)->store(ok);
        },
        &got);
    EXPECT_EQ(got.load(), -1); // masked: not yet
    st_unlock();
    st_irq_restore(flags); // runs now, and finds the lock free
  });
  EXPECT_FALSE(r.aborted);
  EXPECT_EQ(got.load(), 1);
  EXPECT_TRUE(Violations().empty());
}

TEST_F(Model, SpinlockSelfRecursionIsReported) {
  st_lock_reset();
  auto r = model::RunOn(1, [] {
    st_lock();
    st_lock();
  });
  EXPECT_TRUE(r.aborted);
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, HasSubstr("recursion: lock"));
  EXPECT_THAT(v[0].message, HasSubstr("already held by this task context"));
  st_lock_reset();
}

TEST_F(Model, SpinlockLockupAcrossCpusIsReportedAfterTheBound) {
  st_lock_reset();
  model::SetLockupTimeout(200ms);
  model::RunOn(1, [] { st_lock(); }); // CPU 1 keeps it
  auto start = std::chrono::steady_clock::now();
  auto r = model::RunOn(0, [] { st_lock(); });
  auto elapsed = std::chrono::steady_clock::now() - start;
  model::SetLockupTimeout(2000ms);
  EXPECT_TRUE(r.aborted);
  EXPECT_GE(elapsed, 200ms);
  EXPECT_LT(elapsed, 2s);
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, HasSubstr("lockup: spun"));
  EXPECT_THAT(v[0].message, HasSubstr("held by CPU 1"));
  st_lock_reset();
}

TEST_F(Model, UnlockingALockNotHeldIsReported) {
  st_lock_reset();
  model::RunOn(0, [] { st_unlock(); });
  auto v = Violations();
  ASSERT_EQ(v.size(), 2u); // and the preempt_enable() of raw_spin_unlock
  EXPECT_THAT(v[0].message, HasSubstr("raw_spin_unlock: lock"));
  EXPECT_THAT(v[0].message, HasSubstr("is not locked"));
  EXPECT_THAT(v[1].message, HasSubstr("preempt_count underflow"));
}

// Fatal violations: panic -----------------------------------------------------------

TEST_F(Model, AssfailPanicsAndTheTestCanCatchIt) {
  auto r = model::RunOn(0, [] { st_assfail(); });
  EXPECT_TRUE(r.aborted);
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_TRUE(v[0].fatal);
  EXPECT_THAT(v[0].message,
              AllOf(HasSubstr("panic: Kernel panic - not syncing: assertion "
                              "failed: x == 1, file: "),
                    HasSubstr("selftest_kernel.c"), HasSubstr("caller solcompat_panic_any")));
}

TEST_F(Model, PanicFormatsItsMessage) {
  auto r = model::RunOn(3, [] { st_panic(); });
  EXPECT_TRUE(r.aborted);
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, AllOf(HasSubstr("panic: Kernel panic - not syncing: selftest: "
                                            "deliberate 7 [CPU 3, task"),
                                  HasSubstr("caller st_panic+0x")));
}

TEST_F(Model, PanicInAnInterruptOnAnIdleCpuIsCaught) {
  std::atomic<int> raised{0};
  model::RunOn(0, [&] {
    raised.store(model_raise_irq(
                     1, [](void *) { st_assfail(); }, nullptr) == 0);
  });
  EXPECT_EQ(raised.load(), 1);
  auto v = Violations(); // Quiesce lets CPU 1 take it
  ASSERT_EQ(v.size(), 1u);
  EXPECT_TRUE(v[0].fatal);
  EXPECT_THAT(v[0].message, HasSubstr("[CPU 1, hardirq on task"));
  auto r = model::RunOn(1, [] { EXPECT_EQ(st_preempt_count(), 0); });
  EXPECT_FALSE(r.aborted);
}

// Masking and nesting ------------------------------------------------------------------

TEST_F(Model, IrqWhileMaskedRunsOnlyAfterRestore) {
  struct Seen {
    std::atomic<int> ran{0};
    int hardirq = 0, irqs_off = 0, preempt = 0;
  } seen;
  int before = -1, after = -1;
  model::RunOn(0, [&] {
    unsigned long flags = st_irq_save();
    model_raise_irq(
        0,
        [](void *p) {
          auto *s = static_cast<Seen *>(p);
          s->hardirq = st_in_hardirq();
          s->irqs_off = st_irqs_disabled();
          s->preempt = st_preempt_count();
          s->ran.store(1);
        },
        &seen);
    for (int i = 0; i < 1000; i++)
      model_cpu_relax_yield();
    before = seen.ran.load();
    st_irq_restore(flags);
    after = seen.ran.load();
  });
  EXPECT_EQ(before, 0);
  EXPECT_EQ(after, 1);
  EXPECT_EQ(seen.hardirq, 1);
  EXPECT_EQ(seen.irqs_off, 1);
  EXPECT_EQ(seen.preempt, 0x10000);
}

TEST_F(Model, NmiRunsWhileMasked) {
  struct Seen {
    std::atomic<int> ran{0};
    int nmi = 0, hardirq = 0, task = 1, preempt = 0;
  } seen;
  int before_restore = -1;
  model::RunOn(0, [&] {
    unsigned long flags = st_irq_save();
    model_raise_nmi(
        0,
        [](void *p) {
          auto *s = static_cast<Seen *>(p);
          s->nmi = st_in_nmi();
          s->hardirq = st_in_hardirq();
          s->task = st_in_task();
          s->preempt = st_preempt_count();
          s->ran.store(1);
        },
        &seen);
    WaitFor(seen.ran);
    before_restore = seen.ran.load();
    st_irq_restore(flags);
  });
  EXPECT_EQ(before_restore, 1);
  EXPECT_EQ(seen.nmi, 1);
  EXPECT_EQ(seen.hardirq, 1); // nmi_enter() adds HARDIRQ_OFFSET too
  EXPECT_EQ(seen.task, 0);
  EXPECT_EQ(seen.preempt, 0x110000);
}

TEST_F(Model, NmiNestsOnHardirq) {
  auto before = model::GetStats();
  std::atomic<int> nmi_preempt{0};
  InHardirq([&] {
    model_raise_nmi(
        0, [](void *p) { static_cast<std::atomic<int> *>(p)->store(st_preempt_count()); },
        &nmi_preempt);
    WaitFor(nmi_preempt);
  });
  EXPECT_EQ(nmi_preempt.load(), 0x120000); // hardirq + (nmi + hardirq)
  auto after = model::GetStats();
  EXPECT_GT(after.nested[2][1], before.nested[2][1]);
}

TEST_F(Model, TimerInterruptLandsOnAProbe) {
  auto before = model::GetStats();
  std::atomic<int> irq_preempt{0};
  model::RunOn(0, [&] {
    model_probe(
        [](void *p) {
          EXPECT_FALSE(st_irqs_disabled()); // ftrace-based kprobe: IRQs on
          EXPECT_EQ(st_preempt_count(), 1);
          model_raise_irq(
              0, [](void *q) { static_cast<std::atomic<int> *>(q)->store(st_preempt_count()); }, p);
        },
        &irq_preempt);
  });
  EXPECT_EQ(irq_preempt.load(), 0x10001); // hardirq on the probe's preempt_disable
  auto after = model::GetStats();
  EXPECT_GT(after.nested[1][3], before.nested[1][3]);
}

TEST_F(Model, HardirqsDoNotNestOnHardirqs) {
  struct Order {
    std::atomic<int> step{0};
    int inner_saw_outer_done = -1;
  } order;
  InHardirq([&] {
    model_raise_irq(
        0,
        [](void *p) {
          auto *o = static_cast<Order *>(p);
          o->inner_saw_outer_done = o->step.load();
        },
        &order);
    for (int i = 0; i < 1000; i++)
      model_cpu_relax_yield();
    order.step.store(1);
  });
  model::Quiesce();
  EXPECT_EQ(order.inner_saw_outer_done, 1);
}

// Instruction-precise injection ----------------------------------------------------------

struct StepSeen {
  std::atomic<int> runs{0};
  unsigned long progress = 0;
  int preempt = 0;
};
StepSeen step_seen;

void RecordStep(void *) {
  step_seen.progress = st_spin_progress;
  step_seen.preempt = st_preempt_count();
  step_seen.runs.fetch_add(1);
}

TEST_F(Model, SingleStepInjectionLandsInsideTheCode) {
  if (!model::SteppingEnabled())
    GTEST_SKIP() << "SOLCOMPAT_MODEL_STEP=0";
  model_set_workloads(RecordStep, RecordStep, nullptr);
  unsigned long length = 0;
  int fired_irq = 0, fired_nmi = 0, runs_masked = -1;
  unsigned long progress_irq = 0, progress_nmi = 0;
  int preempt_nmi = 0;
  model::RunOn(0, [&] {
    model_step_count_begin();
    st_spin(100);
    length = model_step_count_end();

    step_seen.runs = 0;
    model_step_arm(length / 2, MODEL_STEP_IRQ);
    st_spin(100);
    fired_irq = model_step_disarm();
    progress_irq = step_seen.progress;

    // An NMI lands even with interrupts masked; an interrupt pends.
    unsigned long flags = st_irq_save();
    model_step_arm(length / 2, MODEL_STEP_NMI);
    st_spin(100);
    fired_nmi = model_step_disarm();
    progress_nmi = step_seen.progress;
    preempt_nmi = step_seen.preempt;
    int runs = step_seen.runs.load();
    model_step_arm(length / 2, MODEL_STEP_IRQ);
    st_spin(100);
    model_step_disarm();
    runs_masked = step_seen.runs.load() - runs;
    st_irq_restore(flags);
  });
  model_set_workloads(nullptr, nullptr, nullptr);
  EXPECT_GT(length, 100u);
  EXPECT_EQ(fired_irq, 1);
  EXPECT_GT(progress_irq, 10u); // in the middle of the loop
  EXPECT_LT(progress_irq, 90u);
  EXPECT_EQ(fired_nmi, 1);
  EXPECT_GT(progress_nmi, 10u);
  EXPECT_LT(progress_nmi, 90u);
  EXPECT_EQ(preempt_nmi, 0x110000);
  EXPECT_EQ(runs_masked, 0); // pended, ran at st_irq_restore
  EXPECT_EQ(step_seen.runs.load(), 3);
  EXPECT_EQ(step_seen.progress, 100u);
}

// Random injection ---------------------------------------------------------------------

TEST_F(ModelInjected, RandomInterruptsReachBusyCpus) {
  if (!model::InjectionEnabledByDefault())
    GTEST_SKIP() << "SOLCOMPAT_MODEL_INJECT=0";
  auto before = model::GetStats();
  model::RunOn(0, [] {
    auto end = std::chrono::steady_clock::now() + 100ms;
    while (std::chrono::steady_clock::now() < end) {
      unsigned long flags = st_irq_save();
      st_spin(1000);
      st_irq_restore(flags);
      usleep(10);
    }
  });
  auto after = model::GetStats();
  EXPECT_GT(after.injected - before.injected, 20u);
  EXPECT_GT(after.irqs - before.irqs, 10u);
}

// Per-CPU data, IPIs, CPUs -------------------------------------------------------------

TEST_F(Model, PerCpuVariablesHaveOneCopyPerCpu) {
  int n = model::CpuCount();
  for (int cpu = 0; cpu < n; cpu++)
    model::RunOn(cpu, [cpu] { st_percpu_set(100 + cpu); });
  std::vector<int> seen(size_t(n), 0);
  model::RunOn(0, [&] {
    for (int cpu = 0; cpu < n; cpu++)
      seen[size_t(cpu)] = st_percpu_get(cpu);
  });
  for (int cpu = 0; cpu < n; cpu++)
    EXPECT_EQ(seen[size_t(cpu)], 100 + cpu);
}

TEST_F(Model, IpiRunsOnTheTargetInHardirqContext) {
  int result = 0;
  int rc = -1;
  auto seen = [&] { return __atomic_load_n(&result, __ATOMIC_ACQUIRE); };
  model::RunOn(0, [&] {
    rc = st_ipi(3, &result);
    for (int i = 0; i < 1000000 && !seen(); i++)
      model_cpu_relax_yield();
  });
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(seen(), 1000 + 3 + 100 + 10000); // CPU 3, hardirq, IRQs off
  __atomic_store_n(&result, 0, __ATOMIC_RELAXED);
  model::RunOn(2, [&] { rc = st_ipi(2, &result); }); // own CPU: at once
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(seen(), 1000 + 2 + 10000); // IRQs off, not in hardirq
}

TEST_F(ModelTwoCpus, TheCpuCountIsConfigurablePerTest) {
  EXPECT_EQ(model::CpuCount(), 2);
  unsigned int online = 0;
  model::RunOn(1, [&] { online = st_num_online_cpus(); });
  EXPECT_EQ(online, 2u);
}

// The kernel log and the module -----------------------------------------------------------

TEST_F(Model, PrintkIsCapturedFormattedAndSymbolised) {
  model::RunOn(1, [] {
    st_printk();
    st_printk_cont();
  });
  model::Quiesce();
  auto log = model::TakeLog();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].level, 3);
  EXPECT_EQ(log[0].cpu, 1);
  EXPECT_THAT(log[0].text, HasSubstr("selftest: hello 42    ab|7   |beef st_printk+0x0/0x"));
  EXPECT_EQ(log[1].level, 4); // from a "%s" argument, as in the kernel
  EXPECT_EQ(log[1].text, "first second");
}

TEST_F(Model, ModuleInitRunsAndTheRegistriesAreVisible) {
  EXPECT_EQ(model::ModuleLoad(), 0);
  model::Quiesce();
  auto log = model::TakeLog();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].text, "selftest module: loaded on 6.12.0-solcompat-model");
  EXPECT_EQ(log[0].cpu, 0);
  EXPECT_EQ(st_module_loaded(), 1);
  const model_ksym *loaded = model::FindExport("st_module_loaded");
  ASSERT_NE(loaded, nullptr);
  EXPECT_TRUE(loaded->gpl);
  EXPECT_EQ(loaded->addr, reinterpret_cast<const void *>(&st_module_loaded));
  EXPECT_FALSE(model::IsNoKprobe(loaded->addr));
  EXPECT_TRUE(model::IsNoKprobe(reinterpret_cast<const void *>(&st_spin)));
  EXPECT_EQ(model::FindExport("st_spin"), nullptr);
  bool gpl = false;
  for (auto &[tag, value] : model::ModInfo())
    if (tag == "license")
      gpl = value == "GPL";
  EXPECT_TRUE(gpl);
  model::ModuleUnload();
  EXPECT_EQ(st_module_loaded(), 2);
}

TEST_F(Model, ModuleParametersComeFromTheEnvironmentAndBadOnesFailTheLoad) {
  EXPECT_EQ(st_module_params(), 7000);
  setenv("SOLCOMPAT_MODEL_PARAMS", "st_param_flag st_param_int=-3 st_param_ulong=0x10", 1);
  EXPECT_EQ(model::ModuleLoad(), 0);
  EXPECT_EQ(st_module_params(), 1000000 - 3000 + 16);
  model::ModuleUnload();
  for (const char *bad : {"nosuch=1", "st_param_flag=maybe", "st_param_int=1x",
                          "st_param_int=99999999999", "st_param_ulong=-1"}) {
    setenv("SOLCOMPAT_MODEL_PARAMS", bad, 1);
    EXPECT_EQ(model::ModuleLoad(), -EINVAL) << bad;
  }
  unsetenv("SOLCOMPAT_MODEL_PARAMS");
  model::Quiesce();
  model::TakeLog();
  bool described = false;
  for (auto &[tag, value] : model::ModInfo())
    if (tag == "parm")
      described = described || value == "st_param_flag:a flag";
  EXPECT_TRUE(described);
}

// The stand-ins added with xcall/cpu/copy/kmem -----------------------------------

TEST_F(Model, CurrentAndCapableAreTheCpusTaskAndCapableIsProcessOnly) {
  int admin = -1;
  unsigned int pid = 0;
  model::RunOn(1, [&] {
    admin = st_capable_admin();
    pid = st_current_pid();
  });
  EXPECT_EQ(admin, 1);
  EXPECT_EQ(pid, 1001u);
  model::SetTaskIdentity(1, 1000, 1000, false);
  model::RunOn(1, [&] { admin = st_capable_admin(); });
  model::SetTaskIdentity(1, 0, 0, true);
  EXPECT_EQ(admin, 0);
  EXPECT_TRUE(Violations().empty());
  InHardirq([&] { admin = st_capable_admin(); });
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, AllOf(HasSubstr("capable"), HasSubstr("outside process context")));
}

TEST_F(Model, UserCopiesFaultOutsideUserMemoryAndMaySleep) {
  char *u = static_cast<char *>(model::UserAlloc(4096));
  ASSERT_NE(u, nullptr);
  memcpy(u + 4090, "abcdef", 6);
  char k[16];
  unsigned long left_ok = 1, left_edge = 0, left_kernel = 0;
  model::RunOn(0, [&] {
    left_ok = st_copy_from_user(k, u + 4090, 6);
    left_edge = st_copy_from_user(k, u + 4090, 10); // 6 bytes, then the end
    left_kernel = st_copy_from_user(k, k + 8, 4);   // kernel memory: faults
  });
  EXPECT_EQ(left_ok, 0u);
  EXPECT_EQ(left_edge, 4u);
  EXPECT_EQ(left_kernel, 4u);
  EXPECT_TRUE(Violations().empty());
  model::RunOn(0, [&] {
    st_preempt_disable();
    st_copy_from_user(k, u, 1);
    st_preempt_enable();
  });
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, HasSubstr("copy_from_user"));
  model::UserFree(u, 4096);
}

TEST_F(Model, VfreeInNmiIsReportedAndBigBlocksAreVmalloc) {
  void *big = nullptr;
  model::RunOn(0, [&] { big = st_kvmalloc(64 * 1024, 1); });
  ASSERT_NE(big, nullptr);
  InNmi([&] { st_kvfree(big); });
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, AllOf(HasSubstr("kvfree"), HasSubstr("NMI")));
  model::RunOn(0, [&] { st_kvfree(big); }); // the NMI leaked it; now it goes
  EXPECT_TRUE(Violations().empty());
}

TEST_F(Model, IrqWorkQueuedFromNmiRunsInHardirqAfterIt) {
  st_irq_work_runs = 0;
  st_irq_work_in_hardirq = 0;
  int queued = 0;
  InNmi([&] { queued = st_irq_work_queue(); });
  model::RunOn(0, [] { st_irq_work_sync(); });
  EXPECT_EQ(queued, 1);
  EXPECT_EQ(st_irq_work_runs, 1);
  EXPECT_EQ(st_irq_work_in_hardirq, 1);
  EXPECT_TRUE(Violations().empty());
  model::RunOn(0, [] {
    unsigned long flags = st_irq_save();
    st_irq_work_sync();
    st_irq_restore(flags);
  });
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, AllOf(HasSubstr("irq_work_sync"), HasSubstr("interrupts off")));
}

TEST_F(Model, CpuhpCallbacksRunOnEachCpuAndMaySleep) {
  st_cpuhp_online_mask = 0;
  int state = -1;
  model::RunOn(0, [&] { state = st_cpuhp_setup(); });
  ASSERT_GT(state, 0);
  EXPECT_EQ(st_cpuhp_online_mask, (1UL << model::CpuCount()) - 1);
  model::RunOn(0, [&] { st_cpuhp_remove(state); });
  EXPECT_EQ(st_cpuhp_online_mask, 0UL);
  EXPECT_TRUE(Violations().empty());
  InHardirq([&] { state = st_cpuhp_setup(); });
  auto v = Violations();
  ASSERT_GE(v.size(), 1u);
  EXPECT_THAT(v[0].message, HasSubstr("cpuhp_setup_state"));
  if (state > 0)
    model::RunOn(0, [&] { st_cpuhp_remove(state); });
  Violations();
}

} // namespace

int main(int argc, char **argv) {
  testing::InitGoogleTest(&argc, argv);
  testing::AddGlobalTestEnvironment(new model::Environment);
  return RUN_ALL_TESTS();
}

// The scheduler (model_task.cc) ------------------------------------------------

TEST_F(Model, ScheduleOutsideTaskContextIsReportedAndDoesNotSleep) {
  auto r = model::RunOn(0, [] {
    st_preempt_disable();
    st_schedule_in_state(); // would sleep for ever if it slept
    st_preempt_enable();
  });
  EXPECT_FALSE(r.aborted);
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, AllOf(HasSubstr("schedule: scheduling while atomic"),
                                  HasSubstr("preempt_count 0x1")));
}

TEST_F(Model, WakingATaskFromNmiIsReported) {
  void *self = nullptr;
  model::RunOn(0, [&] { self = st_current(); });
  int woken = -1;
  InNmi([&] { woken = st_wake(self); });
  EXPECT_EQ(woken, 0);
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, AllOf(HasSubstr("wake_up_process"), HasSubstr("in NMI context")));
}

// More tasks than CPUs: they sleep on a wait queue, a hard interrupt on
// another CPU wakes them all, they share the CPUs (cond_resched), and
// kthread_stop() returns each one's result. The stop waits until all have
// run: a kthread stopped before it first ran never runs its function and
// returns -EINTR, as in Linux (seen: thread 1 still queued behind CPU 1's
// boot task when the stop came). Which CPUs run them is the scheduler's
// choice (no load balancing): only online ones.
TEST_F(ModelTwoCpus, KthreadsSleepWakeFromHardirqAndShareTheCpus) {
  int started = -1, total = 0, sum = 0;
  model::RunOn(0, [&] { started = st_kthreads_start(8); });
  ASSERT_EQ(started, 0);
  std::atomic<int> done{0};
  model::RunOn(1, [&] {
    model_raise_irq(
        1,
        [](void *p) {
          st_kthreads_go();
          static_cast<std::atomic<int> *>(p)->store(1);
        },
        &done);
  });
  EXPECT_EQ(done.load(), 1);
  for (int i = 0; i < 10000 && st_kthreads_finished() < 8; i++)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(st_kthreads_finished(), 8);
  model::RunOn(0, [&] { total = st_kthreads_stop(&sum); });
  EXPECT_EQ(total, 36); // 1 + 2 + ... + 8
  EXPECT_EQ(sum, 800);
  EXPECT_NE(st_kthread_cpus_seen, 0);
  EXPECT_EQ(st_kthread_cpus_seen & ~3, 0); // CPUs 0 and 1 only
  model::Quiesce();
  EXPECT_TRUE(model::TakeViolations().empty());
}

// A lost wake-up is a report and an abort, never a hang.
TEST(ModelDeathTest, ATaskAsleepTooLongIsReportedAsHung) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        setenv("SOLCOMPAT_MODEL_HUNG_MS", "300", 1);
        model::Boot(1);
        model::RunOn(0, [] { st_sleep_forever(); });
      },
      "hung task: cpu0 \\(pid 1000\\) has slept in TASK_UNINTERRUPTIBLE.*"
      "CPUs: cpu0: swapper/0.*kernel log so far");
}

// hrtimers and workqueues (model_timer.cc) -------------------------------------

int Load(volatile int &v) { return __atomic_load_n(&v, __ATOMIC_ACQUIRE); }

bool WaitForCount(volatile int &counter, int n) {
  for (int i = 0; i < 5000 && Load(counter) < n; i++)
    usleep(1000);
  return Load(counter) >= n;
}

TEST_F(Model, HardTimersFireInHardirqOnTheirCpuAndRestart) {
  model::RunOn(2, [] { st_timer_start(0, 5); });
  EXPECT_TRUE(WaitForCount(st_timer_runs, 5));
  usleep(20000);
  EXPECT_EQ(Load(st_timer_runs), 5); // HRTIMER_NORESTART on the fifth
  EXPECT_EQ(Load(st_timer_cpu), 2);
  EXPECT_EQ(Load(st_timer_hardirq), 1);
  int cancelled = -1;
  model::RunOn(2, [&] { cancelled = st_timer_cancel(); });
  EXPECT_EQ(cancelled, 0); // no longer armed
  EXPECT_TRUE(Violations().empty());
}

TEST_F(Model, SoftTimersFireInSoftirqContextAndCancelStopsThem) {
  model::RunOn(1, [] { st_timer_start(1, 1000000); });
  EXPECT_TRUE(WaitForCount(st_timer_runs, 3));
  int cancelled = -1;
  model::RunOn(1, [&] { cancelled = st_timer_cancel(); });
  int runs = Load(st_timer_runs);
  usleep(20000);
  EXPECT_EQ(Load(st_timer_runs), runs); // no callback after hrtimer_cancel
  EXPECT_EQ(cancelled, 1);
  EXPECT_EQ(Load(st_timer_cpu), 1);
  EXPECT_EQ(Load(st_timer_hardirq), 0);
  EXPECT_EQ(Load(st_timer_softirq), 1);
  EXPECT_TRUE(Violations().empty());
}

TEST_F(Model, WorkRunsInProcessContextOnItsCpu) {
  int queued = -1, flushed = -1;
  model::RunOn(0, [&] {
    queued = st_work_queue(3);
    flushed = st_work_flush();
  });
  EXPECT_EQ(queued, 1);
  EXPECT_EQ(Load(st_work_runs), 1);
  EXPECT_EQ(Load(st_work_cpu), 3);
  EXPECT_EQ(Load(st_work_in_task), 1);
  (void)flushed;
  // From hard interrupt context too.
  InHardirq([&] { queued = st_work_requeue(0); });
  EXPECT_EQ(queued, 1);
  EXPECT_TRUE(WaitForCount(st_work_runs, 2));
  EXPECT_EQ(Load(st_work_cpu), 0);
  EXPECT_TRUE(Violations().empty());
}

TEST_F(Model, QueueingWorkFromNmiIsReported) {
  model::RunOn(0, [] { st_work_queue(0); });
  WaitForCount(st_work_runs, 1);
  Violations();
  int queued = -1;
  InNmi([&] { queued = st_work_requeue(0); });
  EXPECT_EQ(queued, 0);
  auto v = Violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, AllOf(HasSubstr("queue_work_on"), HasSubstr("in NMI context")));
}
