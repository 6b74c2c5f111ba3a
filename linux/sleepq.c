// SPDX-License-Identifier: GPL-2.0
/*
 * Sleep queues: where the lock families (mutexes, reader/writer locks,
 * condition variables, semaphores) put sleeping tasks, and how any context
 * wakes them.
 *
 * Big Theory Statement
 * --------------------
 * A lock that can be entered from any context and slept on in process
 * context needs two things Linux's wait queues do not give: the lock object
 * must not be touched after the last release (so it can be freed at once,
 * CONTRACTS.md "Locks"), and a release or a signal must be able to wake a
 * sleeper from hardirq, NMI and probe context, on PREEMPT_RT too, without
 * calling anything a probe may sit on (CONTRACTS.md 2.2, 2.3). illumos
 * solves the first with hashed sleep queues (sleepq.c, turnstile.c); this
 * file does the same and adds deferral for the second.
 *
 * Model:
 *   - A fixed table of SQ_BUCKETS buckets, each a FIFO of waiters and a
 *     lock. A waiter (struct sq_waiter) lives on the sleeping task's stack
 *     and records the key (the address of the object it waits on), the
 *     task, a kind (plain, rwlock reader, rwlock writer) and `picked`, set
 *     by the waker that takes it off the queue. Wakers use the key only to
 *     hash and compare: nothing here dereferences a lock, so a lock may be
 *     freed as soon as its release has published the free state. (One
 *     exception, SQ_WAKE_RW, sets the writer-wanted bit of an rwlock while
 *     the writer it wakes is still inside rw_enter, i.e. the lock is in
 *     use; see linux/rwlock.c.)
 *   - The bucket lock is an atomic word of ours taken with interrupts off
 *     (raw_local_irq_save plus an xchg spin): no Linux lock function (those
 *     are traceable), nothing that sleeps on PREEMPT_RT, and no hardirq can
 *     interrupt a holder on its CPU. NMI and probe code never take it.
 *   - A waker picks a waiter under the bucket lock: unlinks it, calls
 *     wake_up_process() and sets `picked`. The waiter reads `picked` and
 *     sets its task state only under the same lock, so a wake is never
 *     lost between the check and schedule(), and the waker is done with
 *     the waiter (and its task) before the waiter can see it was picked and
 *     return.
 *
 * Direct and deferred wakes. wake_up_process() takes the scheduler's locks
 * and is traceable. It is called directly only from task context with
 * preemption and interrupts on (solcompat_sq_may_wake_now). Then no
 * scheduler lock can be held on this CPU (they are all taken with
 * interrupts off) and no probe is running here (probes run with preemption
 * off). Everywhere else (atomic, hardirq, NMI,
 * probe, interrupts off) the wake is recorded in a per-CPU request and this
 * CPU's irq_work runs it: irq_work_queue is NMI-safe, not traceable on the
 * supported kernels, and with IRQ_WORK_HARD_IRQ the callback runs in hard
 * interrupt context on PREEMPT_RT too, where our raw bucket lock and
 * wake_up_process() are allowed.
 *
 * Per-CPU requests: a pool of BITS_PER_LONG slots claimed through a bitmap
 * word with cmpxchg (an NMI landing mid-claim retries: no ABA, a slot's
 * state is its own bit), filled, and pushed on a LIFO with cmpxchg. The
 * irq_work callback takes the whole LIFO with one xchg, runs the requests
 * oldest first and frees their slots. A push followed by irq_work_queue()
 * always gets a later run: the irq_work core clears PENDING before calling
 * the callback. If every slot is busy (BITS_PER_LONG wakes queued on one
 * CPU before its irq_work ran), the key's bucket is flagged in a per-CPU
 * bitmap and the callback wakes every waiter in it: spurious wakeups, which
 * every waiter of this layer tolerates (locks retry, cv_wait may return
 * spuriously as on illumos), but never a lost one.
 *
 * Probe-context tier: solcompat_sq_wake, solcompat_sq_wake_later and
 * solcompat_lock_spin_check are NOKPROBE and notrace, and call only
 * irq_work_queue (notrace, NMI-safe), ktime_get_mono_fast_ns,
 * solcompat_spin_report_ms (a load, in the tier), solcompat_misuse and
 * solcompat_xc_serve_spinning (which runs cross-call functions only in
 * hardirq context outside probe context: linux/xcall.c).
 * solcompat_sq_wake_now, the sleeping functions and the
 * irq_work callback are outside the tier: they run only in process context
 * or in the irq_work interrupt, and the tier reaches wake_now only when
 * solcompat_sq_may_wake_now() holds, which probe context never does
 * (irq_work_queue and solcompat_sq_wake_now are in
 * tools/tiercheck/probe-tier.allow with these reasons). A probe on
 * wake_up_process, fired inside the irq_work callback or a direct wake,
 * runs with interrupts off and so defers its own wakes.
 *
 * Memory ordering: the bucket lock is an acquire (xchg) / release (store)
 * pair; everything a waiter or waker reads about the queue is read under
 * it. Callers order their own lock words against the queue: a sleeper
 * enqueues first and only then publishes "waiters present" in the lock word
 * with a fully ordered RMW, and a releaser reads that flag with a fully
 * ordered RMW before waking, so the releaser's bucket lock sees the waiter.
 *
 * Contexts:
 *   function                       process atomic hardirq nmi probe
 *   enqueue, sleep, cancel         yes     no     no      no  no
 *   wake (direct or deferred)      yes     yes    yes     yes yes
 *   wake_now                       yes     no     (1)     no  no
 *   wake_later                     yes     yes    yes     yes yes
 *   (1) only as this file's irq_work callback, in hard interrupt context
 *       entered for it, never nested in other code.
 *
 * Designs rejected:
 *   - wait_var_event/wake_up_var (the kernel's hashed wait queues): their
 *     wait_queue_head lock is a spinlock_t, a sleeping lock on PREEMPT_RT,
 *     so hardirq wakers would be illegal there; and wake_up_var wakes every
 *     waiter of the key, where cv_signal must wake exactly one.
 *   - swait queues per bucket: swake_up_one wakes the first waiter whatever
 *     its key, losing the wake when keys collide.
 *   - A wait queue inside each lock: the release would touch the lock after
 *     publishing it free (use after free when the owner frees it).
 *   - Waking directly from atomic/hardirq context: safe in a real interrupt
 *     handler, but a probe in the scheduler (interrupts off, runqueue lock
 *     held) looks the same and would deadlock in try_to_wake_up.
 *
 * Not supported: priority inheritance (illumos turnstiles). A high-priority
 * sleeper waits for a preempted low-priority owner like on a Linux
 * semaphore; on PREEMPT_RT this is priority inversion for RT tasks.
 */
