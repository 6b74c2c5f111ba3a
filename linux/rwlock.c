// SPDX-License-Identifier: GPL-2.0
/*
 * Reader/writer locks (sys/rwlock.h) on Linux, in any context.
 *
 * Big Theory Statement
 * --------------------
 * One word of ours, like the mutex (linux/mutex.c), which the reader counts
 * share with the flags:
 *
 *   bit 0  RW_WAITERS   sleepers may be queued on the lock's address
 *   bit 1  RW_WANTED    a writer is waiting: readers that may sleep stay out
 *   bit 2  RW_WLOCKED   write-held; bits 3-63 are the owner's identity
 *   bits 3-39           not write-held: a known reader's hint, or 0
 *   bits 40-63          not write-held: the number of readers (at most
 *                       2^24 - 1; more wait, as for a writer)
 *
 * Every release that leaves no holder stores 0 (clearing RW_WANTED and
 * RW_WAITERS) and then wakes by address, so, as with mutexes, the release
 * never touches the lock after it reads as free. A free lock may still
 * carry RW_WANTED: when the wake picks a sleeping writer it sets RW_WANTED
 * in the word under the sleep queue's lock (SQ_WAKE_RW), so that a reader
 * arriving between the release and that writer's retry does not slip in
 * first. That write is safe: the picked writer is still inside rw_enter,
 * so the lock is in use. The writer's acquisition clears it.
 *
 * Writers are not starved: a waiting writer sets RW_WANTED, which keeps new
 * readers out, so the readers drain and the writer gets in. Readers are not
 * starved either: a release wakes the oldest sleeper, and if that is a
 * reader, every sleeping reader (SQ_WAKE_RW); readers woken that way enter
 * past RW_WANTED once, and if writers are still queued they enter with
 * RW_WANTED set again, so the writers' turn comes right after them.
 *
 * Two kinds of readers ignore RW_WANTED and wait only for an active writer:
 *   - readers that cannot sleep (atomic, hardirq, NMI, probe context): one
 *     may be nested on top of a reader of the same lock on its own CPU,
 *     which cannot leave while it spins; waiting for the writer, which
 *     waits for that reader, would hang the CPU. Interrupt-level readers
 *     are short, so the writer's wait stays bounded.
 *   - RW_READER_STARVEWRITER, by request (as on illumos).
 *
 * Waiting: a writer waits for the write owner while it runs on a CPU, and
 * for readers a bounded number of spins (readers are anonymous: nobody
 * knows whether they run), in both cases only while this CPU is not wanted
 * elsewhere (need_resched, as for mutexes); then, if it may sleep, it
 * queues, publishes RW_WAITERS | RW_WANTED with a cmpxchg on the word it
 * saw, and sleeps. Readers alike with RW_WAITERS. A caller that cannot sleep
 * spins (and reports after a second, as mutexes do). Woken waiters retry; they
 * acquire with RW_WAITERS set, since more sleepers may remain.
 *
 * Owner identities, recursion and interruption: as for mutexes, for the
 * write owner. rw_enter by the write owner (as reader or writer) is
 * reported (LOCK_RECURSION), returns without acquiring, and its matching
 * rw_exit is absorbed (rw_refused; an rw_downgrade with that debt open
 * reports it and clears it, so it cannot absorb a later owner's exit).
 * rw_enter of a lock write-held by the
 * code this CPU interrupted is reported (LOCK_INTERRUPTED) and returns
 * without acquiring; the matching rw_exit then reports LOCK_NOT_OWNER.
 * rw_exit of a lock not held, or write-held by another, is reported
 * (LOCK_NOT_OWNER) and changes nothing.
 *
 * Readers are anonymous, but one of them is known: the reader that took a
 * free lock leaves a hint, its task's pid at task level, or its CPU
 * (tagged) at interrupt level (hardirq, softirq on an interrupt, NMI,
 * probe), kept while more readers come and go and dropped when a reader
 * with the same hint leaves before the last (it may have been the hinted
 * one). An interrupt-level reader stacked on a reading task has a hint of
 * its own, so it neither takes nor drops the task's. So a hint names a
 * context that holds a read, as long as read holds are released by the
 * context that took them. A hold handed to another context to release
 * leaves the hint on one that no longer reads: a writer there is refused
 * and runs unprotected, and its owed exit can then outlive the readers
 * and be paid by the next owner's write exit, leaving the lock
 * write-held. With it these hangs become reports:
 *   - a writer that can never get the lock is refused: LOCK_RECURSION if
 *     its task is the hinted reader (it would wait for itself);
 *     LOCK_INTERRUPTED at interrupt level if the hinted reader is the task
 *     it interrupted or interrupt-level code of its CPU (none of them
 *     runs while the writer spins). It returns without the lock. Its
 *     rw_exit, which would take away someone's read hold (readers are
 *     anonymous), is owed instead (rw_refused): the first read exit after
 *     the refusal pays the debt and leaves the count alone, so the count
 *     never falls below the readers holding the lock (until a refused
 *     writer's own exit comes it stands one above them per such writer,
 *     which only delays writers) and frees the lock only when the last of
 *     them leaves. rw_tryupgrade fails while a debt is open (the count may
 *     overstate the readers, and a write hold would pay the debt with its
 *     exit);
 *   - a task that is the hinted reader and enters again as a reader while
 *     a writer waits is reported (LOCK_RECURSION) and enters past
 *     RW_WANTED (illumos deadlocks there);
 *   - rw_tryupgrade by a caller who is not the hinted sole reader is
 *     reported (LOCK_NOT_OWNER) and fails.
 * Without a hint (the first reader left while others read, or a context
 * read recursively and left once) these stay as before: a writer waits
 * (spins, reported after a second).
 *
 * rw_tryupgrade succeeds only for the sole reader with no writer waiting
 * (RW_WANTED clear), replacing the count 1 by the caller's identity in one
 * cmpxchg. rw_downgrade replaces the identity by a count of 1 with the
 * caller's hint, keeps RW_WANTED (new readers still wait for the writers)
 * and wakes every sleeping reader, which enters past RW_WANTED once.
 *
 * Memory ordering: acquisitions are cmpxchg (acquire), releases xchg or
 * cmpxchg (release); RW_WAITERS is published and read by fully ordered
 * RMWs, as for mutexes. A paid read exit releases through rw_refused
 * instead (acq_rel cmpxchg), which every read exit loads with acquire
 * before its own release of the word.
 *
 * Contexts:
 *   function                          process atomic hardirq nmi probe
 *   rw_enter                          sleep   spin   spin    spin spin
 *   rw_tryenter, rw_exit              yes     yes    yes     yes yes
 *   rw_downgrade, rw_tryupgrade       yes     yes    yes     yes yes
 *   rw_*_held, rw_read_locked         yes     yes    yes     yes yes
 *   rw_init, rw_destroy               yes     yes    yes     yes yes
 * Wakes from outside process context are deferred to this CPU's irq_work
 * (linux/sleepq.c).
 *
 * Designs rejected:
 *   - Linux rw_semaphore: sleeps, so not in interrupt context; its owner
 *     field is a task; rw_tryupgrade cannot be built on it (OpenZFS's
 *     always fails, a row CONTRACTS.md asks us to win).
 *   - Linux rwlock_t: spins only, sleeps on PREEMPT_RT, traceable.
 *   - Direct hand-off of the lock to woken sleepers: the lock would belong
 *     to a task that is not yet running while an interrupt-level waiter
 *     spins for it, possibly on the only CPU that task may run on.
 *
 * Not supported: the two detections above when the lock has no hint (a
 * reader re-entering then sleeps for ever behind the writer, as on
 * illumos; a writer over an interrupted reader spins, reported after a
 * second). Priority inheritance (linux/sleepq.c).
 */
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/stddef.h>

