// SPDX-License-Identifier: GPL-2.0
/*
 * Condition variables (sys/condvar.h) on Linux.
 *
 * Big Theory Statement
 * --------------------
 * A kcondvar_t holds no waiter: sleepers are in linux/sleepq.c's hashed
 * queues, keyed by the condition variable's address, in FIFO order. The
 * only state in the object is cv_waiters, a hint that lets cv_signal and
 * cv_broadcast return at once when nobody waits (the common case, and the
 * one that must be cheap in probe context).
 *
 * The hint's invariant: cv_waiters >= the number of queued waiters that no
 * pending wake covers. So a signal that sees 0 has nothing to do: every
 * queued waiter is already being woken. Maintained by:
 *   - a waiter increments it under the bucket lock as it queues itself,
 *     before it drops the mutex (so a signaller holding the mutex sees it);
 *   - a direct wake (the caller may wake now: task context, preemption and
 *     interrupts on) stores, under the same lock, the exact number of
 *     waiters left on the key, which also heals any excess;
 *   - a deferred wake (any other context) decrements it (signal, not below
 *     0) or zeroes it (broadcast) before queueing the request: the wake is
 *     then "pending" for the waiters it will take;
 *   - a waiter that leaves by itself (timeout, signal) does not touch it:
 *     the hint may stay too high, never too low.
 * Waiters never write to the condition variable after queueing, and wakers
 * (direct, or this CPU's irq_work for deferred wakes) use its address only
 * as a key. Hence cv_destroy and freeing the memory right after
 * cv_broadcast is safe, in whichever context the broadcast ran
 * (CONTRACTS.md "cv_destroy right after a broadcast").
 *
 * Waiting (cv_wait*): queue with the mutex held, release the mutex, sleep
 * until picked, timed out or signalled (linux/sleepq.c), re-acquire the
 * mutex. A wake between the release and the sleep is not lost: the waker
 * picks the queued waiter under the bucket lock. The waits without _sig
 * sleep TASK_IDLE (uninterruptible, but not counted in the load average
 * nor reported by the hung-task detector: a thread that waits for work
 * for minutes is normal on illumos); the mutex and rwlock waits stay
 * TASK_UNINTERRUPTIBLE, where a long wait is worth a report.
 * A cv wait with a mutex whose recursive enter was refused (and still
 * owes its exit) is reported (LOCK_RECURSION) and returns at once: the
 * exit that drops the mutex would be absorbed, and the caller would sleep
 * holding it.
 *
 * Return values, as illumos (uts/common/os/condvar.c):
 *   cv_wait_sig                0 if a signal is pending on return, else > 0
 *   cv_timedwait(tim)          -1 if tim (absolute lbolt) has passed, at
 *                              once and without dropping the mutex if it
 *                              had on entry; else the ticks left (>= 1)
 *   cv_timedwait_sig           0 (signal) before -1 (timeout) before > 0
 *   cv_reltimedwait(delta)     as cv_timedwait(lbolt + delta); -1 at once
 *                              if delta <= 0
 *   cv_timedwait_hires         -1 on timeout, else the ticks left (>= 1);
 *                              tim in ns, relative or, with
 *                              CALLOUT_FLAG_ABSOLUTE, on the gethrtime()
 *                              clock (CLOCK_MONOTONIC); res is hrtimer slack
 * A waiter picked by cv_signal that returns 0 for a signal passes the
 * signal on (cv_signal again), so a cv_signal is never consumed by a waiter
 * that reports something else.
 *
 * Enforcement of the Context: lines. The waits are "Process context. May
 * sleep." and check it on entry (lock_may_sleep: task context, preemption
 * and interrupts on, no RCU reader). Elsewhere the call is reported
 * (SOLCOMPAT_MISUSE_CONTEXT), never sleeps, drops and re-takes the mutex
 * (so a caller looping on its predicate lets other CPUs change it), and
 * returns what a wait that ended at once returns: cv_wait a spurious
 * wakeup, cv_wait_sig 0 (as if a signal arrived), the timed waits -1. A
 * wait without the mutex held is reported (LOCK_NOT_OWNER) and returns the
 * same values without touching the mutex. A wait on a spin mutex is a
 * misuse of the first kind (interrupts are off).
 *
 * Contexts:
 *   function                          process atomic hardirq nmi probe
 *   cv_wait*, cv_*timedwait*          yes     rep    rep     rep rep (rep:
 *                                                                 reported)
 *   cv_signal, cv_broadcast           yes     yes    yes     yes yes
 *   cv_init, cv_destroy               yes     yes    yes     yes yes
 *
 * Designs rejected:
 *   - Linux wait_queue_head_t inside kcondvar_t: kernel-dependent layout,
 *     a spinlock_t (sleeps on PREEMPT_RT, so no hardirq signaller), and the
 *     woken waiter's finish_wait touches the object after a broadcast.
 *   - A count of waiters maintained by the waiters as they leave: a waiter
 *     timing out after a deferred broadcast would write to freed memory.
 *
 * Not supported: CALLOUT_FLAG_HRESTIME (wall-clock deadlines) is treated as
 * monotonic; the res argument of cv_reltimedwait (one tick is the
 * resolution); cv_wait_stop, cv_waituntil_sig.
 */