#include <linux/compiler.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>

#include <impl/debug.h>
#include "sleepq.h"
#include "solcompat_init.h"

#define SQ_HASH_BITS 8
#define SQ_BUCKETS (1U << SQ_HASH_BITS)
#define SQ_REQUESTS BITS_PER_LONG

struct sq_bucket {
	int lock;
	struct sq_waiter *head, *tail;
} ____cacheline_aligned_in_smp;

static struct sq_bucket sq_table[SQ_BUCKETS];

struct sq_request {
	struct sq_request *next;
	const void *key;
	enum sq_op op;
};

struct sq_cpu {
	unsigned long busy;		/* claimed slots of requests[] */
	struct sq_request *pending;	/* LIFO of filled requests */
	unsigned long overflow[SQ_BUCKETS / BITS_PER_LONG];
	struct irq_work work;
	struct sq_request requests[SQ_REQUESTS];
};

static void sq_deferred_run(struct irq_work *work);

/*
 * Set up at load: the module loader does not relocate pointers in the
 * initial values of a module's per-CPU data.
 */
static DEFINE_PER_CPU(struct sq_cpu, sq_cpus);

static __always_inline unsigned int sq_hash(const void *key)
{
	/* Fibonacci hashing: objects are often 64-byte aligned. */
	return (unsigned int)(((u64)(uintptr_t)key * 0x9e3779b97f4a7c15ULL) >>
			      (64 - SQ_HASH_BITS));
}

