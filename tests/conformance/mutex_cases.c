// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/mutex.h: CONTRACTS.md section 3 "Locks" (the
 * mutex rows) and section 2 items 1, 2, 4, 5, 7 and 10.
 *
 * Cases that need a second thread, a second context on top of a holder, or
 * load run in process context and make the other contexts with the runner's
 * hooks (sctest_call_in, sctest_timers_start). Every check that could fail
 * while a spin mutex is held is made after it is released, so a failing
 * case never returns with interrupts masked; threads are always joined
 * before a check can return.
 */
#include <sys/atomic.h>
#include <sys/ddi_intr.h>
#include <sys/dtrace_subr.h>
#include <sys/mutex.h>
#include <sys/systm.h>
#include <sys/thread.h>
#include <sys/types.h>
#include <impl/debug.h>
#include <impl/xcall.h>

#include "sctest.h"

static unsigned long misuses(enum solcompat_misuse_kind kind)
{
	return solcompat_misuse_count(kind);
}

/* Wait (process context) until *flag == value; 0 on success, -1 after 5 s. */
static int wait_flag(volatile uint32_t *flag, uint32_t value)
{
	long long until = sctest_now_ns() + 5000000000LL;

	while (SCTEST_LOAD(*flag) != value) {
		if (sctest_now_ns() > until)
			return -1;
		sctest_sleep_ms(1);
	}
	return 0;
}

/*
 * Busy-poll (yielding now and then) until *flag >= value, to catch short
 * states as early as possible.
 */
static int spin_flag(volatile uint32_t *flag, uint32_t value)
{
	long long until = sctest_now_ns() + 5000000000LL;
	unsigned int n = 0;

	while (SCTEST_LOAD(*flag) < value) {
		if (sctest_now_ns() > until)
			return -1;
		if (++n % 4096 == 0)
			sctest_yield();
	}
	return 0;
}

SCTEST_CASE(mutex, enter_exit_owned)
{
	kmutex_t m;
	int owned_in, owner_is_me, held;
	kthread_t *owner_in;

	mutex_init(&m, "enter_exit", MUTEX_DEFAULT, NULL);
	SCT_CHECK(!mutex_owned(&m));
	SCT_CHECK(mutex_owner(&m) == NULL);
	mutex_enter(&m);
	owned_in = mutex_owned(&m);
	held = MUTEX_HELD(&m);
	owner_in = mutex_owner(&m);
	owner_is_me = owner_in == curthread;
	mutex_exit(&m);
	SCT_CHECK(owned_in);
	SCT_CHECK(held);
	SCT_CHECK(owner_in != NULL);
	/* Task-level code owns as curthread; interrupt levels have a token. */
	if (SCTEST_CONTEXT() & (SCTEST_PROCESS | SCTEST_ATOMIC | SCTEST_PROBE))
		SCT_CHECK(owner_is_me);
	else
		SCT_CHECK(!owner_is_me);
	SCT_CHECK(!mutex_owned(&m));
	SCT_CHECK(MUTEX_NOT_HELD(&m));
	SCT_CHECK(mutex_owner(&m) == NULL);
	mutex_destroy(&m);
}

static kmutex_t zeroed_static;

SCTEST_CASE(mutex, zero_filled_needs_no_init)
{
	kmutex_t local = { 0 };
	int a, b;

	mutex_enter(&zeroed_static);
	a = mutex_owned(&zeroed_static);
	mutex_exit(&zeroed_static);
	SCT_CHECK(a);
	SCT_CHECK(mutex_tryenter(&local));
	b = sctest_irqs_disabled();
	mutex_exit(&local);
	SCT_EQ(b, sctest_irqs_disabled()); /* zeroed is adaptive, not spin */
	SCT_CHECK(!mutex_owned(&local));
}