#include <impl/debug.h>
#include <impl/rwlock.h>
#include "sleepq.h"

#define RW_WAITERS 0x1UL
#define RW_WANTED SQ_RW_WANTED	/* 0x2; SQ_WAKE_RW sets it too */
#define RW_WLOCKED 0x4UL
/* Not write-held: bits 3-39 a known reader's hint, 40-63 the readers. */
#define RW_HINT_MASK 0x000000fffffffff8UL
#define RW_HINT_TASK 0x000000fffffffff0UL /* a task's: bit 3 clear */
#define RW_READ_SHIFT 40
#define RW_READ_ONE (1UL << RW_READ_SHIFT)
#define RW_READERS(w) ((w) >> RW_READ_SHIFT) /* only when not write-held */
#define RW_READERS_MAX (~0UL >> RW_READ_SHIFT)

/*
 * The hint a reader leaves. At task level (lock_self is the task): its
 * pid in bits 4-35 (unique among live tasks; 0, the idle tasks, leaves
 * the reader unknown). At interrupt level (hardirq, softirq on an
 * interrupt, NMI, probe): the CPU + 1 in bits 4-35, with bit 3
 * (LOCK_OWNER_INTR) set, so that a reader stacked on a task never takes
 * for the task's own.
 */
static __always_inline uintptr_t rw_task_hint(const struct task_struct *t)
{
	return ((uintptr_t)(u32)t->pid << 4) & RW_HINT_TASK;
}

