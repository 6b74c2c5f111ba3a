// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/semaphore.h: CONTRACTS.md section 3 "Locks"
 * (sema_tryp, sema_v from hardirq, sema_p_sig with a signal pending) and
 * section 2 item 2 (a semaphore never sleeps where sleeping is not
 * allowed: sema_p there is reported and does not wait).
 */
#include <sys/atomic.h>
#include <sys/semaphore.h>
#include <sys/types.h>
#include <impl/debug.h>

#include "sctest.h"

static unsigned long misuses(enum solcompat_misuse_kind kind)
{
	return solcompat_misuse_count(kind);
}

SCTEST_CASE(sema, tryp_and_held)
{
	ksema_t s;

	sema_init(&s, 0, NULL, SEMA_DEFAULT, NULL);
	SCT_EQ(sema_tryp(&s), 0);	/* at 0 */
	SCT_CHECK(sema_held(&s));
	sema_v(&s);
	SCT_CHECK(!sema_held(&s));
	SCT_CHECK(sema_tryp(&s));	/* at 1: taken */
	SCT_CHECK(sema_held(&s));
	sema_v(&s);
	sema_v(&s);
	SCT_CHECK(sema_tryp(&s));
	SCT_CHECK(sema_tryp(&s));
	SCT_EQ(sema_tryp(&s), 0);
	sema_destroy(&s);
}

SCTEST_CASE(sema, v_then_tryp_in_any_context)
{
	ksema_t s = { 0 };

	sema_v(&s);
	sema_v(&s);
	SCT_CHECK(sema_tryp(&s));
	SCT_CHECK(sema_tryp(&s));
	SCT_CHECK(sema_held(&s));
}

SCTEST_CASE(sema, p_refused_where_sleeping_is_not_allowed)
{
	unsigned long ctx = misuses(SOLCOMPAT_MISUSE_CONTEXT);
	int took_one, r_empty, r_avail;
	ksema_t s;

	sema_init(&s, 1, NULL, SEMA_DRIVER, NULL);
	sema_p(&s);			/* reported; takes the unit */
	took_one = sema_held(&s);
	sema_p(&s);			/* reported; returns without waiting */
	r_empty = sema_p_sig(&s);	/* reported; 1, as if interrupted */
	sema_v(&s);
	r_avail = sema_p_sig(&s);	/* reported; 0, unit taken */
	SCT_EQ(misuses(SOLCOMPAT_MISUSE_CONTEXT), ctx + 4);
	SCT_CHECK(took_one);
	SCT_EQ(r_empty, 1);
	SCT_EQ(r_avail, 0);
	SCT_CHECK(sema_held(&s));
}

SCTEST_CASE(sema, p_sig_with_signal_pending)
{
	int r_empty, held_after, r_avail;
	ksema_t s;

	sema_init(&s, 0, NULL, SEMA_DEFAULT, NULL);
	sctest_signal_self();
	r_empty = sema_p_sig(&s);	/* 1, count unchanged */
	held_after = sema_held(&s);
	sema_v(&s);
	r_avail = sema_p_sig(&s);	/* a unit wins over the signal */
	sctest_signal_clear();
	SCT_EQ(r_empty, 1);
	SCT_CHECK(held_after);
	SCT_EQ(r_avail, 0);
	SCT_CHECK(sema_held(&s));
	SCT_EQ(sema_tryp(&s), 0);
}

/* A sleeper in sema_p, woken by sema_v from each context in turn. */
static struct {
	ksema_t s;
	volatile uint32_t got;
	volatile int result;
} sl;

static void p_five_times(void *arg, int index)
{
	int i;

	for (i = 0; i < 5; i++) {
		sema_p(&sl.s);
		atomic_inc_32(&sl.got);
	}
}

static void v_fn(void *arg)
{
	sema_v(&sl.s);
}

static uint32_t got_settled(uint32_t expect)
{
	long long until = sctest_now_ns() + 2000000000LL;

	while (SCTEST_LOAD(sl.got) < expect && sctest_now_ns() < until)
		sctest_sleep_ms(1);
	return SCTEST_LOAD(sl.got);
}

SCTEST_CASE(sema, v_wakes_sleeper_from_every_context)
{
	static const unsigned int ctx[] = { SCTEST_PROCESS, SCTEST_ATOMIC,
					    SCTEST_HARDIRQ, SCTEST_NMI,
					    SCTEST_PROBE };
	uint32_t early[5], got[5];
	int i, r[5];

	sema_init(&sl.s, 0, NULL, SEMA_DEFAULT, NULL);
	sl.got = 0;
	if (sctest_threads_start(1, p_five_times, NULL))
		SCT_SKIP("runner cannot start threads");
	for (i = 0; i < 5; i++) {
		sctest_sleep_ms(10);	/* let it sleep in sema_p */
		early[i] = SCTEST_LOAD(sl.got);
		r[i] = sctest_call_in(ctx[i], v_fn, NULL);
		if (r[i])
			sema_v(&sl.s);	/* never leave it behind */
		got[i] = got_settled(i + 1);
	}
	sctest_threads_join();
	for (i = 0; i < 5; i++) {
		SCT_EQ(early[i], i);
		SCT_EQ(r[i], 0);
		SCT_EQ(got[i], i + 1);
	}
	SCT_CHECK(sema_held(&sl.s));
}

