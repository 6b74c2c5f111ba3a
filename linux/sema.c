// SPDX-License-Identifier: GPL-2.0
/*
 * Counting semaphores (sys/semaphore.h) on Linux.
 *
 * Big Theory Statement
 * --------------------
 * The 2011 port found that a semaphore can suspend the caller inside a
 * nested interrupt (CONTRACTS.md 2.2). Here only sema_p and sema_p_sig
 * sleep, they check that the caller may sleep, and sema_v never waits for
 * anything: it is callable from hardirq, NMI and probe context.
 *
 * State: one 64-bit word, the count of available units in bits 0-31 and
 * the number of sleepers in bits 32-63. Sleepers are in linux/sleepq.c's
 * queues, keyed by the semaphore's address.
 *
 *   sema_v      one atomic add of 1 to the count, which also returns the
 *               sleeper count; if it was non-zero, wake the oldest sleeper
 *               (directly in process context, else through this CPU's
 *               irq_work). The semaphore is not touched after the add, so
 *               a sleeper may free it as soon as it has its unit.
 *   sema_tryp   cmpxchg the count down if it is positive.
 *   sema_p      tryp; else queue, add one sleeper (after queueing, so a
 *               sema_v that sees it finds the sleeper queued), re-check the
 *               count (a sema_v that came before the add left a unit
 *               there), sleep; when woken, remove the sleeper count and
 *               retry. Units are only ever in the count: a wake is a hint
 *               to retry, never a hand-off, so a wake that goes to a sleeper
 *               that is leaving (signal) or loses the race to a tryp loses
 *               no unit.
 *   sema_p_sig  the same, interruptible: when a signal is pending and no
 *               unit could be taken, leave and return 1; the count is
 *               unchanged. With a unit available it is taken and 0 returned
 *               even if a signal is pending, as illumos does.
 *
 * Memory ordering: every operation on the word is a fully ordered RMW, so
 * a sema_v and a sleeper's registration are totally ordered: either sema_v
 * sees the sleeper (and wakes it, or another sleeper that then takes the
 * unit), or the sleeper's re-check sees the unit.
 *
 * Context enforcement: sema_p and sema_p_sig where sleeping is not allowed
 * (lock_may_sleep: task context, preemption and interrupts on, no RCU
 * reader) are reported (SOLCOMPAT_MISUSE_CONTEXT) and never sleep: they
 * take a unit if one is available and return (sema_p_sig: 0 if taken, 1 if
 * not, as if a signal had arrived).
 *
 * Contexts:
 *   function                          process atomic hardirq nmi probe
 *   sema_p, sema_p_sig                yes     rep    rep     rep rep (rep:
 *                                                                 reported)
 *   sema_v, sema_tryp, sema_held      yes     yes    yes     yes yes
 *   sema_init, sema_destroy           yes     yes    yes     yes yes
 *
 * Designs rejected:
 *   - Linux struct semaphore: its raw spinlock is fine in hardirq, but
 *     up() calls wake_up_process, traceable and unsafe in NMI or in a probe
 *     inside the scheduler, and its layout is the kernel's.
 *   - Handing the unit directly to the woken sleeper: needs the waker to
 *     know the sleeper is still there, i.e. to touch the semaphore after a
 *     wake that may have let its owner free it.
 *
 * Not supported: counts above 2^32 - 1 (they would carry into the sleeper
 * count); sema_destroy does not detect sleepers.
 */
#include <linux/compiler.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include <impl/debug.h>
#include <impl/sema.h>
#include "sleepq.h"

#define S_COUNT_MASK 0xffffffffULL
#define S_SLEEPER_ONE (1ULL << 32)

static __always_inline u64 *s_word(solcompat_ksema_t *sp)
{
	return (u64 *)&sp->s_state;
}

