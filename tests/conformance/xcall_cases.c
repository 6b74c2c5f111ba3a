// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/x_call.h: cross-calls and dtrace_sync
 * (CONTRACTS.md "Cross-calls and cyclics", 2.8).
 */
#include <sys/atomic.h>
#include <sys/cpuvar.h>
#include <sys/dtrace_subr.h>
#include <sys/mutex.h>
#include <sys/thread.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/x_call.h>
#include <impl/debug.h>

#include "sctest.h"

static volatile uint32_t xc_hits[NCPU];
static volatile uint32_t xc_wrong_cpu;

static void xc_reset(void)
{
	int i;

	for (i = 0; i < NCPU; i++)
		xc_hits[i] = 0;
	xc_wrong_cpu = 0;
}

static void xc_count(void *arg)
{
	int cpu = sctest_cpu_id();

	atomic_inc_32(&xc_hits[cpu]);
	if (arg && *(int *)arg != cpu)
		atomic_inc_32(&xc_wrong_cpu);
	/* Cross-call functions run with interrupts off, like illumos. */
	if (!sctest_irqs_disabled())
		atomic_inc_32(&xc_wrong_cpu);
}

static int online_cpus(uint32_t *count)
{
	cpuset_t set;
	int cpu, n = 0;

	CPUSET_ALL(set);
	for (cpu = 0; cpu < NCPU; cpu++)
		if (CPU_IN_SET(set, cpu))
			n++;
	*count = n;
	return n;
}

/* DTRACE_CPUALL: exactly once on every online CPU, the caller included. */
SCTEST_CASE(xcall, all_cpus_exactly_once)
{
	uint32_t n;
	int cpu, total = 0;
	cpuset_t set;

	xc_reset();
	online_cpus(&n);
	SCT_EQ(n, solcompat_ncpus_online());
	dtrace_xcall(DTRACE_CPUALL, xc_count, NULL);
	CPUSET_ALL(set);
	for (cpu = 0; cpu < NCPU; cpu++) {
		if (CPU_IN_SET(set, cpu))
			SCT_EQ(xc_hits[cpu], 1);
		else
			SCT_EQ(xc_hits[cpu], 0);
		total += xc_hits[cpu];
	}
	SCT_EQ(total, n);
	SCT_EQ(xc_wrong_cpu, 0);
}

/* dtrace_xcall(cpu): that CPU only, for each CPU in turn. */
SCTEST_CASE(xcall, one_cpu_only)
{
	cpuset_t set;
	int cpu, other;

	CPUSET_ALL(set);
	for (cpu = 0; cpu < NCPU; cpu++) {
		if (!CPU_IN_SET(set, cpu))
			continue;
		xc_reset();
		dtrace_xcall(cpu, xc_count, &cpu);
		SCT_EQ(xc_hits[cpu], 1);
		for (other = 0; other < NCPU; other++)
			if (other != cpu)
				SCT_EQ(xc_hits[other], 0);
		SCT_EQ(xc_wrong_cpu, 0);
	}
}

/* xc_call with three arguments; the caller's interrupt state survives. */
static int xc_sum(xc_arg_t a1, xc_arg_t a2, xc_arg_t a3)
{
	atomic_add_64((volatile uint64_t *)a1, (int64_t)(a2 + a3));
	return 0;
}

SCTEST_CASE(xcall, xc_call_arguments)
{
	volatile uint64_t sum = 0;
	uint32_t n;
	cpuset_t set;
	int before = sctest_irqs_disabled();

	online_cpus(&n);
	CPUSET_ALL(set);
	xc_call((xc_arg_t)&sum, 3, 4, &set, xc_sum);
	SCT_EQ(sum, 7 * n);
	SCT_EQ(sctest_irqs_disabled(), before);
}