SCTEST_CASE(mutex, tryenter_free_and_held)
{
	unsigned long rec = misuses(SOLCOMPAT_MISUSE_LOCK_RECURSION);
	int before = sctest_irqs_disabled();
	int first, second, masked;
	kmutex_t m, s;

	mutex_init(&m, NULL, MUTEX_DRIVER, NULL);
	SCT_CHECK(mutex_tryenter(&m));
	SCT_CHECK(mutex_owned(&m));
	SCT_EQ(mutex_tryenter(&m), 0); /* held, by the caller: 0, no report */
	mutex_exit(&m);
	SCT_CHECK(!mutex_owned(&m));

	mutex_init(&s, NULL, MUTEX_SPIN, NULL);
	first = mutex_tryenter(&s);
	masked = sctest_irqs_disabled();
	second = mutex_tryenter(&s);
	if (first)
		mutex_exit(&s);
	SCT_CHECK(first);
	SCT_CHECK(masked);
	SCT_EQ(second, 0);
	SCT_EQ(sctest_irqs_disabled(), before);
	SCT_EQ(misuses(SOLCOMPAT_MISUSE_LOCK_RECURSION), rec);
}

/* A thread that holds a mutex until told to let go. */
struct holder {
	kmutex_t m;
	volatile uint32_t state;	/* 1 held, 2 let go, 3 released */
	volatile uint32_t owned_before_release;
	unsigned int hold_us;		/* > 0: busy-hold, release by itself */
	volatile int cpu;		/* where it took the mutex */
	volatile long long released_ns;
};

static void holder_thread(void *arg, int index)
{
	struct holder *h = arg;

	mutex_enter(&h->m);
	h->cpu = sctest_cpu_id();
	atomic_swap_32(&h->state, 1);
	if (h->hold_us) {
		long long until = sctest_now_ns() + h->hold_us * 1000LL;

		while (sctest_now_ns() < until)
			;
	} else {
		wait_flag(&h->state, 2);
	}
	h->owned_before_release = mutex_owned(&h->m);
	h->released_ns = sctest_now_ns();
	mutex_exit(&h->m);
	atomic_swap_32(&h->state, 3);
}

static struct holder held_elsewhere;
static volatile int try_results[5], owned_results[5];

static void try_from_context(void *arg)
{
	int slot = (int)(uintptr_t)arg;
	int got = mutex_tryenter(&held_elsewhere.m);

	if (got)
		mutex_exit(&held_elsewhere.m);
	try_results[slot] = got;
	owned_results[slot] = mutex_owned(&held_elsewhere.m);
}

SCTEST_CASE(mutex, tryenter_held_elsewhere)
{
	static const unsigned int ctx[] = { SCTEST_PROCESS, SCTEST_ATOMIC,
					    SCTEST_HARDIRQ, SCTEST_NMI,
					    SCTEST_PROBE };
	int started, i, calls[5];

	mutex_init(&held_elsewhere.m, NULL, MUTEX_DEFAULT, NULL);
	held_elsewhere.state = 0;
	held_elsewhere.hold_us = 0;
	if (sctest_threads_start(1, holder_thread, &held_elsewhere))
		SCT_SKIP("runner cannot start threads");
	started = wait_flag(&held_elsewhere.state, 1);
	for (i = 0; i < 5; i++) {
		try_results[i] = owned_results[i] = -1;
		calls[i] = started ? -1 :
			   sctest_call_in(ctx[i], try_from_context,
					  (void *)(uintptr_t)i);
	}
	atomic_swap_32(&held_elsewhere.state, 2);
	sctest_threads_join();
	SCT_EQ(started, 0);
	for (i = 0; i < 5; i++) {
		SCT_EQ(calls[i], 0);
		SCT_EQ(try_results[i], 0);
		SCT_EQ(owned_results[i], 0);
	}
	SCT_CHECK(held_elsewhere.owned_before_release);
	SCT_CHECK(!mutex_owned(&held_elsewhere.m));
}

SCTEST_CASE(mutex, recursive_enter_detected)
{
	static const kmutex_type_t types[] = { MUTEX_ADAPTIVE, MUTEX_SPIN };
	int before = sctest_irqs_disabled();
	int t;

	for (t = 0; t < 2; t++) {
		unsigned long rec = misuses(SOLCOMPAT_MISUSE_LOCK_RECURSION);
		unsigned long not = misuses(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER);
		int owned_inner, owned_after_inner_exit, masked_after_inner;
		kmutex_t m;

		mutex_init(&m, NULL, types[t], NULL);
		mutex_enter(&m);
		mutex_enter(&m); /* refused and reported; must not hang */
		owned_inner = mutex_owned(&m);
		mutex_exit(&m); /* absorbed: the outer hold stays */
		owned_after_inner_exit = mutex_owned(&m);
		masked_after_inner = sctest_irqs_disabled();
		mutex_exit(&m);
		SCT_EQ(misuses(SOLCOMPAT_MISUSE_LOCK_RECURSION), rec + 1);
		SCT_EQ(misuses(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER), not);
		SCT_CHECK(owned_inner);
		SCT_CHECK(owned_after_inner_exit);
		if (types[t] == MUTEX_SPIN)
			SCT_CHECK(masked_after_inner);
		SCT_CHECK(!mutex_owned(&m));
		SCT_EQ(sctest_irqs_disabled(), before);
	}
}