static __always_inline struct sq_bucket *sq_bucket_of(const void *key)
{
	return &sq_table[sq_hash(key)];
}

static __always_inline unsigned long sq_lock(struct sq_bucket *b)
{
	unsigned long flags;

	raw_local_irq_save(flags);
	while (__atomic_exchange_n(&b->lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&b->lock, __ATOMIC_RELAXED))
			cpu_relax();
	return flags;
}

static __always_inline void sq_unlock(struct sq_bucket *b, unsigned long flags)
{
	__atomic_store_n(&b->lock, 0, __ATOMIC_RELEASE);
	raw_local_irq_restore(flags);
}

static __always_inline void sq_link(struct sq_bucket *b, struct sq_waiter *w)
{
	w->next = NULL;
	w->prev = b->tail;
	if (b->tail)
		b->tail->next = w;
	else
		b->head = w;
	b->tail = w;
}

static __always_inline void sq_unlink(struct sq_bucket *b, struct sq_waiter *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		b->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		b->tail = w->prev;
	w->next = w->prev = NULL;
}

/* Take w off the queue and wake its task; the last access to w. */
static void sq_pick(struct sq_bucket *b, struct sq_waiter *w,
		    unsigned short how)
{
	sq_unlink(b, w);
	wake_up_process(w->task);
	WRITE_ONCE(w->picked, how);
}

/* Run op on key; bucket locked. Returns the waiters left on key. */
static u32 sq_wake_locked(struct sq_bucket *b, const void *key,
			  enum sq_op op)
{
	struct sq_waiter *w, *next, *first = NULL;
	unsigned short readers_how = SQ_PICKED_ALL;
	bool wake_readers = false;
	u32 left = 0;

	for (w = b->head; w; w = w->next) {
		if (w->key == key) {
			first = w;
			break;
		}
	}
	if (!first)
		return 0;

	switch (op) {
	case SQ_WAKE_ONE:
		sq_pick(b, first, SQ_PICKED_ONE);
		break;
	case SQ_WAKE_ALL:
		for (w = first; w; w = next) {
			next = w->next;
			if (w->key == key)
				sq_pick(b, w, SQ_PICKED_ALL);
		}
		break;
	case SQ_WAKE_RW:
		if (first->kind == SQ_KIND_WRITER) {
			__atomic_fetch_or((uintptr_t *)key, SQ_RW_WANTED,
					  __ATOMIC_SEQ_CST);
			sq_pick(b, first, SQ_PICKED_ONE);
			break;
		}
		fallthrough;
	case SQ_WAKE_READERS:
		/* Tell the readers whether writers stay queued behind them. */
		for (w = first; w; w = w->next)
			if (w->key == key && w->kind == SQ_KIND_WRITER)
				readers_how |= SQ_PICKED_WRITERS;
		wake_readers = true;
		break;
	}
	if (wake_readers) {
		for (w = first; w; w = next) {
			next = w->next;
			if (w->key == key && w->kind == SQ_KIND_READER)
				sq_pick(b, w, readers_how);
		}
	}
	for (w = b->head; w; w = w->next)
		if (w->key == key)
			left++;
	return left;
}

void solcompat_sq_enqueue(struct sq_waiter *w, const void *key,
			  unsigned int kind, u32 *count)
{
	struct sq_bucket *b = sq_bucket_of(key);
	unsigned long flags;

	w->key = key;
	w->task = current;
	w->kind = kind;
	w->picked = 0;
	flags = sq_lock(b);
	sq_link(b, w);
	/* Saturating: a hint that wrapped to 0 would hide queued waiters. */
	if (count && __atomic_load_n(count, __ATOMIC_RELAXED) != U32_MAX)
		__atomic_add_fetch(count, 1, __ATOMIC_SEQ_CST);
	sq_unlock(b, flags);
}