/* No function, or no CPU set: reported as a bad argument, nothing runs. */
SCTEST_CASE(xcall, null_function_or_set_reported)
{
	unsigned long before =
		solcompat_misuse_count(SOLCOMPAT_MISUSE_ARGUMENT);
	volatile uint64_t sum = 0;
	cpuset_t set;

	CPUSET_ALL(set);
	xc_call((xc_arg_t)&sum, 1, 2, &set, NULL);
	xc_call((xc_arg_t)&sum, 1, 2, NULL, xc_sum);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_ARGUMENT), before + 2);
	SCT_EQ(sum, 0);
}

/*
 * The mutual storm: every CPU cross-calls every CPU at the same time with
 * interrupts off. The outer call makes all CPUs run storm_round at once
 * (from the IPI on the others, directly here); each then issues
 * STORM_ROUNDS cross-calls to all. Without waiters serving their mailbox
 * this deadlocks.
 */
#define STORM_ROUNDS 50

static void storm_inner(void *arg)
{
	atomic_inc_32(&xc_hits[sctest_cpu_id()]);
}

static void storm_round(void *arg)
{
	int i;
	dtrace_icookie_t c = dtrace_interrupt_disable();

	for (i = 0; i < STORM_ROUNDS; i++)
		dtrace_xcall(DTRACE_CPUALL, storm_inner, NULL);
	dtrace_interrupt_enable(c);
}

SCTEST_CASE(xcall, mutual_storm_completes)
{
	uint32_t n;
	cpuset_t set;
	int cpu;

	xc_reset();
	online_cpus(&n);
	dtrace_xcall(DTRACE_CPUALL, storm_round, NULL);
	CPUSET_ALL(set);
	for (cpu = 0; cpu < NCPU; cpu++)
		if (CPU_IN_SET(set, cpu))
			SCT_EQ(xc_hits[cpu], n * STORM_ROUNDS);
}

/* From NMI or probe context: reported, and nothing runs. */
SCTEST_CASE(xcall, refused_in_nmi_and_probe)
{
	unsigned long before = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	int cpu;

	if (SCTEST_CONTEXT() == SCTEST_PROBE)
		solcompat_probe_enter();
	xc_reset();
	dtrace_xcall(DTRACE_CPUALL, xc_count, NULL);
	if (SCTEST_CONTEXT() == SCTEST_PROBE)
		solcompat_probe_exit();
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), before + 1);
	for (cpu = 0; cpu < NCPU; cpu++)
		SCT_EQ(xc_hits[cpu], 0);
}

/* dtrace_sync returns when no CPU is in probe context. */
SCTEST_CASE(xcall, dtrace_sync_returns)
{
	dtrace_sync();
	dtrace_sync();
}

/*
 * dtrace_sync waits for a CPU that is in probe context when it is called:
 * a thread enters probe context (preemption off, so it stays on its CPU),
 * says so, holds it for PROBER_HOLD_NS, and leaves. This thread calls
 * dtrace_sync once the prober is inside and checks that it has left by the
 * time dtrace_sync returns. The prober steps off this thread's CPU before
 * it goes in (from there it would keep this thread off until the hold
 * ends). A try counts only if the prober was still inside just before the
 * call (this thread may still have been kept off, or been slow); it is
 * repeated otherwise, up to PROBER_TRIES times.
 */
#define PROBER_HOLD_NS 50000000LL
#define PROBER_TRIES 20

static struct {
	uint32_t inside, left;
	int avoid_cpu;
	long long hold_ns;
	/* If non-zero: leave early once the context misuses pass this. */
	unsigned long leave_after_misuses;
} prober;

static void prober_thread(void *arg, int index)
{
	long long until;
	int moves = 0;
	unsigned long leave = prober.leave_after_misuses;

	for (;;) {
		kpreempt_disable();
		if (sctest_cpu_id() != prober.avoid_cpu || moves++ == 100)
			break;
		kpreempt_enable();
		sctest_sleep_ms(1); /* woken where a CPU is free */
	}
	solcompat_probe_enter();
	SCTEST_STORE(prober.inside, 1);
	until = sctest_now_ns() + prober.hold_ns;
	while (sctest_now_ns() < until &&
	       (!leave ||
		solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT) <= leave))
		;
	SCTEST_STORE(prober.left, 1);
	solcompat_probe_exit();
	kpreempt_enable();
}