static __always_inline uintptr_t rw_hint(uintptr_t self)
{
	if (likely(!(self & LOCK_OWNER_INTR))) /* a task: current */
		return rw_task_hint(current);
	return (((self >> 32) << 4) | LOCK_OWNER_INTR) & RW_HINT_MASK;
}

/* rw_hint(lock_self()), quicker in plain task context. */
static __always_inline uintptr_t rw_self_hint(void)
{
	if (likely(!preempt_count()))
		return rw_task_hint(current);
	return rw_hint(lock_self());
}

/*
 * The word once one more reader (this context) entered a lock in state w,
 * not write-held: false if it already has RW_READERS_MAX readers. The
 * first reader leaves its hint (a lock without readers has none: every
 * release that leaves no holder stores 0).
 */
static __always_inline bool rw_add_reader(uintptr_t w, uintptr_t *new)
{
	if (likely(!RW_READERS(w))) {
		*new = (w + RW_READ_ONE) | rw_self_hint();
		return true;
	}
	return !__builtin_add_overflow(w, RW_READ_ONE, new);
}

/* Spins on anonymous readers before a waiter that may sleep sleeps. */
#define RW_READER_SPINS 1000

static __always_inline uintptr_t rw_load(const solcompat_krwlock_t *rwlp)
{
	return __atomic_load_n(&rwlp->rw_word, __ATOMIC_ACQUIRE);
}

static __always_inline bool rw_cas(solcompat_krwlock_t *rwlp, uintptr_t *old,
				   uintptr_t new)
{
	return __atomic_compare_exchange_n(&rwlp->rw_word, old, new, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE);
}

static __always_inline bool rw_is_free(uintptr_t w)
{
	return !(w & RW_WLOCKED) && !RW_READERS(w);
}

/* Could this caller take the lock in state w? */
static __always_inline bool rw_can_enter(uintptr_t w, bool writer,
					 bool pass_wanted)
{
	if (writer)
		return rw_is_free(w);
	return !(w & RW_WLOCKED) && (pass_wanted || !(w & RW_WANTED)) &&
	       RW_READERS(w) != RW_READERS_MAX;
}

/*
 * Can self ever get a lock that is read-held in state w (not write-held)?
 * Only a known reader (the hint) can be judged: LOCK_RECURSION if it is
 * the task self; for interrupt-level self, LOCK_INTERRUPTED if it is the
 * task this CPU interrupted, or interrupt-level code of this CPU (below
 * self, self's own level, or a handler that returned holding it): none of
 * them runs while self spins. Call with preemption or interrupts off.
 */