unsigned int solcompat_sq_cancel(struct sq_waiter *w)
{
	struct sq_bucket *b = sq_bucket_of(w->key);
	unsigned long flags;
	unsigned int picked;

	flags = sq_lock(b);
	picked = w->picked;
	if (!picked)
		sq_unlink(b, w);
	sq_unlock(b, flags);
	__set_current_state(TASK_RUNNING);
	return picked;
}

/*
 * Sleep until woken or the timeout; false if the timeout has already
 * passed. The task state is set.
 */
static bool sq_schedule(const struct sq_timeout *to)
{
	ktime_t expires;
	long left;

	switch (to ? to->kind : SQ_NO_TIMEOUT) {
	case SQ_JIFFIES:
		/* schedule_timeout() dumps the stack for a negative value. */
		left = (long)(to->jiffies - jiffies);
		if (left <= 0)
			return false;
		schedule_timeout(left);
		return true;
	case SQ_KTIME:
		if (ktime_compare(ktime_get(), to->expires) >= 0)
			return false;
		expires = to->expires;
		schedule_hrtimeout_range(&expires, to->slack_ns,
					 HRTIMER_MODE_ABS);
		return true;
	default:
		schedule();
		return true;
	}
}

int solcompat_sq_sleep(struct sq_waiter *w, unsigned int state,
		       const struct sq_timeout *to)
{
	struct sq_bucket *b = sq_bucket_of(w->key);
	unsigned long flags;
	unsigned int picked;

	for (;;) {
		flags = sq_lock(b);
		picked = w->picked;
		if (!picked)
			set_current_state(state);
		sq_unlock(b, flags);
		if (picked)
			break;
		/* A wake from now on finds us asleep or makes us runnable. */
		if ((state & TASK_INTERRUPTIBLE) && signal_pending(current)) {
			picked = solcompat_sq_cancel(w);
			return picked ? (int)picked : SQ_SIGNALLED;
		}
		if (!sq_schedule(to)) {
			picked = solcompat_sq_cancel(w);
			return picked ? (int)picked : SQ_TIMEDOUT;
		}
	}
	__set_current_state(TASK_RUNNING);
	return (int)picked;
}

void solcompat_sq_wake_now(const void *key, enum sq_op op, u32 *count)
{
	struct sq_bucket *b = sq_bucket_of(key);
	unsigned long flags;
	u32 left;

	flags = sq_lock(b);
	left = sq_wake_locked(b, key, op);
	if (count)
		__atomic_store_n(count, left, __ATOMIC_SEQ_CST);
	sq_unlock(b, flags);
}