#include <linux/compiler.h>
#include <linux/jiffies.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>

#include <impl/condvar.h>
#include <impl/debug.h>
#include <impl/mutex.h>
#include <impl/time.h>
#include "sleepq.h"

static __always_inline u32 *cv_hint(solcompat_kcondvar_t *cvp)
{
	return (u32 *)&cvp->cv_waiters;
}

/*
 * Enforce "Process context. May sleep." and mutex ownership; false if the
 * caller must return at once (after the report, and after dropping and
 * re-taking a held mutex where sleeping is not allowed).
 */
static notrace bool cv_may_block(const char *api, solcompat_kmutex_t *mp,
				 const void *caller)
{
	if (unlikely(!lock_may_sleep())) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, api,
				 "called where sleeping is not allowed: returns at once",
				 caller);
		if (solcompat_mutex_owned(mp)) {
			solcompat_mutex_exit(mp);
			solcompat_mutex_enter(mp);
		}
		return false;
	}
	if (unlikely(!solcompat_mutex_owned(mp))) {
		solcompat_misuse(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER, api,
				 "the mutex is not held by the caller",
				 caller);
		return false;
	}
	/*
	 * A refused recursive mutex_enter still owes its mutex_exit, which
	 * would absorb the one that drops the mutex here: the caller would
	 * sleep holding it.
	 */
	if (unlikely(__atomic_load_n(&mp->m_refused, __ATOMIC_RELAXED))) {
		solcompat_misuse(
			SOLCOMPAT_MISUSE_LOCK_RECURSION, api,
			"the mutex was entered recursively (a refused mutex_enter owes its mutex_exit): returns at once",
			caller);
		return false;
	}
	return true;
}
NOKPROBE_SYMBOL(cv_may_block);

/* Queue, drop mp, sleep, re-take mp. Process context. */
static int cv_block(solcompat_kcondvar_t *cvp, solcompat_kmutex_t *mp,
		    unsigned int state, const struct sq_timeout *to)
{
	struct sq_waiter w;
	int r;

	solcompat_sq_enqueue(&w, cvp, SQ_KIND_WAITER, cv_hint(cvp));
	solcompat_mutex_exit(mp);
	r = solcompat_sq_sleep(&w, state, to);
	solcompat_mutex_enter(mp);
	return r;
}

/* A pending signal wins; a cv_signal it would swallow is passed on. */
static bool cv_signalled(solcompat_kcondvar_t *cvp, int r)
{
	if (r != SQ_SIGNALLED && !signal_pending(current))
		return false;
	if (r > 0 && (r & SQ_PICKED_ONE))
		solcompat_cv_signal(cvp);
	return true;
}

static long cv_ticks_left(long tim)
{
	long left = tim - (long)solcompat_lbolt();

	return left > 0 ? left : 1;
}

/* Wait until lbolt tick tim; the checks are done. */
static long cv_wait_until(solcompat_kcondvar_t *cvp, solcompat_kmutex_t *mp,
			  long tim, int sig)
{
	struct sq_timeout to = { .kind = SQ_JIFFIES };
	long now = (long)solcompat_lbolt();
	int r;

	if (tim <= now)
		return sig && signal_pending(current) ? 0 : -1;
	/* lbolt is jiffies - INITIAL_JIFFIES (linux/time.c). */
	if (tim - now > LONG_MAX / 2)
		tim = now + LONG_MAX / 2;
	to.jiffies = (unsigned long)tim + INITIAL_JIFFIES;
	r = cv_block(cvp, mp, sig ? TASK_INTERRUPTIBLE : TASK_IDLE, &to);
	if (sig && cv_signalled(cvp, r))
		return 0;
	if (r == SQ_TIMEDOUT)
		return -1;
	return cv_ticks_left(tim);
}

notrace void solcompat_cv_init(solcompat_kcondvar_t *cvp, const char *name,
			       solcompat_kcv_type_t type, void *arg)
{
	cvp->cv_waiters = 0;
	cvp->cv_reserved = 0;
}
EXPORT_SYMBOL_GPL(solcompat_cv_init);
NOKPROBE_SYMBOL(solcompat_cv_init);

notrace void solcompat_cv_destroy(solcompat_kcondvar_t *cvp)
{
	cvp->cv_waiters = 0;
}
EXPORT_SYMBOL_GPL(solcompat_cv_destroy);
NOKPROBE_SYMBOL(solcompat_cv_destroy);

notrace void solcompat_cv_wait(solcompat_kcondvar_t *cvp,
			       solcompat_kmutex_t *mp)
{
	if (!cv_may_block("cv_wait", mp, __builtin_return_address(0)))
		return;
	cv_block(cvp, mp, TASK_IDLE, NULL);
}
EXPORT_SYMBOL_GPL(solcompat_cv_wait);