static __always_inline enum lock_verdict rw_judge_reader(uintptr_t w,
							 uintptr_t self)
{
	uintptr_t hint = w & RW_HINT_MASK;

	if (!hint)
		return LOCK_WAIT;
	if (!(self & LOCK_OWNER_INTR))
		return hint == rw_hint(self) ? LOCK_RECURSION : LOCK_WAIT;
	if (hint == rw_hint(self) || hint == rw_task_hint(current))
		return LOCK_INTERRUPTED;
	return LOCK_WAIT;
}

/* One attempt from the state in *old (updated on failure). */
static __always_inline bool rw_try_once(solcompat_krwlock_t *rwlp,
					uintptr_t *old, bool writer,
					uintptr_t self, bool pass_wanted,
					uintptr_t extra)
{
	uintptr_t w = *old;

	if (!rw_can_enter(w, writer, pass_wanted))
		return false;
	if (writer)
		return rw_cas(rwlp, old,
			      self | RW_WLOCKED | (w & RW_WAITERS) | extra);
	return rw_add_reader(w, &w) && rw_cas(rwlp, old, w | extra);
}

static notrace void rw_refuse(solcompat_krwlock_t *rwlp, enum lock_verdict v,
			      const void *caller)
{
	if (v == LOCK_RECURSION) {
		__atomic_add_fetch(&rwlp->rw_refused, 1, __ATOMIC_RELAXED);
		solcompat_misuse(SOLCOMPAT_MISUSE_LOCK_RECURSION, "rw_enter",
				 "enter by the write owner: refused, the owner keeps the lock",
				 caller);
	} else {
		solcompat_misuse(SOLCOMPAT_MISUSE_LOCK_INTERRUPTED, "rw_enter",
				 "write-held by code this CPU interrupted (or by a handler that returned holding it): refused",
				 caller);
	}
}
NOKPROBE_SYMBOL(rw_refuse);

/* A writer that can never get a lock a known reader holds: refused. */
static notrace void rw_refuse_writer(solcompat_krwlock_t *rwlp,
				     enum lock_verdict v, const void *caller)
{
	/* Its rw_exit is owed: the next read exit pays for it. */
	__atomic_add_fetch(&rwlp->rw_refused, 1, __ATOMIC_RELAXED);
	if (v == LOCK_RECURSION)
		solcompat_misuse(
			SOLCOMPAT_MISUSE_LOCK_RECURSION, "rw_enter",
			"RW_WRITER by a reader of the lock (it would wait for itself): refused, the read hold stays",
			caller);
	else
		solcompat_misuse(
			SOLCOMPAT_MISUSE_LOCK_INTERRUPTED, "rw_enter",
			"RW_WRITER on a lock read-held by code this CPU interrupted (or by this interrupt level, or a handler that returned holding it): refused",
			caller);
}
NOKPROBE_SYMBOL(rw_refuse_writer);

/* A reader that can sleep re-enters a lock it read-holds. */
static notrace void rw_reader_recursion(const void *caller)
{
	solcompat_misuse(
		SOLCOMPAT_MISUSE_LOCK_RECURSION, "rw_enter",
		"RW_READER by a reader of the lock while a writer waits (a deadlock on illumos): entered past the writer",
		caller);
}
NOKPROBE_SYMBOL(rw_reader_recursion);