SCTEST_CASE(mutex, exit_unheld_detected)
{
	unsigned long not = misuses(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER);
	int before = sctest_irqs_disabled();
	kmutex_t m, s;

	mutex_init(&m, NULL, MUTEX_ADAPTIVE, NULL);
	mutex_init(&s, NULL, MUTEX_SPIN, NULL);
	mutex_exit(&m);
	mutex_exit(&s);
	SCT_EQ(misuses(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER), not + 2);
	SCT_EQ(sctest_irqs_disabled(), before);
	SCT_CHECK(mutex_tryenter(&m)); /* still usable */
	mutex_exit(&m);
}

static struct holder other_owner;

SCTEST_CASE(mutex, exit_and_destroy_by_non_owner_detected)
{
	unsigned long not = misuses(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER);
	int started, owned_by_me;

	mutex_init(&other_owner.m, NULL, MUTEX_DEFAULT, NULL);
	other_owner.state = 0;
	other_owner.hold_us = 0;
	if (sctest_threads_start(1, holder_thread, &other_owner))
		SCT_SKIP("runner cannot start threads");
	started = wait_flag(&other_owner.state, 1);
	if (!started) {
		mutex_exit(&other_owner.m);	/* not ours: reported, ignored */
		mutex_destroy(&other_owner.m);	/* likewise */
	}
	owned_by_me = mutex_owned(&other_owner.m);
	atomic_swap_32(&other_owner.state, 2);
	sctest_threads_join();
	SCT_EQ(started, 0);
	SCT_EQ(misuses(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER), not + 2);
	SCT_CHECK(!owned_by_me);
	/* The owner still held it, and released it normally. */
	SCT_CHECK(other_owner.owned_before_release);
	SCT_EQ(other_owner.state, 3);
	SCT_CHECK(mutex_tryenter(&other_owner.m));
	mutex_exit(&other_owner.m);
}

/* Entered on top of the caller, which holds it: never a hang. */
static kmutex_t interrupted_m;
static volatile long long interrupted_counts[4];

static void enter_interrupted(void *arg)
{
	int probe = arg != NULL;
	unsigned long intr = misuses(SOLCOMPAT_MISUSE_LOCK_INTERRUPTED);
	unsigned long not = misuses(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER);

	if (probe)
		solcompat_probe_enter();	/* as the probe core fires */
	mutex_enter(&interrupted_m);
	interrupted_counts[2] = mutex_owned(&interrupted_m);
	interrupted_counts[3] = mutex_tryenter(&interrupted_m);
	mutex_exit(&interrupted_m);
	if (probe)
		solcompat_probe_exit();
	interrupted_counts[0] = misuses(SOLCOMPAT_MISUSE_LOCK_INTERRUPTED) - intr;
	interrupted_counts[1] = misuses(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER) - not;
}

