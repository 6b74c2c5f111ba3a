// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/condvar.h: CONTRACTS.md section 3 "Condition
 * variables" (timeouts in absolute lbolt ticks, signals, N waiters, wakers
 * in every context, cv_destroy right after a broadcast) and the enforcement
 * of the waits' "Process context. May sleep." line. Threads are joined
 * before any check can return.
 */
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/mutex.h>
#include <sys/sunddi.h>
#include <sys/time.h>
#include <sys/types.h>
#include <impl/debug.h>

#include "sctest.h"

static unsigned long misuses(enum solcompat_misuse_kind kind)
{
	return solcompat_misuse_count(kind);
}

SCTEST_CASE(condvar, signal_and_broadcast_without_waiters)
{
	kcondvar_t cv;
	kcondvar_t zeroed = { 0 };

	cv_init(&cv, NULL, CV_DEFAULT, NULL);
	cv_signal(&cv);
	cv_broadcast(&cv);
	cv_signal(&zeroed);
	cv_broadcast(&zeroed);
	cv_destroy(&cv);
	cv_destroy(&zeroed);
}

SCTEST_CASE(condvar, lbolt_counts_ticks)
{
	clock_t t0 = ddi_get_lbolt();
	int64_t t64 = ddi_get_lbolt64();
	clock_t t1 = ddi_get_lbolt();

	/* The two clocks agree and do not go back. No bound on how far
	 * they move: an interrupt between the reads may take ticks. */
	SCT_GE(t0, 0);
	SCT_GE(t64, t0);
	SCT_LE(t64, t1);
}

SCTEST_CASE(condvar, past_deadline_returns_at_once)
{
	kmutex_t m = { 0 };
	kcondvar_t cv = { 0 };
	clock_t now;
	long r1, r2, r3, r4, r5, r6;
	int owned;

	mutex_enter(&m);
	now = ddi_get_lbolt();
	r1 = cv_timedwait(&cv, &m, now - 1);
	r2 = cv_timedwait(&cv, &m, now);
	r3 = cv_reltimedwait(&cv, &m, 0, TR_CLOCK_TICK);
	r4 = cv_timedwait_hires(&cv, &m, 0, 0, 0);
	r5 = cv_timedwait_hires(&cv, &m, gethrtime() - 1, 0,
				CALLOUT_FLAG_ABSOLUTE);
	r6 = cv_timedwait_sig(&cv, &m, now - 1);
	owned = mutex_owned(&m);
	mutex_exit(&m);
	SCT_EQ(r1, -1);
	SCT_EQ(r2, -1);
	SCT_EQ(r3, -1);
	SCT_EQ(r4, -1);
	SCT_EQ(r5, -1);
	SCT_EQ(r6, -1);
	SCT_CHECK(owned);
}

SCTEST_CASE(condvar, timedwait_times_out)
{
	kmutex_t m = { 0 };
	kcondvar_t cv = { 0 };
	clock_t start, deadline, end1, end2;
	long long t0, t1;
	long r1, r2, r3;
	int owned1, owned2, owned3;

	mutex_enter(&m);
	start = ddi_get_lbolt();
	deadline = start + 3;
	r1 = cv_timedwait(&cv, &m, deadline);
	end1 = ddi_get_lbolt();
	owned1 = mutex_owned(&m);
	r2 = cv_reltimedwait(&cv, &m, 2, TR_CLOCK_TICK);
	end2 = ddi_get_lbolt();
	owned2 = mutex_owned(&m);
	t0 = sctest_now_ns();
	r3 = cv_timedwait_hires(&cv, &m, 10000000LL, 1000000LL, 0);
	t1 = sctest_now_ns();
	owned3 = mutex_owned(&m);
	mutex_exit(&m);
	SCT_EQ(r1, -1);
	SCT_GE(end1, deadline);
	SCT_CHECK(owned1);
	SCT_EQ(r2, -1);
	SCT_GE(end2, end1 + 2);
	SCT_CHECK(owned2);
	SCT_EQ(r3, -1);
	SCT_GE(t1 - t0, 10000000LL);
	SCT_CHECK(owned3);
}