/* Caller cannot sleep: spin, past RW_WANTED if a reader. */
static noinline notrace void rw_enter_spinning(solcompat_krwlock_t *rwlp,
					       bool writer, uintptr_t self,
					       const void *caller)
{
	struct lock_spin spin = LOCK_SPIN_INIT;
	enum lock_verdict v;
	uintptr_t old;

	preempt_disable_notrace();
	for (;;) {
		old = rw_load(rwlp);
		if (rw_try_once(rwlp, &old, writer, self, true, 0))
			break;
		if (old & RW_WLOCKED) {
			v = lock_judge(old & LOCK_OWNER_MASK, self);
			if (v != LOCK_WAIT) {
				rw_refuse(rwlp, v, caller);
				break;
			}
		} else if (writer) {
			v = rw_judge_reader(old, self);
			if (v != LOCK_WAIT) {
				rw_refuse_writer(rwlp, v, caller);
				break;
			}
			if (!(old & RW_WANTED)) {
				rw_cas(rwlp, &old, old | RW_WANTED);
				continue;
			}
		}
		lock_spin_relax(&spin, "rw_enter", caller);
	}
	preempt_enable_notrace();
}
NOKPROBE_SYMBOL(rw_enter_spinning);

/* Caller may sleep. */
static noinline void rw_enter_sleeping(solcompat_krwlock_t *rwlp, bool writer,
				       bool starve_writers, uintptr_t self,
				       const void *caller)
{
	bool pass_wanted = starve_writers, sleep;
	uintptr_t old, new, extra = 0;
	struct lock_spin spin = LOCK_SPIN_INIT_WHY(LOCK_INTR_OWNER_WAIT);
	uintptr_t spun_on = 0;
	struct sq_waiter w;
	unsigned int spins;
	enum lock_verdict v;
	int picked;

	for (;;) {
		sleep = false;
		spins = 0;
		/* Preemption off: the owner's task_struct stays valid. */
		preempt_disable();
		spin.last = 0; /* the time away was not spent spinning */
		for (;;) {
			old = rw_load(rwlp);
			if (rw_try_once(rwlp, &old, writer, self, pass_wanted,
					extra)) {
				preempt_enable();
				return;
			}
			if (old & RW_WLOCKED) {
				v = lock_judge(old & LOCK_OWNER_MASK, self);
				if (v != LOCK_WAIT) {
					preempt_enable();
					rw_refuse(rwlp, v, caller);
					return;
				}
				sleep = !lock_owner_running(old &
							    LOCK_OWNER_MASK);
			} else {
				v = rw_judge_reader(old, self);
				if (writer && v != LOCK_WAIT) {
					preempt_enable();
					rw_refuse_writer(rwlp, v, caller);
					return;
				}
				if (!writer && v == LOCK_RECURSION &&
				    (old & RW_WANTED) && !pass_wanted) {
					rw_reader_recursion(caller);
					pass_wanted = true;
					continue;
				}
				if (writer && !(old & RW_WANTED)) {
					rw_cas(rwlp, &old, old | RW_WANTED);
					continue;
				}
				sleep = ++spins > RW_READER_SPINS;
			}
			/* As for mutexes: a due reschedule ends spinning. */
			if (sleep || need_resched())
				break;
			/* A writer at interrupt level: timed and reported. */
			if ((old & RW_WLOCKED) && (old & LOCK_OWNER_INTR)) {
				lock_spin_owner(&spin, &spun_on,
						old & LOCK_OWNER_MASK,
						"rw_enter", caller);
			} else {
				spun_on = 0; /* another holder: a new wait */
				cpu_relax();
			}
		}
		preempt_enable();

		pass_wanted = starve_writers;
		solcompat_sq_enqueue(&w, rwlp,
				     writer ? SQ_KIND_WRITER : SQ_KIND_READER,
				     NULL);
		old = rw_load(rwlp);
		new = old | RW_WAITERS | (writer ? RW_WANTED : 0);
		if (rw_can_enter(old, writer, pass_wanted) ||
		    (new != old && !rw_cas(rwlp, &old, new))) {
			picked = solcompat_sq_cancel(&w);
		} else {
			picked = solcompat_sq_sleep(&w, TASK_UNINTERRUPTIBLE,
						    NULL);
		}
		if (picked <= 0)
			continue;
		extra = RW_WAITERS;	/* more sleepers may remain */
		if (!writer) {
			pass_wanted = true;	/* woken readers enter once */
			if (picked & SQ_PICKED_WRITERS)
				extra |= RW_WANTED;
		}
	}
}