SCTEST_CASE(mutex, enter_held_by_interrupted_code_detected)
{
	static const struct {
		kmutex_type_t type;
		unsigned int context;
		int probe_core;
	} runs[] = {
		{ MUTEX_ADAPTIVE, SCTEST_HARDIRQ, 0 },
		{ MUTEX_ADAPTIVE, SCTEST_NMI, 0 },
		{ MUTEX_ADAPTIVE, SCTEST_PROBE, 1 },
		{ MUTEX_SPIN, SCTEST_NMI, 0 },
		{ MUTEX_SPIN, SCTEST_PROBE, 1 },
	};
	int before = sctest_irqs_disabled();
	int i, r, held;

	for (i = 0; i < 5; i++) {
		mutex_init(&interrupted_m, NULL, runs[i].type, NULL);
		interrupted_counts[0] = interrupted_counts[1] = -1;
		mutex_enter(&interrupted_m);
		r = sctest_call_in(runs[i].context, enter_interrupted,
				   runs[i].probe_core ? &interrupted_m : NULL);
		held = mutex_owned(&interrupted_m);
		mutex_exit(&interrupted_m);
		SCT_EQ(r, 0);
		SCT_EQ(interrupted_counts[0], 1);	/* enter refused */
		SCT_EQ(interrupted_counts[1], 1);	/* its exit ignored */
		SCT_EQ(interrupted_counts[2], 0);	/* never owned it */
		SCT_EQ(interrupted_counts[3], 0);	/* tryenter fails */
		SCT_CHECK(held);			/* ours throughout */
		SCT_EQ(sctest_irqs_disabled(), before);
	}
	/*
	 * An sdt site: the probe core's bracket entered from the holder's own
	 * task code, with only interrupts off (dtrace_probe's way). Inside it
	 * the caller is probe context, not the task: its enter is refused and
	 * its exit ignored, never a silent release of the task's mutex.
	 */
	for (i = 0; i < 2; i++) {
		dtrace_icookie_t cookie;

		mutex_init(&interrupted_m, NULL,
			   i ? MUTEX_SPIN : MUTEX_ADAPTIVE, NULL);
		interrupted_counts[0] = interrupted_counts[1] = -1;
		mutex_enter(&interrupted_m);
		cookie = dtrace_interrupt_disable();
		enter_interrupted(&interrupted_m);
		dtrace_interrupt_enable(cookie);
		held = mutex_owned(&interrupted_m);
		mutex_exit(&interrupted_m);
		SCT_EQ(interrupted_counts[0], 1);
		SCT_EQ(interrupted_counts[1], 1);
		SCT_EQ(interrupted_counts[2], 0);
		SCT_EQ(interrupted_counts[3], 0);
		SCT_CHECK(held);
		SCT_EQ(sctest_irqs_disabled(), before);
	}
	/* A spin mutex masks interrupts: no hardirq can land on its holder. */
	mutex_init(&interrupted_m, NULL, MUTEX_SPIN, NULL);
	mutex_enter(&interrupted_m);
	r = sctest_call_in(SCTEST_HARDIRQ, enter_interrupted, NULL);
	mutex_exit(&interrupted_m);
	SCT_EQ(r, -1);
}

SCTEST_CASE(mutex, spin_masks_interrupts)
{
	static const struct {
		kmutex_type_t type;
		void *ibc;
		int spin;
		int pil;
	} kinds[] = {
		{ MUTEX_SPIN, NULL, 1, PIL_MAX },
		{ MUTEX_DRIVER, DDI_INTR_PRI(LOCK_LEVEL + 1), 1, LOCK_LEVEL + 1 },
		{ MUTEX_DEFAULT, DDI_INTR_PRI(PIL_MAX), 1, PIL_MAX },
		{ MUTEX_DRIVER, DDI_INTR_PRI(LOCK_LEVEL), 0, 0 },
		{ MUTEX_DRIVER, NULL, 0, 0 },
	};
	int before = sctest_irqs_disabled();
	int pil = getpil();
	int k, masked, level;
	kmutex_t m;

	for (k = 0; k < 5; k++) {
		mutex_init(&m, NULL, kinds[k].type, kinds[k].ibc);
		mutex_enter(&m);
		masked = sctest_irqs_disabled();
		level = getpil();
		mutex_exit(&m);
		if (kinds[k].spin) {
			SCT_CHECK(masked);
			SCT_GE(level, kinds[k].pil);
		} else {
			SCT_EQ(masked, before);
		}
		SCT_EQ(sctest_irqs_disabled(), before);
		SCT_EQ(getpil(), pil);
		mutex_destroy(&m);
	}
}