/* A thread that signals once the main thread waits. */
static struct {
	kmutex_t m;
	kcondvar_t cv;
	volatile uint32_t waiting, woken, done;
	volatile int result;
} cvs;

static void signal_when_waiting(void *arg, int index)
{
	long long until = sctest_now_ns() + 5000000000LL;
	int seen = 0;

	while (!seen && sctest_now_ns() < until) {
		mutex_enter(&cvs.m);
		seen = cvs.waiting;	/* set under the mutex before the wait */
		if (seen)
			cv_signal(&cvs.cv);
		mutex_exit(&cvs.m);
		if (!seen)
			sctest_sleep_ms(1);
	}
}

/* Set up cvs, start the signaller and take the mutex: 0, or -1. */
static int cvs_start_holding(void)
{
	mutex_init(&cvs.m, NULL, MUTEX_DEFAULT, NULL);
	cv_init(&cvs.cv, NULL, CV_DEFAULT, NULL);
	cvs.waiting = 0;
	if (sctest_threads_start(1, signal_when_waiting, NULL))
		return -1;
	mutex_enter(&cvs.m);
	cvs.waiting = 1;
	return 0;
}

SCTEST_CASE(condvar, woken_wait_returns_positive)
{
	clock_t deadline;
	long r;

	if (cvs_start_holding())
		SCT_SKIP("runner cannot start threads");
	deadline = ddi_get_lbolt() + 5 * hz;
	r = cv_timedwait(&cvs.cv, &cvs.m, deadline);
	mutex_exit(&cvs.m);
	sctest_threads_join();
	SCT_GT(r, 0);
	SCT_LE(r, 5 * hz);
}

/*
 * A relative cv_timedwait_hires timeout past the clock's end (the largest,
 * "for ever") waits, and a signal ends it with ticks left; it must not
 * wrap to a deadline in the past and return -1 at once.
 */
SCTEST_CASE(condvar, hires_endless_timeout_waits)
{
	long r;

	if (cvs_start_holding())
		SCT_SKIP("runner cannot start threads");
	r = cv_timedwait_hires(&cvs.cv, &cvs.m, (hrtime_t)(~0ULL >> 1), 0, 0);
	mutex_exit(&cvs.m);
	sctest_threads_join();
	SCT_GT(r, 0);
}

/*
 * A cv wait whose mutex's recursive enter was refused (its exit still
 * owed) would have its mutex_exit absorbed and sleep holding the mutex:
 * reported, returns at once. The owed exit and the real one then leave
 * the mutex free.
 */
SCTEST_CASE(condvar, wait_after_refused_recursive_enter_refused)
{
	unsigned long rec = misuses(SOLCOMPAT_MISUSE_LOCK_RECURSION);
	kmutex_t m = {0};
	kcondvar_t cv = {0};
	long r;

	mutex_enter(&m);
	mutex_enter(&m); /* refused, reported */
	cv_wait(&cv, &m);
	r = cv_timedwait(&cv, &m, ddi_get_lbolt() + 10 * hz);
	mutex_exit(&m); /* absorbed */
	mutex_exit(&m);
	SCT_EQ(misuses(SOLCOMPAT_MISUSE_LOCK_RECURSION), rec + 3);
	SCT_EQ(r, -1);
	SCT_CHECK(mutex_owner(&m) == NULL);
}

SCTEST_CASE(condvar, signal_pending_ends_sig_waits)
{
	kmutex_t m = { 0 };
	kcondvar_t cv = { 0 };
	long r1, r2, r3, r4, r5;
	int owned;

	mutex_enter(&m);
	sctest_signal_self();
	r1 = cv_wait_sig(&cv, &m);
	r2 = cv_timedwait_sig(&cv, &m, ddi_get_lbolt() + 100);
	r3 = cv_timedwait_sig(&cv, &m, ddi_get_lbolt() - 1); /* signal first */
	r4 = cv_reltimedwait_sig(&cv, &m, 100, TR_CLOCK_TICK);
	sctest_signal_clear();
	r5 = cv_timedwait_sig(&cv, &m, ddi_get_lbolt() + 2);
	owned = mutex_owned(&m);
	mutex_exit(&m);
	SCT_EQ(r1, 0);
	SCT_EQ(r2, 0);
	SCT_EQ(r3, 0);
	SCT_EQ(r4, 0);
	SCT_EQ(r5, -1);
	SCT_CHECK(owned);
}

