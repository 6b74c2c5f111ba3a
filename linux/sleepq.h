/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the lock families (mutex.c, rwlock.c, condvar.c, sema.c) share,
 * private to solcompat.ko: owner identities and the verdicts drawn from
 * them, the predicate their Context: lines are enforced with, bounded-spin
 * reporting, and the hashed sleep queues with deferred wakeups. The design
 * is in the Big Theory Statement of linux/sleepq.c.
 */
#ifndef _SOLCOMPAT_LINUX_SLEEPQ_H
#define _SOLCOMPAT_LINUX_SLEEPQ_H

#include <linux/compiler.h>
#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/types.h>

#include "solcompat_init.h"

/*
 * Owner identities. A lock word holds the owner's identity with the low
 * three bits free for the family's flags:
 *   - task level (no hardirq, NMI, softirq-on-interrupt or probe frame on
 *     this CPU): the task_struct pointer, at least 16-byte aligned;
 *   - anything else: a token for "this CPU at this nesting level", tagged
 *     with bit 3 (never set in a task pointer): the CPU number + 1 in bits
 *     32..63 and the level in bits 4..23. The level grows with every frame
 *     nested on the CPU (softirq < hardirq < NMI from preempt_count, plus
 *     the probe depth of solcompat_probe_enter), so code always has a higher
 *     level than the code it interrupted.
 */
#define LOCK_FLAG_MASK 0x7UL
#define LOCK_OWNER_INTR 0x8UL
#define LOCK_OWNER_MASK (~LOCK_FLAG_MASK)

static __always_inline uintptr_t lock_token_cpu(uintptr_t token)
{
	return (token >> 32) - 1;
}

/* This context's identity. Any context. */
static __always_inline uintptr_t lock_self(void)
{
	unsigned long pc = preempt_count();
	unsigned long ctx, level;
	int probes;

	/* Fully preemptible: plain task context, and no probe
	 * (solcompat_probe_enter holds preemption off in its bracket). */
	if (likely(!pc))
		return (uintptr_t)current;
	ctx = pc & SOLCOMPAT_CTX_BITS;
	probes = solcompat_probe_depth_ctx(ctx);
	/* Task level, preemption off, outside probe context. */
	if (likely(!ctx && !probes))
		return (uintptr_t)current;
	level = (ctx >> SOFTIRQ_SHIFT) << 4;
	level |= probes > 15 ? 15 : probes;
	return ((uintptr_t)(raw_smp_processor_id() + 1) << 32) | (level << 4) |
	       LOCK_OWNER_INTR;
}

enum lock_verdict {
	LOCK_WAIT,		/* held by someone who will release it */
	LOCK_RECURSION,		/* held by this very identity */
	LOCK_INTERRUPTED,	/* held by code this CPU interrupted (or by a
				   handler of this CPU that returned holding it) */
};

/*
 * Can a caller with identity self ever get a lock held by owner (flag bits
 * masked off)? Call with preemption or interrupts off, so that the CPU
 * number is stable. Any context.
 */
static __always_inline enum lock_verdict lock_judge(uintptr_t owner,
						    uintptr_t self)
{
	if (owner == self)
		return LOCK_RECURSION;
	if (!(owner & LOCK_OWNER_INTR))
		/* A task: deadlock only if we are on top of it, here. */
		return (self & LOCK_OWNER_INTR) && owner == (uintptr_t)current ?
			       LOCK_INTERRUPTED :
			       LOCK_WAIT;
	/*
	 * Interrupt-level code of this CPU is not running while we are: it
	 * is below us, or returned with the lock held. Either way it never
	 * releases it while we spin.
	 */
	return lock_token_cpu(owner) == raw_smp_processor_id() ?
		       LOCK_INTERRUPTED :
		       LOCK_WAIT;
}

/*
 * Is the owner making progress on a CPU right now? Interrupt-level owners
 * always are. For a task, its on_cpu flag; the task_struct cannot be freed
 * under us because the caller has preemption off (an RCU read-side section;
 * task_structs are freed after a grace period). The adaptive mutex sleeps
 * only on an owner this says is off CPU, which its plain-store release
 * relies on (linux/mutex.c); the other families use it as a hint.
 */