SCTEST_CASE(mutex, spin_nests_with_spl)
{
	int before = sctest_irqs_disabled();
	int pil = getpil();
	int s, masked1, masked2, masked3, level;
	kmutex_t a, b;

	mutex_init(&a, NULL, MUTEX_SPIN, NULL);
	mutex_init(&b, NULL, MUTEX_DRIVER, DDI_INTR_PRI(LOCK_LEVEL + 2));

	s = splhigh();
	mutex_enter(&a);
	mutex_exit(&a);
	masked1 = sctest_irqs_disabled();	/* the splhigh still holds */
	level = getpil();
	splx(s);
	SCT_CHECK(masked1);
	SCT_EQ(level, PIL_MAX);
	SCT_EQ(sctest_irqs_disabled(), before);

	mutex_enter(&a);
	mutex_enter(&b);
	mutex_exit(&b);
	masked2 = sctest_irqs_disabled();	/* a still holds */
	s = splhigh();
	splx(s);
	masked3 = sctest_irqs_disabled();
	mutex_exit(&a);
	SCT_CHECK(masked2);
	SCT_CHECK(masked3);
	SCT_EQ(sctest_irqs_disabled(), before);

	/*
	 * spl0 under a held spin mutex lowers the level but leaves interrupts
	 * off (the Linux context is the floor); its splx and the exit restore
	 * what was found.
	 */
	mutex_enter(&b);
	s = spl0();
	masked1 = sctest_irqs_disabled();
	level = getpil();
	splx(s);
	masked2 = sctest_irqs_disabled();
	mutex_exit(&b);
	SCT_CHECK(masked1);
	SCT_GE(level, SCTEST_CONTEXT() == SCTEST_HARDIRQ ? 14 : PIL_MAX);
	SCT_CHECK(masked2);
	SCT_EQ(sctest_irqs_disabled(), before);
	SCT_EQ(getpil(), pil);
}

/* CONTRACTS.md: freeing the object right after the last mutex_exit. */
struct freed_obj {
	kmutex_t m;
	uint64_t payload[6];
};

static struct freed_obj freed;
static volatile uint32_t freed_state;

static void free_after_exit_thread(void *arg, int index)
{
	unsigned char *p = (unsigned char *)&freed;
	unsigned int i;

	wait_flag(&freed_state, 1);
	mutex_enter(&freed.m);	/* sleeps: the owner is asleep */
	mutex_exit(&freed.m);
	for (i = 0; i < sizeof(freed); i++)	/* "kmem_free" */
		p[i] = 0x6b;
	atomic_swap_32(&freed_state, 2);
}

SCTEST_CASE(mutex, free_right_after_last_exit)
{
	const unsigned char *p = (const unsigned char *)&freed;
	int round, bad = 0, started = 0;
	unsigned int i;

	for (round = 0; round < 20 && !bad; round++) {
		mutex_init(&freed.m, NULL, MUTEX_DEFAULT, NULL);
		freed_state = 0;
		if (sctest_threads_start(1, free_after_exit_thread, NULL))
			SCT_SKIP("runner cannot start threads");
		started++;
		mutex_enter(&freed.m);
		atomic_swap_32(&freed_state, 1);
		sctest_sleep_ms(round % 3);	/* let it queue behind us */
		mutex_exit(&freed.m);	/* must not touch freed afterwards */
		sctest_threads_join();
		for (i = 0; i < sizeof(freed); i++)
			if (p[i] != 0x6b)
				bad = 1;
	}
	SCT_EQ(started, 20);
	SCT_EQ(bad, 0);
}

/* CONTRACTS.md 2.10: an adaptive mutex may be held across a sleep. */
static kmutex_t sleepy;
static volatile uint32_t sleepy_state;
static volatile long long sleepy_released_ns, sleepy_acquired_ns;

static void sleepy_contender(void *arg, int index)
{
	wait_flag(&sleepy_state, 1);
	mutex_enter(&sleepy);
	sleepy_acquired_ns = sctest_now_ns();
	mutex_exit(&sleepy);
}

SCTEST_CASE(mutex, sleep_while_holding)
{
	unsigned long ctx = misuses(SOLCOMPAT_MISUSE_CONTEXT);

	mutex_init(&sleepy, NULL, MUTEX_DEFAULT, NULL);
	sleepy_state = 0;
	if (sctest_threads_start(2, sleepy_contender, NULL))
		SCT_SKIP("runner cannot start threads");
	mutex_enter(&sleepy);
	atomic_swap_32(&sleepy_state, 1);
	sctest_sleep_ms(20);	/* a sleep while holding: contenders sleep too */
	sleepy_released_ns = sctest_now_ns();
	mutex_exit(&sleepy);
	sctest_threads_join();
	SCT_GE(sleepy_acquired_ns, sleepy_released_ns);
	SCT_EQ(misuses(SOLCOMPAT_MISUSE_CONTEXT), ctx);
}