SCTEST_CASE(xcall, dtrace_sync_waits_for_probe_context)
{
	uint32_t inside = 0, left_before = 1, left_at_return = 0;
	long long until;
	unsigned int n;
	int tries = 0;

	if (sctest_ncpus() < 2)
		SCT_SKIP("needs a second CPU for the prober");
	while (left_before && tries++ < PROBER_TRIES) {
		SCTEST_STORE(prober.inside, 0);
		SCTEST_STORE(prober.left, 0);
		prober.avoid_cpu = sctest_cpu_id();
		prober.hold_ns = PROBER_HOLD_NS;
		prober.leave_after_misuses = 0;
		if (sctest_threads_start(1, prober_thread, NULL))
			SCT_SKIP("runner cannot start threads");
		/* Poll, not sleep: call dtrace_sync early in the hold. */
		until = sctest_now_ns() + 2000000000LL;
		n = 0;
		while (!(inside = SCTEST_LOAD(prober.inside)) &&
		       sctest_now_ns() < until)
			if (++n % 4096 == 0)
				sctest_yield();
		left_before = SCTEST_LOAD(prober.left);
		dtrace_sync();
		left_at_return = SCTEST_LOAD(prober.left);
		sctest_threads_join();
		if (!inside)
			break;
	}
	SCT_EQ(inside, 1);
	if (left_before)
		SCT_SKIP("the prober never ran beside this thread");
	SCT_EQ(left_at_return, 1);
}

/*
 * A CPU that stays in probe context past spin_report_ms (a handler that
 * does not return) is reported once by the dtrace_sync waiting on it, not
 * before the limit, and dtrace_sync still returns only after it has left.
 * The prober holds until it sees the report, or five limits.
 */
SCTEST_CASE(xcall, dtrace_sync_long_wait_reported)
{
	unsigned int limit = solcompat_spin_report_ms();
	unsigned long before;
	long long until, called_ns, returned_ns;
	uint32_t inside = 0, left_at_return;
	unsigned int n = 0;

	if (limit == 0 || limit > 2000)
		SCT_SKIP(
			"spin_report_ms is 0 or over 2000 ms (the model's default is 10000; SOLCOMPAT_MODEL_PARAMS=spin_report_ms=200 runs this case)");
	if (sctest_ncpus() < 2)
		SCT_SKIP("needs a second CPU for the prober");
	before = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	SCTEST_STORE(prober.inside, 0);
	SCTEST_STORE(prober.left, 0);
	prober.avoid_cpu = sctest_cpu_id();
	prober.hold_ns = limit * 5000000LL;
	prober.leave_after_misuses = before;
	if (sctest_threads_start(1, prober_thread, NULL))
		SCT_SKIP("runner cannot start threads");
	until = sctest_now_ns() + 2000000000LL;
	while (!(inside = SCTEST_LOAD(prober.inside)) &&
	       sctest_now_ns() < until)
		if (++n % 4096 == 0)
			sctest_yield();
	called_ns = sctest_now_ns();
	dtrace_sync();
	returned_ns = sctest_now_ns();
	left_at_return = SCTEST_LOAD(prober.left);
	sctest_threads_join();
	SCT_EQ(inside, 1);
	SCT_EQ(left_at_return, 1);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), before + 1);
	SCT_GE(returned_ns - called_ns, limit * 1000000LL);
}

/*
 * Probe context needs a caller pinned to its CPU: an enter and an exit
 * with preemption and interrupts on are each reported and do nothing. A
 * mutex entered with preemption off right after the refused enter is owned
 * by this thread, as outside probe context (inside, the owner would be
 * the CPU's probe level, not curthread).
 */