static noinline notrace void rw_enter_slow(solcompat_krwlock_t *rwlp,
					   solcompat_krw_t how,
					   const void *caller)
{
	bool writer = how == SOLCOMPAT_RW_WRITER;
	uintptr_t self = lock_self();

	if (lock_may_sleep())
		rw_enter_sleeping(rwlp, writer,
				  how == SOLCOMPAT_RW_READER_STARVEWRITER, self,
				  caller);
	else
		rw_enter_spinning(rwlp, writer, self, caller);
}
NOKPROBE_SYMBOL(rw_enter_slow);

notrace void solcompat_rw_init(solcompat_krwlock_t *rwlp, const char *name,
			       solcompat_krw_type_t type, void *arg)
{
	/* SQ_WAKE_RW finds the word at the key, the lock's address. */
	BUILD_BUG_ON(offsetof(solcompat_krwlock_t, rw_word) != 0);
	rwlp->rw_word = 0;
	rwlp->rw_refused = 0;
	rwlp->rw_reserved = 0;
}
EXPORT_SYMBOL_GPL(solcompat_rw_init);
NOKPROBE_SYMBOL(solcompat_rw_init);

notrace void solcompat_rw_destroy(solcompat_krwlock_t *rwlp)
{
	if (!rw_is_free(rw_load(rwlp))) {
		solcompat_misuse(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER, "rw_destroy",
				 "lock is held: left alone",
				 __builtin_return_address(0));
		return;
	}
	rwlp->rw_word = 0;
	rwlp->rw_refused = 0;
}
EXPORT_SYMBOL_GPL(solcompat_rw_destroy);
NOKPROBE_SYMBOL(solcompat_rw_destroy);