/* An adaptive mutex held by a running thread: every context spins. */
static struct holder busy;
static volatile long long busy_entered_ns;
static long busy_count;

static void enter_busy(void *arg)
{
	mutex_enter(&busy.m);
	busy_entered_ns = sctest_now_ns();
	busy_count++;
	mutex_exit(&busy.m);
}

SCTEST_CASE(mutex, contended_in_every_context)
{
	static const unsigned int ctx[] = { SCTEST_ATOMIC, SCTEST_HARDIRQ,
					    SCTEST_NMI, SCTEST_PROBE };
	unsigned long ctxm = misuses(SOLCOMPAT_MISUSE_CONTEXT);
	int i, r[4], started[4], retries = 0;
	long long released[4], entered[4];

	if (sctest_ncpus() < 2)
		SCT_SKIP("needs a second CPU for the holder");
	busy_count = 0;
	for (i = 0; i < 4; i++) {
		mutex_init(&busy.m, NULL, MUTEX_DEFAULT, NULL);
		busy.state = 0;
		/* NMIs should be short: a shorter hold there. */
		busy.hold_us = ctx[i] == SCTEST_NMI ? 300 : 3000;
		r[i] = started[i] = -1;
		if (sctest_threads_start(1, holder_thread, &busy))
			SCT_SKIP("runner cannot start threads");
		started[i] = spin_flag(&busy.state, 1);
		/*
		 * The holder must be running elsewhere. If it took the mutex
		 * on this CPU and was then preempted by us, spinning here
		 * with preemption off keeps it off the CPU until another CPU
		 * pulls it (seen taking 2 s on 6.12-rt, which the spin report
		 * rightly reports): let it finish and hold again.
		 */
		if (!started[i] && busy.cpu == sctest_cpu_id() && retries < 20) {
			(void)spin_flag(&busy.state, 3);
			sctest_threads_join();
			retries++;
			i--;
			continue;
		}
		if (!started[i])
			r[i] = sctest_call_in(ctx[i], enter_busy, NULL);
		sctest_threads_join();
		released[i] = busy.released_ns;
		entered[i] = busy_entered_ns;
	}
	for (i = 0; i < 4; i++) {
		SCT_EQ(started[i], 0);
		SCT_EQ(r[i], 0);
		SCT_GE(entered[i], released[i]);
	}
	SCT_EQ(busy_count, 4);
	SCT_EQ(misuses(SOLCOMPAT_MISUSE_CONTEXT), ctxm);
}

/*
 * A caller that may not sleep spins on an adaptive mutex whose owner keeps
 * it too long: after spin_report_ms it is reported once (a context misuse),
 * and it still gets the lock when the owner lets go. The owner busy-holds
 * on another CPU until it sees the report (or five limits pass); a
 * sleeping owner's wake-up timer could be queued on the spinning CPU,
 * which on PREEMPT_RT runs timers in a thread the spinner starves.
 */
static struct {
	kmutex_t m;
	volatile uint32_t state;	/* 1 held */
	unsigned long misuses_before;
	long long hold_max_ns;
	volatile long long spin_ns, reported_ns, released_ns, entered_ns;
} slow;

static void slow_owner(void *arg, int index)
{
	long long until;

	mutex_enter(&slow.m);
	atomic_swap_32(&slow.state, 1);
	/*
	 * Yield until the spinner has started: the runner's thread may be
	 * bound to the CPU this one took, and once it spins with preemption
	 * off this thread must be (and is moved) elsewhere.
	 */
	until = sctest_now_ns() + 5000000000LL;
	while (!SCTEST_LOAD(slow.spin_ns) && sctest_now_ns() < until)
		sctest_yield();
	until = sctest_now_ns() + slow.hold_max_ns;
	while (sctest_now_ns() < until &&
	       misuses(SOLCOMPAT_MISUSE_CONTEXT) == slow.misuses_before)
		;
	slow.released_ns = slow.reported_ns = sctest_now_ns();
	mutex_exit(&slow.m);
}