SCTEST_CASE(xcall, probe_enter_refused_when_preemptible)
{
	unsigned long before = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	kmutex_t m;
	kthread_t *owner;

	mutex_init(&m, NULL, MUTEX_DEFAULT, NULL);
	solcompat_probe_enter();
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), before + 1);
	kpreempt_disable();
	mutex_enter(&m);
	owner = mutex_owner(&m);
	mutex_exit(&m);
	kpreempt_enable();
	solcompat_probe_exit();
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), before + 2);
	SCT_EQ(owner == curthread, 1);
	mutex_destroy(&m);
}

/*
 * An exit without its enter (pinned, outside probe context) is reported
 * and changes nothing: a depth below zero would hide this CPU from every
 * later dtrace_sync. A probe entered after it still nests as usual.
 */
SCTEST_CASE(xcall, probe_exit_without_enter_reported)
{
	unsigned long before = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);

	solcompat_probe_exit();
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), before + 1);
	solcompat_probe_enter();
	solcompat_probe_enter();
	solcompat_probe_exit();
	solcompat_probe_exit();
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), before + 1);
	solcompat_probe_exit();
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), before + 2);
}

/*
 * An interrupt taken inside probe context with interrupts on (a trap
 * handler's window before the probe core masks them) is not probe context
 * itself: its cross-call runs. With one probe depth per CPU it was refused
 * as a cross-call from probe context.
 */
static void xc_in_interrupt(void *arg)
{
	int cpu = sctest_cpu_id();

	dtrace_xcall(cpu, xc_count, &cpu);
}

SCTEST_CASE(xcall, interrupt_inside_probe_context_is_not_probe_context)
{
	unsigned long before = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	int cpu, called;

	xc_reset();
	kpreempt_disable();
	cpu = sctest_cpu_id();
	solcompat_probe_enter();
	called = sctest_call_in(SCTEST_HARDIRQ, xc_in_interrupt, NULL);
	solcompat_probe_exit();
	kpreempt_enable();
	if (called != 0)
		SCT_SKIP("the runner cannot raise a hard interrupt here");
	SCT_EQ(xc_hits[cpu], 1);
	SCT_EQ(xc_wrong_cpu, 0);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), before);
}

/* dtrace_sync outside process context is reported, not a hang. */
SCTEST_CASE(xcall, dtrace_sync_refused_in_interrupt)
{
	unsigned long before = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);

	dtrace_sync();
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), before + 1);
}

/*
 * A hard interrupt that spins on a mutex held by a task elsewhere still
 * runs the cross-calls addressed to its CPU, as a level-14 handler would
 * take one on illumos. Here the holder is this case, and the cross-call
 * comes from a hard interrupt on top of it: the holder cannot release
 * until the cross-call completes, so without the spinner serving it both
 * CPUs would wait for ever. The spinner is the first timer interrupt on a
 * CPU other than the holder's (there the holder is the interrupted task);
 * the case busy-waits rather than sleeps, so that no wakeup it needs can
 * be queued behind the spinning CPU.
 */
static kmutex_t xc_spin_m;
/* 1 armed, 2 claimed by a timer, 3 spinning, 4 done */
static volatile uint32_t xc_spin_state;
static volatile uint32_t xc_spin_cpu;

static void xc_spin_timer(void *arg, int cpu)
{
	if (mutex_owner(&xc_spin_m) == curthread ||
	    atomic_cas_32(&xc_spin_state, 1, 2) != 1)
		return;
	atomic_swap_32(&xc_spin_cpu, sctest_cpu_id());
	atomic_swap_32(&xc_spin_state, 3);
	mutex_enter(&xc_spin_m); /* held by the case's task: spins */
	mutex_exit(&xc_spin_m);
	atomic_swap_32(&xc_spin_state, 4);
}

static void xc_spin_call(void *arg)
{
	int cpu = (int)atomic_or_32_nv(&xc_spin_cpu, 0);

	dtrace_xcall(cpu, xc_count, &cpu);
}

/* Busy-wait while xc_spin_state is value, at most ns: 0, or -1. */
static int xc_spin_wait(uint32_t value, hrtime_t ns)
{
	hrtime_t end = gethrtime() + ns;

	while (atomic_or_32_nv(&xc_spin_state, 0) == value)
		if (gethrtime() > end)
			return -1;
	return 0;
}