static __always_inline bool lock_owner_running(uintptr_t owner)
{
	if (owner & LOCK_OWNER_INTR)
		return true;
	return READ_ONCE(((struct task_struct *)owner)->on_cpu) != 0;
}

/*
 * May the caller sleep? Task context with preemption and interrupts on,
 * outside any RCU read-side section (PREEMPT_RT's spinlock_t sections are
 * RCU readers too). The same test as the SLEEP row of
 * solcompat_mem_context(). Any context.
 */
static __always_inline bool lock_may_sleep(void)
{
	return !preempt_count() && in_task() && !raw_irqs_disabled() &&
	       !rcu_preempt_depth();
}

/*
 * Bounded-spin reporting: a caller that cannot sleep spins on a lock until
 * it is free, however long that takes (giving up would run the caller's
 * critical section unprotected). After spin_report_ms of spinning (module
 * parameter, default a second) it reports once
 * (SOLCOMPAT_MISUSE_CONTEXT), naming the lock API and the caller: the owner
 * is holding the lock across a sleep or is itself stuck.
 *
 * What counts is time spent spinning. The clock is read every 16 relaxes
 * and a gap between two reads longer than LOCK_SPIN_GAP_NS is not added:
 * this CPU was not running then (a hypervisor or the emulator stopped the
 * machine, or the host descheduled a model CPU's thread), and an owner
 * stopped with it could not have released. Counting such a gap once
 * reported a 1.9 s stall of a QEMU guest as a misuse. Why 16 and 250 ms:
 * 16 relaxes take well under a microsecond of spinning on hardware (a
 * clock read there costs about as much as a relax, so one read in 16 adds
 * a few percent to a loop that only waits), but on single-threaded TCG
 * every pause hands the host thread to the other vCPUs until their next
 * exit, a timer tick (4 ms) away when they are busy, so 16 relaxes there
 * take up to 16 x 3 ticks on 4 vCPUs, about 200 ms, which must still count.
 */
#define LOCK_SPIN_GAP_NS (250 * NSEC_PER_MSEC)
#define LOCK_SPIN_CHECK_MASK 0xf	/* read the clock every 16 relaxes */

struct lock_spin {
	u64 last;	/* the previous clock read, 0 before the first */
	u64 spun;	/* ns spent spinning, gaps left out */
	unsigned int count;
	bool reported;
	/* The report's text; NULL: a lock's. */
	const char *why;
};

/* A wait that is not for a lock, with its own report text. */
#define LOCK_SPIN_INIT_WHY(text)                                               \
	{                                                                      \
		.why = (text)                                                  \
	}
#define LOCK_SPIN_INIT LOCK_SPIN_INIT_WHY(NULL)
/* A caller that may sleep, spinning on an owner at interrupt level. */
#define LOCK_INTR_OWNER_WAIT                                                   \
	"waited longer than spin_report_ms for a lock held at interrupt "      \
	"level: a handler returned holding it, or is stuck"

void solcompat_lock_spin_check(struct lock_spin *spin, const char *api,
			       const void *caller);

/*
 * Wait for owner, as lock_spin_relax; a new owner starts the count again
 * (the caller sets *seen to 0 whenever it sees the lock free or held by
 * someone it does not time), and a caller that left the loop (slept,
 * rescheduled) sets spin->last to 0 to leave the time away out. For
 * callers that may sleep and spin only while the owner runs.
 */
static __always_inline void lock_spin_relax(struct lock_spin *spin,
					    const char *api, const void *caller)
{
	cpu_relax();
	if (unlikely(!(++spin->count & LOCK_SPIN_CHECK_MASK)))
		solcompat_lock_spin_check(spin, api, caller);
}

static __always_inline void lock_spin_owner(struct lock_spin *spin,
					    uintptr_t *seen, uintptr_t owner,
					    const char *api, const void *caller)
{
	if (owner != *seen) {
		*seen = owner;
		spin->spun = 0;
		spin->last = 0;
	}
	lock_spin_relax(spin, api, caller);
}

/*
 * Sleep queues: waiters hashed by the address of the object they wait on.
 * A waiter lives on its own stack; nothing in them points into the object,
 * and wakers use the address only as a key.
 */