static void enter_slow(void *arg)
{
	SCTEST_STORE(slow.spin_ns, sctest_now_ns());
	mutex_enter(&slow.m);
	slow.entered_ns = sctest_now_ns();
	mutex_exit(&slow.m);
}

SCTEST_CASE(mutex, long_spin_reported)
{
	unsigned int limit = solcompat_spin_report_ms();
	int started, r = -1;

	if (limit == 0 || limit > 2000)
		SCT_SKIP("spin_report_ms is 0 or over 2000 ms (the model's default is 10000; SOLCOMPAT_MODEL_PARAMS=spin_report_ms=200 runs this case)");
	if (sctest_ncpus() < 2)
		SCT_SKIP("needs a second CPU for the owner");
	mutex_init(&slow.m, NULL, MUTEX_DEFAULT, NULL);
	slow.state = 0;
	slow.misuses_before = misuses(SOLCOMPAT_MISUSE_CONTEXT);
	slow.hold_max_ns = limit * 5000000LL;
	slow.spin_ns = slow.reported_ns = slow.released_ns = 0;
	slow.entered_ns = 0;
	if (sctest_threads_start(1, slow_owner, NULL))
		SCT_SKIP("runner cannot start threads");
	started = spin_flag(&slow.state, 1);
	if (!started)
		r = sctest_call_in(SCTEST_ATOMIC, enter_slow, NULL);
	sctest_threads_join();
	SCT_EQ(started, 0);
	SCT_EQ(r, 0);
	/* Reported once, and not before the limit. */
	SCT_EQ(misuses(SOLCOMPAT_MISUSE_CONTEXT), slow.misuses_before + 1);
	SCT_GE(slow.reported_ns - slow.spin_ns, limit * 1000000LL);
	SCT_GE(slow.entered_ns, slow.released_ns);
	mutex_destroy(&slow.m);
}

/*
 * CONTRACTS.md 2.7: stress. Threads contend an adaptive mutex M (holding it
 * across yields and sleeps now and then) and a spin mutex S; a hard
 * interrupt on every CPU takes S, tries M, and enters A, an adaptive mutex
 * the threads take under splhigh() (the way to share an adaptive mutex with
 * interrupt code). Every counter is incremented non-atomically under its
 * lock, so any failure of mutual exclusion shows as a lost update.
 */
#define HAMMER_THREADS_MAX 8
#define HAMMER_ITERATIONS 20000

static struct {
	kmutex_t m, s, a;
	long m_count, s_count, a_count;
	long thread_s[HAMMER_THREADS_MAX], thread_extra[HAMMER_THREADS_MAX];
	long timer_s, timer_m, timer_a;
	volatile uint32_t bad_mask;
} hammer;

static void hammer_timer(void *arg, int cpu)
{
	if (!sctest_irqs_disabled())
		atomic_or_32(&hammer.bad_mask, 1);
	mutex_enter(&hammer.s);
	hammer.s_count++;
	SCTEST_STORE(hammer.timer_s, hammer.timer_s + 1);
	mutex_exit(&hammer.s);
	if (mutex_tryenter(&hammer.m)) {
		hammer.m_count++;
		hammer.timer_m++;
		mutex_exit(&hammer.m);
	}
	mutex_enter(&hammer.a);
	hammer.a_count++;
	hammer.timer_a++;
	mutex_exit(&hammer.a);
}

static void hammer_thread(void *arg, int index)
{
	int i, s;
	long v;

	for (i = 0; i < HAMMER_ITERATIONS; i++) {
		mutex_enter(&hammer.m);
		v = hammer.m_count;
		if (i % 64 == 0)
			sctest_yield();
		hammer.m_count = v + 1;
		mutex_exit(&hammer.m);
		if (i % 8 == 0) {
			mutex_enter(&hammer.s);
			if (!sctest_irqs_disabled())
				atomic_or_32(&hammer.bad_mask, 2);
			hammer.s_count++;
			hammer.thread_s[index]++;
			mutex_exit(&hammer.s);
		}
		if (i % 4 == 0) {
			s = splhigh();
			mutex_enter(&hammer.a);
			hammer.a_count++;
			mutex_exit(&hammer.a);
			splx(s);
		}
		if (i % 2000 == 0) {
			mutex_enter(&hammer.m);
			sctest_sleep_ms(1);
			hammer.m_count++;
			hammer.thread_extra[index]++;
			mutex_exit(&hammer.m);
		}
	}
}