static void wait_sig_thread(void *arg, int index)
{
	mutex_enter(&cvs.m);
	cvs.waiting = 1;
	cvs.result = cv_wait_sig(&cvs.cv, &cvs.m);
	cvs.woken = mutex_owned(&cvs.m);
	mutex_exit(&cvs.m);
}

SCTEST_CASE(condvar, signal_during_wait_sig)
{
	long long until;
	int waiting = 0, sent;

	mutex_init(&cvs.m, NULL, MUTEX_DEFAULT, NULL);
	cv_init(&cvs.cv, NULL, CV_DEFAULT, NULL);
	cvs.waiting = cvs.woken = 0;
	cvs.result = -5;
	if (sctest_threads_start(1, wait_sig_thread, NULL))
		SCT_SKIP("runner cannot start threads");
	until = sctest_now_ns() + 5000000000LL;
	while (!waiting && sctest_now_ns() < until) {
		mutex_enter(&cvs.m);	/* waiting: it is queued and asleep */
		waiting = cvs.waiting;
		mutex_exit(&cvs.m);
		sctest_sleep_ms(1);
	}
	sctest_sleep_ms(10);
	sent = sctest_thread_signal(0);
	sctest_threads_join();
	SCT_CHECK(waiting);
	SCT_EQ(sent, 0);
	SCT_EQ(cvs.result, 0);
	SCT_CHECK(cvs.woken);	/* the mutex was re-held */
}

/* N waiters; wakers in every context, with and without the mutex. */
#define WAITERS 5

static struct {
	kmutex_t m;
	kcondvar_t cv;
	volatile uint32_t waiting, woken;
} nw;

static void n_waiter(void *arg, int index)
{
	mutex_enter(&nw.m);
	nw.waiting++;
	cv_wait(&nw.cv, &nw.m);
	SCTEST_STORE(nw.woken, nw.woken + 1); /* polled unlocked */
	mutex_exit(&nw.m);
}

static void signal_fn(void *arg)
{
	cv_signal(&nw.cv);
}

static void broadcast_fn(void *arg)
{
	cv_broadcast(&nw.cv);
}

static int all_waiting(void)
{
	long long until = sctest_now_ns() + 5000000000LL;
	uint32_t n = 0;

	while (sctest_now_ns() < until) {
		mutex_enter(&nw.m);
		n = nw.waiting;
		mutex_exit(&nw.m);
		if (n == WAITERS)
			return 1;
		sctest_sleep_ms(1);
	}
	return 0;
}

/* woken after the wakes so far have landed (they may be deferred). */
static uint32_t woken_settled(uint32_t expect)
{
	long long until = sctest_now_ns() + 2000000000LL;

	while (SCTEST_LOAD(nw.woken) < expect && sctest_now_ns() < until)
		sctest_sleep_ms(1);
	sctest_sleep_ms(20);	/* and no more than that */
	return SCTEST_LOAD(nw.woken);
}

SCTEST_CASE(condvar, signal_wakes_exactly_one_from_every_context)
{
	static const unsigned int ctx[] = { SCTEST_PROCESS, SCTEST_ATOMIC,
					    SCTEST_HARDIRQ, SCTEST_NMI };
	uint32_t woken[5];
	int ready, r[5], i;

	mutex_init(&nw.m, NULL, MUTEX_DEFAULT, NULL);
	cv_init(&nw.cv, NULL, CV_DEFAULT, NULL);
	nw.waiting = nw.woken = 0;
	if (sctest_threads_start(WAITERS, n_waiter, NULL))
		SCT_SKIP("runner cannot start threads");
	ready = all_waiting();
	for (i = 0; i < 4; i++) {
		/* The first with the mutex held, the others without. */
		if (i == 0)
			mutex_enter(&nw.m);
		r[i] = sctest_call_in(ctx[i], signal_fn, NULL);
		if (i == 0)
			mutex_exit(&nw.m);
		woken[i] = woken_settled(i + 1);
	}
	r[4] = sctest_call_in(SCTEST_PROBE, broadcast_fn, NULL);
	woken[4] = woken_settled(WAITERS);
	if (woken[4] != WAITERS)
		cv_broadcast(&nw.cv);	/* never leave threads behind */
	sctest_threads_join();
	SCT_CHECK(ready);
	for (i = 0; i < 4; i++) {
		SCT_EQ(r[i], 0);
		SCT_EQ(woken[i], i + 1);
	}
	SCT_EQ(r[4], 0);
	SCT_EQ(woken[4], WAITERS);
}