notrace int solcompat_cv_wait_sig(solcompat_kcondvar_t *cvp,
				  solcompat_kmutex_t *mp)
{
	int r;

	if (!cv_may_block("cv_wait_sig", mp, __builtin_return_address(0)))
		return 0;
	r = cv_block(cvp, mp, TASK_INTERRUPTIBLE, NULL);
	return cv_signalled(cvp, r) ? 0 : 1;
}
EXPORT_SYMBOL_GPL(solcompat_cv_wait_sig);

notrace long solcompat_cv_timedwait(solcompat_kcondvar_t *cvp,
				    solcompat_kmutex_t *mp, long tim, int sig)
{
	if (!cv_may_block(sig ? "cv_timedwait_sig" : "cv_timedwait", mp,
			  __builtin_return_address(0)))
		return -1;
	return cv_wait_until(cvp, mp, tim, sig);
}
EXPORT_SYMBOL_GPL(solcompat_cv_timedwait);

notrace long solcompat_cv_reltimedwait(solcompat_kcondvar_t *cvp,
				       solcompat_kmutex_t *mp, long delta,
				       solcompat_time_res_t res, int sig)
{
	if (!cv_may_block(sig ? "cv_reltimedwait_sig" : "cv_reltimedwait", mp,
			  __builtin_return_address(0)))
		return -1;
	if (delta <= 0)
		return sig && signal_pending(current) ? 0 : -1;
	if (delta > LONG_MAX / 2)
		delta = LONG_MAX / 2;
	return cv_wait_until(cvp, mp, (long)solcompat_lbolt() + delta, sig);
}
EXPORT_SYMBOL_GPL(solcompat_cv_reltimedwait);

notrace long solcompat_cv_timedwait_hires(solcompat_kcondvar_t *cvp,
					  solcompat_kmutex_t *mp,
					  solcompat_hrtime_t tim,
					  solcompat_hrtime_t res, int flag)
{
	struct sq_timeout to = { .kind = SQ_KTIME };
	s64 deadline, left;
	int r;

	if (!cv_may_block("cv_timedwait_hires", mp,
			  __builtin_return_address(0)))
		return -1;
	if (flag & SOLCOMPAT_CALLOUT_FLAG_ABSOLUTE) {
		if (tim <= solcompat_gethrtime())
			return -1;
		deadline = tim;
	} else {
		s64 now = ktime_get_ns();

		if (tim <= 0)
			return -1;
		/* A timeout past the clock's end waits for ever (illumos). */
		deadline = tim > KTIME_MAX - now ? KTIME_MAX : now + tim;
	}
	if (res > 0 && (flag & SOLCOMPAT_CALLOUT_FLAG_ROUNDUP) &&
	    deadline <= KTIME_MAX - res)
		deadline = DIV_ROUND_UP_ULL((u64)deadline, (u64)res) * res;
	to.expires = ns_to_ktime(deadline);
	to.slack_ns = res > 0 ? res : 0;
	r = cv_block(cvp, mp, TASK_IDLE, &to);
	if (r == SQ_TIMEDOUT)
		return -1;
	left = deadline - (s64)ktime_get_ns();
	return left > 0 ? (long)DIV_ROUND_UP_ULL((u64)left, TICK_NSEC) : 1;
}
EXPORT_SYMBOL_GPL(solcompat_cv_timedwait_hires);

notrace void solcompat_cv_signal(solcompat_kcondvar_t *cvp)
{
	u32 *hint = cv_hint(cvp);
	u32 n = __atomic_load_n(hint, __ATOMIC_SEQ_CST);

	if (!n)
		return;
	if (solcompat_sq_may_wake_now()) {
		solcompat_sq_wake_now(cvp, SQ_WAKE_ONE, hint);
		return;
	}
	while (n && !__atomic_compare_exchange_n(hint, &n, n - 1, false,
						 __ATOMIC_SEQ_CST,
						 __ATOMIC_RELAXED))
		;
	solcompat_sq_wake_later(cvp, SQ_WAKE_ONE);
}
EXPORT_SYMBOL_GPL(solcompat_cv_signal);
NOKPROBE_SYMBOL(solcompat_cv_signal);

notrace void solcompat_cv_broadcast(solcompat_kcondvar_t *cvp)
{
	u32 *hint = cv_hint(cvp);

	if (!__atomic_load_n(hint, __ATOMIC_SEQ_CST))
		return;
	if (solcompat_sq_may_wake_now()) {
		solcompat_sq_wake_now(cvp, SQ_WAKE_ALL, hint);
		return;
	}
	__atomic_store_n(hint, 0, __ATOMIC_SEQ_CST);
	solcompat_sq_wake_later(cvp, SQ_WAKE_ALL);
}
EXPORT_SYMBOL_GPL(solcompat_cv_broadcast);
NOKPROBE_SYMBOL(solcompat_cv_broadcast);