enum sq_kind {
	SQ_KIND_WAITER = 0,	/* mutex, semaphore or condition variable */
	SQ_KIND_READER = 1,	/* rwlock reader */
	SQ_KIND_WRITER = 2,	/* rwlock writer */
};

/* What a waker did to a waiter (sq_waiter.picked); 0: not picked. */
#define SQ_PICKED_ONE 0x1	/* woken by a wake-one (cv_signal ...) */
#define SQ_PICKED_ALL 0x2	/* woken by a wake-all (cv_broadcast ...) */
#define SQ_PICKED_WRITERS 0x4	/* rwlock reader: writers still queued */

struct sq_waiter {
	struct sq_waiter *next, *prev;
	const void *key;
	struct task_struct *task;
	unsigned short kind;
	unsigned short picked;	/* written by wakers under the bucket lock */
};

enum sq_op {
	SQ_WAKE_ONE,		/* the oldest waiter on the key */
	SQ_WAKE_ALL,		/* every waiter on the key */
	SQ_WAKE_RW,		/* rwlock release: the oldest waiter if it is a
				   writer (setting SQ_RW_WANTED in the lock word
				   at the key first), else every reader */
	SQ_WAKE_READERS,	/* rwlock downgrade: every reader */
};

/*
 * The writer-wanted bit of an rwlock word (linux/rwlock.c), which is at the
 * key of SQ_WAKE_RW. Setting it there when a writer is woken keeps new
 * readers from slipping in before that writer runs; the lock cannot be gone
 * then, since the woken writer is still inside rw_enter.
 */
#define SQ_RW_WANTED 0x2UL

/* Timed sleeps: none, an absolute jiffies deadline, or an absolute
 * CLOCK_MONOTONIC deadline (with slack for the hrtimer). */
struct sq_timeout {
	enum { SQ_NO_TIMEOUT, SQ_JIFFIES, SQ_KTIME } kind;
	unsigned long jiffies;
	ktime_t expires;
	u64 slack_ns;
};

/* What solcompat_sq_sleep() ended with; positive: the SQ_PICKED_* bits. */
#define SQ_SIGNALLED (-2)
#define SQ_TIMEDOUT (-1)

/*
 * Queue the caller on key (FIFO). If count is not NULL, *count is
 * incremented under the queue's lock (the condition variables' waiter
 * hint). Process context.
 */
void solcompat_sq_enqueue(struct sq_waiter *w, const void *key,
			  unsigned int kind, u32 *count);

/*
 * Sleep in state (TASK_UNINTERRUPTIBLE or TASK_INTERRUPTIBLE) until a
 * waker picks w, a signal arrives (interruptible only) or the timeout
 * passes (to may be NULL). Returns the picked bits, SQ_SIGNALLED or
 * SQ_TIMEDOUT; w is off the queue whatever the result. Process context.
 */
int solcompat_sq_sleep(struct sq_waiter *w, unsigned int state,
		       const struct sq_timeout *to);

/*
 * Take w off its queue unless a waker picked it already. Returns the picked
 * bits (0: it was still queued and is now removed). Process context.
 */
unsigned int solcompat_sq_cancel(struct sq_waiter *w);

/*
 * Wake waiters on key: directly if the caller may (task context with
 * preemption and interrupts on: nothing the scheduler holds can be held
 * here), else deferred to this CPU's irq_work. Any context.
 */
void solcompat_sq_wake(const void *key, enum sq_op op);

/* Is a direct wake allowed here? Any context. */
static __always_inline bool solcompat_sq_may_wake_now(void)
{
	return !preempt_count() && !raw_irqs_disabled();
}

/*
 * Wake now (the caller checked solcompat_sq_may_wake_now()). If count is
 * not NULL, *count is set under the queue's lock to the number of waiters
 * left on key. Process context.
 */
void solcompat_sq_wake_now(const void *key, enum sq_op op, u32 *count);

/* Queue a wake for this CPU's irq_work. Any context. */
void solcompat_sq_wake_later(const void *key, enum sq_op op);

#endif /* _SOLCOMPAT_LINUX_SLEEPQ_H */