static __always_inline bool s_tryp(solcompat_ksema_t *sp)
{
	u64 old = __atomic_load_n(s_word(sp), __ATOMIC_RELAXED);

	while (old & S_COUNT_MASK)
		if (__atomic_compare_exchange_n(s_word(sp), &old, old - 1,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

/* 0: took a unit; 1: a signal ended the wait. Process context. */
static int s_block(solcompat_ksema_t *sp, unsigned int state)
{
	struct sq_waiter w;
	u64 now;

	for (;;) {
		if (s_tryp(sp))
			return 0;
		if ((state & TASK_INTERRUPTIBLE) && signal_pending(current))
			return 1;
		solcompat_sq_enqueue(&w, sp, SQ_KIND_WAITER, NULL);
		now = __atomic_add_fetch(s_word(sp), S_SLEEPER_ONE,
					 __ATOMIC_SEQ_CST);
		if (now & S_COUNT_MASK)
			solcompat_sq_cancel(&w);	/* a unit came first */
		else
			solcompat_sq_sleep(&w, state, NULL);
		__atomic_sub_fetch(s_word(sp), S_SLEEPER_ONE, __ATOMIC_SEQ_CST);
		/* Retry: a unit is taken before a signal is looked at. */
	}
}

static notrace bool s_may_block(const char *api, const void *caller)
{
	if (likely(lock_may_sleep()))
		return true;
	solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, api,
			 "called where sleeping is not allowed: does not wait",
			 caller);
	return false;
}
NOKPROBE_SYMBOL(s_may_block);

notrace void solcompat_sema_init(solcompat_ksema_t *sp, unsigned int count,
				 const char *name, solcompat_ksema_type_t type,
				 void *arg)
{
	sp->s_state = count;
	sp->s_reserved = 0;
}
EXPORT_SYMBOL_GPL(solcompat_sema_init);
NOKPROBE_SYMBOL(solcompat_sema_init);

notrace void solcompat_sema_destroy(solcompat_ksema_t *sp)
{
	sp->s_state = 0;
}
EXPORT_SYMBOL_GPL(solcompat_sema_destroy);
NOKPROBE_SYMBOL(solcompat_sema_destroy);

notrace void solcompat_sema_p(solcompat_ksema_t *sp)
{
	if (!s_may_block("sema_p", __builtin_return_address(0))) {
		s_tryp(sp);
		return;
	}
	s_block(sp, TASK_IDLE); /* as cv_wait: waiting is normal */
}
EXPORT_SYMBOL_GPL(solcompat_sema_p);

notrace int solcompat_sema_p_sig(solcompat_ksema_t *sp)
{
	if (!s_may_block("sema_p_sig", __builtin_return_address(0)))
		return s_tryp(sp) ? 0 : 1;
	return s_block(sp, TASK_INTERRUPTIBLE);
}
EXPORT_SYMBOL_GPL(solcompat_sema_p_sig);

notrace void solcompat_sema_v(solcompat_ksema_t *sp)
{
	u64 old = __atomic_fetch_add(s_word(sp), 1, __ATOMIC_SEQ_CST);

	/* From here on sp is a key, never dereferenced. */
	if (old >> 32)
		solcompat_sq_wake(sp, SQ_WAKE_ONE);
}
EXPORT_SYMBOL_GPL(solcompat_sema_v);
NOKPROBE_SYMBOL(solcompat_sema_v);

notrace int solcompat_sema_tryp(solcompat_ksema_t *sp)
{
	return s_tryp(sp);
}
EXPORT_SYMBOL_GPL(solcompat_sema_tryp);
NOKPROBE_SYMBOL(solcompat_sema_tryp);

notrace int solcompat_sema_held(const solcompat_ksema_t *sp)
{
	return !(__atomic_load_n(&sp->s_state, __ATOMIC_SEQ_CST) &
		 S_COUNT_MASK);
}
EXPORT_SYMBOL_GPL(solcompat_sema_held);
NOKPROBE_SYMBOL(solcompat_sema_held);