SCTEST_CASE(condvar, broadcast_wakes_all_from_hardirq)
{
	int ready, r;
	uint32_t woken;

	mutex_init(&nw.m, NULL, MUTEX_DEFAULT, NULL);
	cv_init(&nw.cv, NULL, CV_DEFAULT, NULL);
	nw.waiting = nw.woken = 0;
	if (sctest_threads_start(WAITERS, n_waiter, NULL))
		SCT_SKIP("runner cannot start threads");
	ready = all_waiting();
	r = sctest_call_in(SCTEST_HARDIRQ, broadcast_fn, NULL);
	woken = woken_settled(WAITERS);
	if (woken != WAITERS)
		cv_broadcast(&nw.cv);
	sctest_threads_join();
	SCT_CHECK(ready);
	SCT_EQ(r, 0);
	SCT_EQ(woken, WAITERS);
}

/*
 * cv_destroy right after cv_broadcast, then the memory is "freed"
 * (poisoned): no waiter may write to it afterwards. The waiters' mutex
 * lives outside the freed object, as it must.
 */
struct cv_obj {
	kcondvar_t cv;
	uint64_t payload[3];
};

static struct cv_obj cv_freed;

static void destroy_waiter(void *arg, int index)
{
	mutex_enter(&nw.m);
	nw.waiting++;
	cv_wait(&cv_freed.cv, &nw.m);
	SCTEST_STORE(nw.woken, nw.woken + 1); /* polled unlocked */
	mutex_exit(&nw.m);
}

static void broadcast_destroy_free(void *arg)
{
	unsigned char *p = (unsigned char *)&cv_freed;
	unsigned int i;

	cv_broadcast(&cv_freed.cv);
	cv_destroy(&cv_freed.cv);
	for (i = 0; i < sizeof(cv_freed); i++)
		p[i] = 0x6b;
}

SCTEST_CASE(condvar, destroy_right_after_broadcast)
{
	static const unsigned int ctx[] = { SCTEST_PROCESS, SCTEST_HARDIRQ,
					    SCTEST_NMI };
	const unsigned char *p = (const unsigned char *)&cv_freed;
	int i, ready[3], r[3], bad[3];
	uint32_t woken[3];
	unsigned int b;

	for (i = 0; i < 3; i++) {
		mutex_init(&nw.m, NULL, MUTEX_DEFAULT, NULL);
		cv_init(&cv_freed.cv, NULL, CV_DEFAULT, NULL);
		nw.waiting = nw.woken = 0;
		if (sctest_threads_start(WAITERS, destroy_waiter, NULL))
			SCT_SKIP("runner cannot start threads");
		ready[i] = all_waiting();
		r[i] = sctest_call_in(ctx[i], broadcast_destroy_free, NULL);
		woken[i] = woken_settled(WAITERS);
		if (woken[i] != WAITERS) {
			cv_init(&cv_freed.cv, NULL, CV_DEFAULT, NULL);
			cv_broadcast(&cv_freed.cv);
		}
		sctest_threads_join();
		bad[i] = 0;
		for (b = 0; b < sizeof(cv_freed); b++)
			if (p[b] != 0x6b)
				bad[i] = 1;
	}
	for (i = 0; i < 3; i++) {
		SCT_CHECK(ready[i]);
		SCT_EQ(r[i], 0);
		SCT_EQ(woken[i], WAITERS);
		SCT_EQ(bad[i], 0);
	}
}