notrace void solcompat_rw_enter(solcompat_krwlock_t *rwlp, solcompat_krw_t how)
{
	uintptr_t old;

	if (how == SOLCOMPAT_RW_WRITER) {
		old = 0;
		if (likely(rw_cas(rwlp, &old, lock_self() | RW_WLOCKED)))
			return;
	} else {
		uintptr_t new;

		old = rw_load(rwlp);
		if (likely(!(old & (RW_WLOCKED | RW_WANTED))) &&
		    rw_add_reader(old, &new) && rw_cas(rwlp, &old, new))
			return;
	}
	rw_enter_slow(rwlp, how, __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(solcompat_rw_enter);
NOKPROBE_SYMBOL(solcompat_rw_enter);

notrace int solcompat_rw_tryenter(solcompat_krwlock_t *rwlp,
				  solcompat_krw_t how)
{
	uintptr_t old = rw_load(rwlp), new;
	bool pass_wanted = how == SOLCOMPAT_RW_READER_STARVEWRITER;

	if (how == SOLCOMPAT_RW_WRITER)
		return rw_is_free(old) &&
		       rw_cas(rwlp, &old,
			      lock_self() | RW_WLOCKED | (old & RW_WAITERS));
	while (rw_can_enter(old, false, pass_wanted))
		if (rw_add_reader(old, &new) && rw_cas(rwlp, &old, new))
			return 1;
	return 0;
}
EXPORT_SYMBOL_GPL(solcompat_rw_tryenter);
NOKPROBE_SYMBOL(solcompat_rw_tryenter);

/* Release a read hold from state old (any exit drops a hint like its own). */
static __always_inline void rw_exit_reader(solcompat_krwlock_t *rwlp,
					   uintptr_t old, const void *caller)
{
	uintptr_t new;

	do {
		if ((old & RW_WLOCKED) || !RW_READERS(old)) {
			solcompat_misuse(
				SOLCOMPAT_MISUSE_LOCK_NOT_OWNER, "rw_exit",
				(old & RW_WLOCKED)
					? "lock write-held by another owner: not released"
					: "lock is not held",
				caller);
			return;
		}
		if (RW_READERS(old) == 1) {
			new = 0;
		} else {
			new = old - RW_READ_ONE;
			if ((old & RW_HINT_MASK) &&
			    (old & RW_HINT_MASK) == rw_self_hint())
				new &= ~RW_HINT_MASK;
		}
	} while (!__atomic_compare_exchange_n(&rwlp->rw_word, &old, new, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	if (!new && (old & RW_WAITERS))
		solcompat_sq_wake(rwlp, SQ_WAKE_RW);
}

/*
 * rw_exit of a read hold while a refused writer owes its exit: the first
 * read exit to come pays it and leaves the count alone (rw_refuse_writer).
 * The count then never falls below the readers that hold the lock (it
 * may stand above them until the refused writer's own exit comes), so it
 * frees the lock only when the last of them leaves. A paid exit leaves the
 * hint alone: a debt is made by the hinted context or by code stacked on
 * it, so an exit of that context paying it is not its last read (a
 * refused writer's exit), and another context's exit does not match. The
 * release ordering passes this reader's critical section on to the exit
 * that sees the debt paid (its acquire load) and frees the lock.
 */
static noinline notrace void rw_exit_reader_owed(solcompat_krwlock_t *rwlp,
						 uintptr_t old,
						 const void *caller)
{
	u32 r = __atomic_load_n(&rwlp->rw_refused, __ATOMIC_ACQUIRE);

	while (r && !(old & RW_WLOCKED) && RW_READERS(old)) {
		if (!__atomic_compare_exchange_n(&rwlp->rw_refused, &r, r - 1,
						 false, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			continue;
		return;
	}
	rw_exit_reader(rwlp, old, caller);
}
NOKPROBE_SYMBOL(rw_exit_reader_owed);

notrace void solcompat_rw_exit(solcompat_krwlock_t *rwlp)
{
	uintptr_t old = rw_load(rwlp);

	if (old & RW_WLOCKED) {
		if ((old & LOCK_OWNER_MASK) != lock_self())
			goto not_owner;
		if (__atomic_load_n(&rwlp->rw_refused, __ATOMIC_RELAXED)) {
			/* The exit matching a refused recursive enter. */
			__atomic_sub_fetch(&rwlp->rw_refused, 1,
					   __ATOMIC_RELAXED);
			return;
		}
		old = __atomic_exchange_n(&rwlp->rw_word, 0, __ATOMIC_SEQ_CST);
		/* From here on rwlp is a key, never dereferenced. */
		if (old & RW_WAITERS)
			solcompat_sq_wake(rwlp, SQ_WAKE_RW);
		return;
	}
	/*
	 * A refused writer's debt: made by that writer before its own exit,
	 * so at the latest that exit sees it here.
	 */
	if (unlikely(__atomic_load_n(&rwlp->rw_refused, __ATOMIC_ACQUIRE)))
		rw_exit_reader_owed(rwlp, old, __builtin_return_address(0));
	else
		rw_exit_reader(rwlp, old, __builtin_return_address(0));
	return;

not_owner:
	solcompat_misuse(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER, "rw_exit",
			 "lock write-held by another owner: not released",
			 __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(solcompat_rw_exit);
NOKPROBE_SYMBOL(solcompat_rw_exit);

notrace void solcompat_rw_downgrade(solcompat_krwlock_t *rwlp)
{
	uintptr_t self = lock_self();
	uintptr_t old = rw_load(rwlp);
	u32 owed;

	if (!(old & RW_WLOCKED) || (old & LOCK_OWNER_MASK) != self) {
		solcompat_misuse(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER,
				 "rw_downgrade",
				 "caller does not write-hold the lock",
				 __builtin_return_address(0));
		return;
	}
	/*
	 * A refused recursive rw_enter's debt ends with the write hold: kept,
	 * it would absorb the write exit of the lock's next owner, or (once
	 * read-held) be paid by another reader's exit. Only the write owner
	 * changes the count while it holds the lock, so it is taken first.
	 */
	owed = __atomic_exchange_n(&rwlp->rw_refused, 0, __ATOMIC_RELAXED);
	/* Only the flags change under us (waiters, a writer wanting it). */
	while (!rw_cas(rwlp, &old,
		       RW_READ_ONE | rw_self_hint() |
			       (old & (RW_WAITERS | RW_WANTED))))
		;
	if (unlikely(owed)) {
		solcompat_misuse(
			SOLCOMPAT_MISUSE_LOCK_RECURSION, "rw_downgrade",
			"the lock was entered recursively (a refused rw_enter owes its rw_exit): that exit now finds a read hold or no hold",
			__builtin_return_address(0));
	}
	if (old & RW_WAITERS)
		solcompat_sq_wake(rwlp, SQ_WAKE_READERS);
}
EXPORT_SYMBOL_GPL(solcompat_rw_downgrade);
NOKPROBE_SYMBOL(solcompat_rw_downgrade);

notrace int solcompat_rw_tryupgrade(solcompat_krwlock_t *rwlp)
{
	uintptr_t old = rw_load(rwlp), self = lock_self();

	if ((old & (RW_WLOCKED | RW_WANTED)) || RW_READERS(old) != 1)
		return 0;
	/*
	 * A refused writer's exit is owed: the count may stand above the
	 * readers, and as writer the debt would absorb the write exit.
	 */
	if (__atomic_load_n(&rwlp->rw_refused, __ATOMIC_ACQUIRE))
		return 0;
	/* The hint, when known, is the sole reader. */
	if ((old & RW_HINT_MASK) && (old & RW_HINT_MASK) != rw_self_hint()) {
		solcompat_misuse(
			SOLCOMPAT_MISUSE_LOCK_NOT_OWNER, "rw_tryupgrade",
			"the lock's sole reader is not the caller: not upgraded",
			__builtin_return_address(0));
		return 0;
	}
	return rw_cas(rwlp, &old, self | RW_WLOCKED | (old & RW_WAITERS));
}
EXPORT_SYMBOL_GPL(solcompat_rw_tryupgrade);
NOKPROBE_SYMBOL(solcompat_rw_tryupgrade);

notrace int solcompat_rw_read_held(const solcompat_krwlock_t *rwlp)
{
	uintptr_t w = rw_load(rwlp);

	return !(w & RW_WLOCKED) && RW_READERS(w) != 0;
}
EXPORT_SYMBOL_GPL(solcompat_rw_read_held);
NOKPROBE_SYMBOL(solcompat_rw_read_held);

notrace int solcompat_rw_write_held(const solcompat_krwlock_t *rwlp)
{
	uintptr_t w = rw_load(rwlp);

	return (w & RW_WLOCKED) && (w & LOCK_OWNER_MASK) == lock_self();
}
EXPORT_SYMBOL_GPL(solcompat_rw_write_held);
NOKPROBE_SYMBOL(solcompat_rw_write_held);

notrace int solcompat_rw_lock_held(const solcompat_krwlock_t *rwlp)
{
	return solcompat_rw_read_held(rwlp) || solcompat_rw_write_held(rwlp);
}
EXPORT_SYMBOL_GPL(solcompat_rw_lock_held);
NOKPROBE_SYMBOL(solcompat_rw_lock_held);

notrace int solcompat_rw_read_locked(const solcompat_krwlock_t *rwlp)
{
	return solcompat_rw_read_held(rwlp);
}
EXPORT_SYMBOL_GPL(solcompat_rw_read_locked);
NOKPROBE_SYMBOL(solcompat_rw_read_locked);