SCTEST_CASE(xcall, spinning_interrupt_serves_cross_calls)
{
	unsigned long before = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	int waited, called = -1, cpu, here;
	uint32_t hits = 0, state;

	if (sctest_ncpus() < 2)
		SCT_SKIP("needs two CPUs");
	xc_reset();
	mutex_init(&xc_spin_m, NULL, MUTEX_DEFAULT, NULL);
	xc_spin_state = 0;
	if (sctest_timers_start(200, xc_spin_timer, NULL))
		SCT_SKIP("runner cannot start timers");
	mutex_enter(&xc_spin_m);
	atomic_swap_32(&xc_spin_state, 1);
	waited = xc_spin_wait(1, 5 * NANOSEC);
	if (waited == 0)
		waited = xc_spin_wait(2, 5 * NANOSEC);
	cpu = (int)atomic_or_32_nv(&xc_spin_cpu, 0);
	if (waited == 0) {
		called = sctest_call_in(SCTEST_HARDIRQ, xc_spin_call, NULL);
		hits = xc_hits[cpu];
	}
	here = sctest_cpu_id();
	state = atomic_or_32_nv(&xc_spin_state, 0);
	mutex_exit(&xc_spin_m);
	xc_spin_wait(3, 5 * NANOSEC);
	sctest_timers_stop();
	mutex_destroy(&xc_spin_m);
	SCT_EQ(waited, 0);
	SCT_EQ(called, 0);
	SCT_EQ(state, 3); /* still spinning when the cross-call returned */
	SCT_NE(cpu, here);
	SCT_EQ(hits, 1);
	SCT_EQ(xc_wrong_cpu, 0);
	SCT_EQ(xc_spin_state, 4);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), before);
}

SCTEST_FAMILY(xcall,
	      SCTEST_ENTRY(xcall, all_cpus_exactly_once,
			   SCTEST_PROCESS | SCTEST_ATOMIC | SCTEST_HARDIRQ),
	      SCTEST_ENTRY(xcall, one_cpu_only,
			   SCTEST_PROCESS | SCTEST_ATOMIC | SCTEST_HARDIRQ),
	      SCTEST_ENTRY(xcall, xc_call_arguments,
			   SCTEST_PROCESS | SCTEST_ATOMIC | SCTEST_HARDIRQ),
	      SCTEST_ENTRY(xcall, null_function_or_set_reported,
			   SCTEST_PROCESS | SCTEST_ATOMIC | SCTEST_HARDIRQ),
	      SCTEST_ENTRY(xcall, mutual_storm_completes,
			   SCTEST_PROCESS | SCTEST_HARDIRQ),
	      SCTEST_ENTRY(xcall, refused_in_nmi_and_probe,
			   SCTEST_NMI | SCTEST_PROBE),
	      SCTEST_ENTRY(xcall, dtrace_sync_returns, SCTEST_PROCESS),
	      SCTEST_ENTRY(xcall, dtrace_sync_waits_for_probe_context,
			   SCTEST_PROCESS),
	      SCTEST_ENTRY(xcall, dtrace_sync_long_wait_reported,
			   SCTEST_PROCESS),
	      SCTEST_ENTRY(xcall, probe_enter_refused_when_preemptible,
			   SCTEST_PROCESS),
	      SCTEST_ENTRY(xcall,
			   interrupt_inside_probe_context_is_not_probe_context,
			   SCTEST_PROCESS),
	      SCTEST_ENTRY(xcall, probe_exit_without_enter_reported,
			   SCTEST_ATOMIC | SCTEST_HARDIRQ | SCTEST_NMI),
	      SCTEST_ENTRY(xcall, dtrace_sync_refused_in_interrupt,
			   SCTEST_ATOMIC | SCTEST_HARDIRQ | SCTEST_NMI),
	      SCTEST_ENTRY(xcall, spinning_interrupt_serves_cross_calls,
			   SCTEST_PROCESS));