/* The waits' Context: line, enforced: reported, never a sleep. */
SCTEST_CASE(condvar, waits_refused_where_sleeping_is_not_allowed)
{
	unsigned long ctx = misuses(SOLCOMPAT_MISUSE_CONTEXT);
	kmutex_t m = { 0 };
	kcondvar_t cv = { 0 };
	long r2, r3, r4, r5;
	int owned;

	mutex_enter(&m);
	cv_wait(&cv, &m);	/* a spurious wakeup */
	r2 = cv_wait_sig(&cv, &m);
	r3 = cv_timedwait(&cv, &m, ddi_get_lbolt() + 100);
	r4 = cv_reltimedwait(&cv, &m, 100, TR_CLOCK_TICK);
	r5 = cv_timedwait_hires(&cv, &m, 1000000000LL, 0, 0);
	owned = mutex_owned(&m);
	mutex_exit(&m);
	SCT_EQ(misuses(SOLCOMPAT_MISUSE_CONTEXT), ctx + 5);
	SCT_EQ(r2, 0);
	SCT_EQ(r3, -1);
	SCT_EQ(r4, -1);
	SCT_EQ(r5, -1);
	SCT_CHECK(owned);
}

SCTEST_CASE(condvar, wait_on_spin_mutex_or_unheld_mutex_refused)
{
	unsigned long ctx = misuses(SOLCOMPAT_MISUSE_CONTEXT);
	unsigned long not = misuses(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER);
	int before = sctest_irqs_disabled();
	kmutex_t s, m = { 0 };
	kcondvar_t cv = { 0 };
	long r2, r3;

	mutex_init(&s, NULL, MUTEX_SPIN, NULL);
	mutex_enter(&s);	/* interrupts off: no sleeping */
	r2 = cv_timedwait(&cv, &s, ddi_get_lbolt() + 100);
	mutex_exit(&s);
	cv_wait(&cv, &m);	/* m not held */
	r3 = cv_wait_sig(&cv, &m);
	SCT_EQ(misuses(SOLCOMPAT_MISUSE_CONTEXT), ctx + 1);
	SCT_EQ(misuses(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER), not + 2);
	SCT_EQ(r2, -1);
	SCT_EQ(r3, 0);
	SCT_EQ(sctest_irqs_disabled(), before);
	SCT_CHECK(!mutex_owned(&m));
}

/*
 * Stress: a hard interrupt on every CPU produces items under a spin mutex
 * and signals without the consumers' mutex; threads produce too, and
 * consumers wait with short timeouts (a signal without the mutex may come
 * before the wait). Everything produced is consumed, exactly once.
 */
#define PC_CONSUMERS 3
#define PC_PRODUCERS 2
#define PC_ITEMS 3000

static struct {
	kmutex_t lock;		/* adaptive: consumers */
	kmutex_t qlock;		/* spin: the queue, shared with interrupts */
	kcondvar_t cv;
	long queued, produced_by_timers, consumed[PC_CONSUMERS];
	volatile uint32_t producers_done, stop_timers, finished;
} pc;

static void pc_timer(void *arg, int cpu)
{
	if (SCTEST_LOAD(pc.stop_timers))
		return;
	mutex_enter(&pc.qlock);
	pc.queued++;
	pc.produced_by_timers++;
	mutex_exit(&pc.qlock);
	cv_signal(&pc.cv);
}

static int pc_take(void)
{
	int got = 0;

	mutex_enter(&pc.qlock);
	if (pc.queued > 0) {
		pc.queued--;
		got = 1;
	}
	mutex_exit(&pc.qlock);
	return got;
}

static void pc_thread(void *arg, int index)
{
	int i;

	if (index >= PC_CONSUMERS) {	/* producer */
		for (i = 0; i < PC_ITEMS; i++) {
			mutex_enter(&pc.qlock);
			pc.queued++;
			mutex_exit(&pc.qlock);
			if (i % 2)
				cv_signal(&pc.cv);
			else
				cv_broadcast(&pc.cv);
			if (i % 100 == 0)
				sctest_yield();
		}
		atomic_inc_32(&pc.producers_done);
		return;
	}
	for (;;) {
		if (pc_take()) {
			pc.consumed[index]++;
			continue;
		}
		if (SCTEST_LOAD(pc.finished)) /* nothing can be produced any more */
			break;
		mutex_enter(&pc.lock);
		(void) cv_reltimedwait(&pc.cv, &pc.lock, 2, TR_CLOCK_TICK);
		mutex_exit(&pc.lock);
	}
}