notrace void solcompat_sq_wake_later(const void *key, enum sq_op op)
{
	struct sq_cpu *c;
	struct sq_request *r, *head;
	unsigned long flags, busy;
	unsigned int slot;

	/* Interrupts off: this CPU's pool stays ours; only an NMI may nest. */
	raw_local_irq_save(flags);
	c = this_cpu_ptr(&sq_cpus);
	busy = __atomic_load_n(&c->busy, __ATOMIC_RELAXED);
	do {
		if (busy == ~0UL) {
			unsigned int bucket = sq_hash(key);

			__atomic_fetch_or(&c->overflow[bucket / BITS_PER_LONG],
					  1UL << (bucket % BITS_PER_LONG),
					  __ATOMIC_SEQ_CST);
			goto raise;
		}
		slot = __builtin_ctzl(~busy);
	} while (!__atomic_compare_exchange_n(&c->busy, &busy,
					      busy | (1UL << slot), false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	r = &c->requests[slot];
	r->key = key;
	r->op = op;
	head = __atomic_load_n(&c->pending, __ATOMIC_RELAXED);
	do {
		r->next = head;
	} while (!__atomic_compare_exchange_n(&c->pending, &head, r, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
raise:
	irq_work_queue(&c->work);
	raw_local_irq_restore(flags);
}
NOKPROBE_SYMBOL(solcompat_sq_wake_later);

notrace void solcompat_sq_wake(const void *key, enum sq_op op)
{
	if (solcompat_sq_may_wake_now())
		solcompat_sq_wake_now(key, op, NULL);
	else
		solcompat_sq_wake_later(key, op);
}
NOKPROBE_SYMBOL(solcompat_sq_wake);

/* irq_work callback: hard interrupt context, on the CPU that queued. */
static void sq_deferred_run(struct irq_work *work)
{
	struct sq_cpu *c = container_of(work, struct sq_cpu, work);
	struct sq_request *r, *next, *oldest = NULL;
	unsigned int i, bit;

	r = __atomic_exchange_n(&c->pending, NULL, __ATOMIC_SEQ_CST);
	for (; r; r = next) {	/* reverse: run in the order queued */
		next = r->next;
		r->next = oldest;
		oldest = r;
	}
	for (r = oldest; r; r = next) {
		const void *key = r->key;
		enum sq_op op = r->op;
		unsigned int slot = r - c->requests;

		next = r->next;
		__atomic_fetch_and(&c->busy, ~(1UL << slot), __ATOMIC_SEQ_CST);
		solcompat_sq_wake_now(key, op, NULL);
	}
	for (i = 0; i < ARRAY_SIZE(c->overflow); i++) {
		unsigned long bits;

		if (!__atomic_load_n(&c->overflow[i], __ATOMIC_RELAXED))
			continue;
		bits = __atomic_exchange_n(&c->overflow[i], 0,
					   __ATOMIC_SEQ_CST);
		for (; bits; bits &= bits - 1) {
			struct sq_bucket *b;
			struct sq_waiter *w;
			unsigned long flags;

			bit = __builtin_ctzl(bits);
			b = &sq_table[i * BITS_PER_LONG + bit];
			flags = sq_lock(b);
			while ((w = b->head))
				sq_pick(b, w, SQ_PICKED_ALL);
			sq_unlock(b, flags);
		}
	}
}

notrace void solcompat_lock_spin_check(struct lock_spin *spin, const char *api,
				       const void *caller)
{
	u64 now, gap;
	unsigned int limit_ms = solcompat_spin_report_ms();

	/*
	 * A hard interrupt's spin takes the cross-calls it would block; the
	 * time their functions took is not time spun.
	 */
	if (solcompat_xc_serve_spinning()) {
		spin->last = ktime_get_mono_fast_ns();
		return;
	}
	now = ktime_get_mono_fast_ns();
	gap = now - spin->last;
	if (!spin->last || now < spin->last) {
		spin->last = now;
		return;
	}
	spin->last = now;
	if (gap <= LOCK_SPIN_GAP_NS)
		spin->spun += gap;
	if (!spin->reported && limit_ms &&
	    spin->spun > (u64)limit_ms * NSEC_PER_MSEC) {
		spin->reported = true;
		const char *why = spin->why;

		if (!why)
			why = "spun longer than spin_report_ms where sleeping is not allowed: the owner holds the lock across a sleep, or is stuck";
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, api, why, caller);
	}
}
NOKPROBE_SYMBOL(solcompat_lock_spin_check);

int solcompat_sleepq_init(void)
{
	/* HARD: runs in hardirq on PREEMPT_RT too (see above). */
	const struct irq_work hard = IRQ_WORK_INIT_HARD(sq_deferred_run);
	int cpu;

	for_each_possible_cpu(cpu)
		per_cpu_ptr(&sq_cpus, cpu)->work = hard;
	return 0;
}

/* No deferred wake may run after the module text is gone. */
void solcompat_sleepq_fini(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		irq_work_sync(&per_cpu_ptr(&sq_cpus, cpu)->work);
}