SCTEST_CASE(mutex, hammer_with_interrupts)
{
	unsigned long before[5];
	int n = sctest_ncpus() * 2;
	long extra = 0, ts = 0;
	int i, k, timers;

	if (n > HAMMER_THREADS_MAX)
		n = HAMMER_THREADS_MAX;
	for (k = 0; k < 5; k++)
		before[k] = misuses((enum solcompat_misuse_kind)k);
	mutex_init(&hammer.m, NULL, MUTEX_DEFAULT, NULL);
	mutex_init(&hammer.s, NULL, MUTEX_SPIN, NULL);
	mutex_init(&hammer.a, NULL, MUTEX_DEFAULT, NULL);
	hammer.m_count = hammer.s_count = hammer.a_count = 0;
	hammer.timer_s = hammer.timer_m = hammer.timer_a = 0;
	hammer.bad_mask = 0;
	for (i = 0; i < HAMMER_THREADS_MAX; i++)
		hammer.thread_s[i] = hammer.thread_extra[i] = 0;

	timers = sctest_timers_start(200, hammer_timer, NULL);
	if (sctest_run_threads(n, hammer_thread, NULL))
		n = 0;
	/* A run can be shorter than a period: let a tick land (1 s at most). */
	for (i = 0; !timers && !SCTEST_LOAD(hammer.timer_s) && i < 1000; i++)
		sctest_sleep_ms(1);
	sctest_timers_stop();
	SCT_EQ(timers, 0);
	SCT_GT(n, 0);
	for (i = 0; i < n; i++) {
		extra += hammer.thread_extra[i];
		ts += hammer.thread_s[i];
	}
	SCT_EQ(hammer.bad_mask, 0);
	SCT_EQ(hammer.m_count, (long)n * HAMMER_ITERATIONS + extra +
				       hammer.timer_m);
	SCT_EQ(hammer.s_count, ts + hammer.timer_s);
	SCT_EQ(hammer.a_count, (long)n * (HAMMER_ITERATIONS / 4) +
				       hammer.timer_a);
	SCT_GT(hammer.timer_s, 0);
	SCT_EQ(hammer.timer_s, hammer.timer_a);
	for (k = 0; k < 5; k++)
		SCT_EQ(misuses((enum solcompat_misuse_kind)k), before[k]);
	SCT_CHECK(!mutex_owned(&hammer.m));
}

SCTEST_FAMILY(mutex,
	      SCTEST_ENTRY(mutex, enter_exit_owned, SCTEST_ANY),
	      SCTEST_ENTRY(mutex, zero_filled_needs_no_init, SCTEST_ANY),
	      SCTEST_ENTRY(mutex, tryenter_free_and_held, SCTEST_ANY),
	      SCTEST_ENTRY(mutex, tryenter_held_elsewhere, SCTEST_PROCESS),
	      SCTEST_ENTRY(mutex, recursive_enter_detected, SCTEST_ANY),
	      SCTEST_ENTRY(mutex, exit_unheld_detected, SCTEST_ANY),
	      SCTEST_ENTRY(mutex, exit_and_destroy_by_non_owner_detected,
			   SCTEST_PROCESS),
	      SCTEST_ENTRY(mutex, enter_held_by_interrupted_code_detected,
			   SCTEST_PROCESS),
	      SCTEST_ENTRY(mutex, spin_masks_interrupts, SCTEST_ANY),
	      SCTEST_ENTRY(mutex, spin_nests_with_spl, SCTEST_ANY),
	      SCTEST_ENTRY(mutex, free_right_after_last_exit, SCTEST_PROCESS),
	      SCTEST_ENTRY(mutex, sleep_while_holding, SCTEST_PROCESS),
	      SCTEST_ENTRY(mutex, contended_in_every_context, SCTEST_PROCESS),
	      SCTEST_ENTRY(mutex, long_spin_reported, SCTEST_PROCESS),
	      SCTEST_ENTRY(mutex, hammer_with_interrupts, SCTEST_PROCESS));