static void p_sig_thread(void *arg, int index)
{
	sl.result = sema_p_sig(&sl.s);
}

SCTEST_CASE(sema, p_sig_interrupted_while_waiting)
{
	int sent;

	sema_init(&sl.s, 0, NULL, SEMA_DEFAULT, NULL);
	sl.result = -5;
	if (sctest_threads_start(1, p_sig_thread, NULL))
		SCT_SKIP("runner cannot start threads");
	sctest_sleep_ms(20);	/* asleep in sema_p_sig */
	sent = sctest_thread_signal(0);
	if (sent)
		sema_v(&sl.s);
	sctest_threads_join();
	SCT_EQ(sent, 0);
	SCT_EQ(sl.result, 1);
	SCT_CHECK(sema_held(&sl.s));	/* count unchanged: 0 */
	SCT_EQ(sema_tryp(&sl.s), 0);
}

/*
 * Stress: a semaphore of 2 units guards a section that at most 2 threads
 * may be in; a hard interrupt on every CPU tries to enter it too, and posts
 * to a second semaphore that a thread consumes with sema_p. Every unit is
 * accounted for.
 */
#define SH_THREADS_MAX 8
#define SH_ITERATIONS 4000

static struct {
	ksema_t res, ticks;
	volatile uint32_t inside, bad, finished;
	long timer_v, consumed;
} sh;

static void sh_timer(void *arg, int cpu)
{
	if (sema_tryp(&sh.res)) {
		if (atomic_inc_32_nv(&sh.inside) > 2)
			atomic_or_32(&sh.bad, 1);
		atomic_dec_32(&sh.inside);
		sema_v(&sh.res);
	}
	if (!SCTEST_LOAD(sh.finished)) {
		atomic_add_long((volatile ulong_t *)&sh.timer_v, 1);
		sema_v(&sh.ticks);
	}
}

static void sh_thread(void *arg, int index)
{
	int i;

	if (index == 0) {	/* the consumer of the interrupts' units */
		for (;;) {
			sema_p(&sh.ticks);
			sh.consumed++;
			if (SCTEST_LOAD(sh.finished))
				break;
		}
		return;
	}
	for (i = 0; i < SH_ITERATIONS; i++) {
		if (i % 2)
			sema_p(&sh.res);
		else if (sema_p_sig(&sh.res))
			atomic_or_32(&sh.bad, 2);	/* no signal was sent */
		if (atomic_inc_32_nv(&sh.inside) > 2)
			atomic_or_32(&sh.bad, 4);
		if (i % 64 == 0)
			sctest_yield();
		atomic_dec_32(&sh.inside);
		sema_v(&sh.res);
	}
}

SCTEST_CASE(sema, hammer_with_interrupts)
{
	unsigned long before[5];
	int n = sctest_ncpus() * 2 + 1;
	long drained = 0;
	int k, timers, threads;

	if (n > SH_THREADS_MAX)
		n = SH_THREADS_MAX;
	for (k = 0; k < 5; k++)
		before[k] = misuses((enum solcompat_misuse_kind)k);
	sema_init(&sh.res, 2, NULL, SEMA_DEFAULT, NULL);
	sema_init(&sh.ticks, 0, NULL, SEMA_DEFAULT, NULL);
	sh.inside = sh.bad = sh.finished = 0;
	sh.timer_v = sh.consumed = 0;
	timers = sctest_timers_start(250, sh_timer, NULL);
	threads = sctest_threads_start(n, sh_thread, NULL);
	sctest_sleep_ms(200);	/* let the interrupts post for a while */
	sctest_timers_stop();
	atomic_swap_32(&sh.finished, 1);
	sema_v(&sh.ticks);	/* the consumer's last unit */
	sctest_threads_join();
	while (sema_tryp(&sh.ticks))
		drained++;
	SCT_EQ(timers, 0);
	SCT_EQ(threads, 0);
	SCT_EQ(sh.bad, 0);
	SCT_EQ(sh.inside, 0);
	SCT_EQ(sh.consumed + drained, sh.timer_v + 1);
	SCT_GT(sh.timer_v, 0);
	/* Both units are back. */
	SCT_CHECK(sema_tryp(&sh.res));
	SCT_CHECK(sema_tryp(&sh.res));
	SCT_EQ(sema_tryp(&sh.res), 0);
	for (k = 0; k < 5; k++)
		SCT_EQ(misuses((enum solcompat_misuse_kind)k), before[k]);
}

SCTEST_FAMILY(sema,
	      SCTEST_ENTRY(sema, tryp_and_held, SCTEST_ANY),
	      SCTEST_ENTRY(sema, v_then_tryp_in_any_context, SCTEST_ANY),
	      SCTEST_ENTRY(sema, p_refused_where_sleeping_is_not_allowed,
			   SCTEST_NOSLEEP),
	      SCTEST_ENTRY(sema, p_sig_with_signal_pending, SCTEST_PROCESS),
	      SCTEST_ENTRY(sema, v_wakes_sleeper_from_every_context,
			   SCTEST_PROCESS),
	      SCTEST_ENTRY(sema, p_sig_interrupted_while_waiting,
			   SCTEST_PROCESS),
	      SCTEST_ENTRY(sema, hammer_with_interrupts, SCTEST_PROCESS));