SCTEST_CASE(condvar, producer_consumer_with_interrupts)
{
	unsigned long before[5];
	long consumed = 0;
	int i, k, timers, threads;

	for (k = 0; k < 5; k++)
		before[k] = misuses((enum solcompat_misuse_kind)k);
	mutex_init(&pc.lock, NULL, MUTEX_DEFAULT, NULL);
	mutex_init(&pc.qlock, NULL, MUTEX_SPIN, NULL);
	cv_init(&pc.cv, NULL, CV_DEFAULT, NULL);
	pc.queued = pc.produced_by_timers = 0;
	pc.producers_done = pc.stop_timers = pc.finished = 0;
	for (i = 0; i < PC_CONSUMERS; i++)
		pc.consumed[i] = 0;
	timers = sctest_timers_start(300, pc_timer, NULL);
	threads = sctest_threads_start(PC_CONSUMERS + PC_PRODUCERS, pc_thread,
				       NULL);
	if (!threads) {
		while (SCTEST_LOAD(pc.producers_done) < PC_PRODUCERS)
			sctest_sleep_ms(5);
	}
	/*
	 * The producers may finish before the first 300 us tick (a fast
	 * iteration): let the timers produce at least once, for a second at
	 * most, so that the check below is about the condition variable and
	 * not about timing.
	 */
	for (i = 0; !timers && i < 1000; i++) {
		long n;

		mutex_enter(&pc.qlock);
		n = pc.produced_by_timers;
		mutex_exit(&pc.qlock);
		if (n > 0)
			break;
		sctest_sleep_ms(1);
	}
	atomic_swap_32(&pc.stop_timers, 1);
	sctest_timers_stop();	/* no callback runs after this */
	atomic_swap_32(&pc.finished, 1);
	cv_broadcast(&pc.cv);
	sctest_threads_join();
	SCT_EQ(timers, 0);
	SCT_EQ(threads, 0);
	for (i = 0; i < PC_CONSUMERS; i++)
		consumed += pc.consumed[i];
	SCT_EQ(pc.queued, 0);
	SCT_EQ(consumed, (long)PC_PRODUCERS * PC_ITEMS + pc.produced_by_timers);
	SCT_GT(pc.produced_by_timers, 0);
	for (k = 0; k < 5; k++)
		SCT_EQ(misuses((enum solcompat_misuse_kind)k), before[k]);
}

SCTEST_FAMILY(
	condvar,
	SCTEST_ENTRY(condvar, signal_and_broadcast_without_waiters, SCTEST_ANY),
	SCTEST_ENTRY(condvar, lbolt_counts_ticks, SCTEST_ANY),
	SCTEST_ENTRY(condvar, past_deadline_returns_at_once, SCTEST_PROCESS),
	SCTEST_ENTRY(condvar, timedwait_times_out, SCTEST_PROCESS),
	SCTEST_ENTRY(condvar, woken_wait_returns_positive, SCTEST_PROCESS),
	SCTEST_ENTRY(condvar, hires_endless_timeout_waits, SCTEST_PROCESS),
	SCTEST_ENTRY(condvar, wait_after_refused_recursive_enter_refused,
		     SCTEST_PROCESS),
	SCTEST_ENTRY(condvar, signal_pending_ends_sig_waits, SCTEST_PROCESS),
	SCTEST_ENTRY(condvar, signal_during_wait_sig, SCTEST_PROCESS),
	SCTEST_ENTRY(condvar, signal_wakes_exactly_one_from_every_context,
		     SCTEST_PROCESS),
	SCTEST_ENTRY(condvar, broadcast_wakes_all_from_hardirq, SCTEST_PROCESS),
	SCTEST_ENTRY(condvar, destroy_right_after_broadcast, SCTEST_PROCESS),
	SCTEST_ENTRY(condvar, waits_refused_where_sleeping_is_not_allowed,
		     SCTEST_NOSLEEP),
	SCTEST_ENTRY(condvar, wait_on_spin_mutex_or_unheld_mutex_refused,
		     SCTEST_PROCESS),
	SCTEST_ENTRY(condvar, producer_consumer_with_interrupts,
		     SCTEST_PROCESS));
