// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel mutexes (sys/mutex.h) on Linux: adaptive and spin, in any context.
 *
 * Big Theory Statement
 * --------------------
 * The 2011 port went through five mutex designs in five days (see
 * CONTRACTS.md section 2): a Linux mutex cannot be taken in an interrupt, a
 * semaphore suspends a nested interrupt, spinlocks and preempt_disable are
 * themselves probed, and a custom spinning mutex cannot be held across
 * kzalloc. This one is a single owner word of ours:
 *
 *   m_owner == 0                 free
 *   m_owner == identity | flags  held; identity is the owner (below),
 *                                bit 0 (M_WAITERS) says sleepers may be
 *                                queued on the mutex's address
 *
 * Identities (linux/sleepq.h): in task context the task_struct pointer; in
 * hardirq, NMI, softirq-on-interrupt and probe context a token for "this
 * CPU at this nesting level". The token is what makes recursion and
 * interruption decidable everywhere: an identity equal to the caller's is a
 * recursive enter; a task owner equal to `current` seen from an interrupt,
 * or a token of this CPU seen from any other level, is code this CPU
 * interrupted (or a handler that returned holding the lock). Neither can
 * release the mutex while we wait, so waiting would hang the CPU.
 *
 * Acquisition: one cmpxchg 0 -> identity, inline in solcompat_mutex_enter
 * for both types (a spin mutex masks interrupts first, inline
 * instructions), so the uncontended enter calls nothing and
 * needs no stack frame; the contended cases are tail calls (notrace and
 * NOKPROBE, like everything here: nothing a probe can land on). Contended,
 * by type and context:
 *   adaptive, caller may sleep   spin while the owner runs on a CPU (or is
 *                                interrupt-level code, which always runs);
 *                                if this CPU is wanted meanwhile
 *                                (need_resched), cond_resched() and spin
 *                                again (with voluntary preemption
 *                                preempt_enable() does not reschedule).
 *                                Owner off CPU: queue on the sleep queue,
 *                                set M_WAITERS with a cmpxchg on the
 *                                observed word, check that the word is
 *                                unchanged and the owner still off CPU
 *                                (else cancel and spin), and sleep; after
 *                                a wake, retry and acquire with M_WAITERS
 *                                set (others may still sleep; a spurious
 *                                wake costs little).
 *   adaptive, cannot sleep       spin (atomic, hardirq, NMI, probe context).
 *   spin                         mask interrupts, cmpxchg; on failure
 *                                unmask (if they were on) and spin with
 *                                the caller's interrupt state, so a
 *                                waiter does not mask interrupts.
 * "May sleep" is the SLEEP row of solcompat_mem_context(): task context,
 * preemption and interrupts on, no RCU reader (lock_may_sleep()).
 *
 * Release of an adaptive mutex. Fast path: one 32-bit load says the mutex is
 * adaptive and owes no refused exit (m_desc()); then, with preemption off, load
 * the word; if it is exactly our identity (no M_WAITERS), store 0 with release
 * semantics. No locked instruction: a release costs what a spinlock's does. The
 * window between the load and the store is why a waiter sleeps only on an owner
 * that is off CPU: a waiter that sets M_WAITERS inside the window finds the
 * owner running (preemption is off there, so it cannot be switched out
 * mid-window) and keeps spinning until the store; an owner that is off CPU is
 * not in the window, and sees M_WAITERS when it gets to its release. This is
 * illumos's argument for its plain-store mutex_exit, with preempt_disable
 * standing in for its restartable exit sequence (a module cannot change the
 * interrupt-return path). Slow path (M_WAITERS set): one xchg to 0, then wake
 * the oldest sleeper on the address. The address is only a hash key from then
 * on, so the mutex may be freed by whoever takes it next (CONTRACTS.md: free
 * right after the last mutex_exit). A spin mutex reads m_spl (were interrupts
 * on at the enter?) first, stores 0, then turns interrupts back on if they
 * were: m_spl is per mutex (illumos's m_oldspl), so nesting with spl and with
 * other spin mutexes restores exactly, provided holds are released in reverse
 * order, as on illumos.
 *
 * A spin mutex and the priority level. Outside hardirq and NMI context a
 * spin mutex masks interrupts and does not write spl's software level
 * (linux/spl.c): with interrupts off there, getpil() already reports
 * PIL_MAX, at or above any spin mutex's m_pil, and spl0() keeps them off
 * (it turns them on only when they were on where the level left 0); an
 * spl pair inside the hold saves and restores "level as found, interrupts
 * off". So every spl call sees what it would see had the enter raised the
 * level to m_pil, as on illumos, and the common enter and exit skip the
 * level's read, compare and write. In hardirq context getpil()'s floor is
 * 14, below a PIL_MAX mutex, so there (and in NMI context, for one test)
 * the enter raises the level with splr and the exit restores it with splx;
 * m_spl then holds the cookie, tagged.
 *
 * The safety re-check. "The owner is off CPU" is read from its on_cpu flag,
 * which the scheduler sets before switching to it. x86 may let the owner's
 * load of the word (its release window) pass its own earlier on_cpu = 1
 * store still in its store buffer, unless a fence came between; the
 * switch-in path usually has one but does not promise it. So a sleeper
 * sleeps at most mutex_recheck_ms (module parameter, default 100) and then
 * looks at the word again: the theoretical lost wake-up costs latency,
 * never a hang. A sleeper on a long hold wakes ten times a second for
 * nothing. The kernel model sets it to 0 (sleep until woken): its context
 * switch is fully ordered, and without the re-check its hung-task check
 * catches a wake-up the protocol really lost.
 *
 * Misuse (loud, counted, never a hang):
 *   recursive mutex_enter        LOCK_RECURSION; returns without acquiring
 *                                and m_refused++; the caller's matching
 *                                mutex_exit then only does m_refused--, so
 *                                the outer hold survives the inner pair.
 *   enter of a mutex held by     LOCK_INTERRUPTED; returns without
 *     interrupted code           acquiring. The caller's mutex_exit then
 *                                reports LOCK_NOT_OWNER and does nothing.
 *   mutex_exit by a non-owner    LOCK_NOT_OWNER; nothing changes.
 *   spinning over a second       CONTEXT (once per enter), keeps spinning:
 *     where sleeping is not      giving up would run the caller unlocked;
 *     allowed                    the owner sleeps with it held or is stuck.
 * mutex_tryenter by the owner returns 0 without a report (probe code uses
 * tryenter precisely to avoid waiting).
 *
 * Memory ordering: acquisition is an acquire cmpxchg, release a store
 * with release semantics or an xchg. M_WAITERS is set with a fully ordered
 * cmpxchg on the owner word, after the sleeper queued itself, and followed
 * by a full barrier before the sleeper reads the owner's on_cpu; the slow
 * release's xchg comes before the releaser locks the queue
 * (linux/sleepq.c). A release that misses M_WAITERS happened before the
 * sleeper's cmpxchg (which then fails on the changed word: the sleeper
 * retries instead of sleeping) or inside the window (the owner is seen on
 * CPU: the sleeper spins), up to the store-buffer case above.
 *
 * Contexts:
 *   function                         process atomic hardirq nmi probe
 *   mutex_enter (adaptive)           sleep   spin   spin    spin spin
 *   mutex_enter (spin)               spin    spin   spin    spin spin
 *   mutex_tryenter, mutex_exit       yes     yes    yes     yes yes
 *   mutex_owned, mutex_owner         yes     yes    yes     yes yes
 *   mutex_init, mutex_destroy        yes     yes    yes     yes yes
 * A wake needed by mutex_exit outside process context is deferred to this
 * CPU's irq_work (linux/sleepq.c): no scheduler call in probe or NMI
 * context.
 *
 * Designs rejected:
 *   - Linux struct mutex / rt_mutex underneath: cannot be taken in
 *     interrupt context, and its owner is a task only (no identity for an
 *     NMI or a probe, so no recursion detection there).
 *   - A Linux spinlock for spin mutexes: on PREEMPT_RT spinlock_t sleeps,
 *     and raw_spinlock functions are traceable (CONTRACTS.md 2.3).
 *   - A wait queue inside kmutex_t: the ABI would depend on the kernel's
 *     struct layout, zeroed memory would not be a valid mutex, and the
 *     release would touch the mutex after freeing it.
 *   - Returning "without the lock" silently, or spinning forever, on
 *     recursion: the first corrupts quietly, the second hangs the CPU.
 *
 * Not supported: priority inheritance (see linux/sleepq.c); detection of a
 * task owner that can only run on a CPU that an interrupt-context waiter is
 * spinning on (reported after a second, see above); out-of-order release of
 * nested spin mutexes (the first release restores the level saved by its
 * enter, as on illumos).
 */
#include <linux/build_bug.h>
#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/stddef.h>
#include <asm/processor-flags.h>

#include <impl/debug.h>
#include <impl/mutex.h>
#include <impl/spl.h>
#include "sleepq.h"

#define M_WAITERS 0x1UL
#define M_TYPE_ADAPTIVE 0
#define M_TYPE_SPIN 1

/* A sleeper's safety re-check of the owner word (see the theory). */
static unsigned int mutex_recheck_ms __read_mostly = 100;
module_param(mutex_recheck_ms, uint, 0644);
MODULE_PARM_DESC(mutex_recheck_ms,
		 "A task asleep on an adaptive mutex looks at it again after this many ms (default 100; 0: only when woken)");

static __always_inline uintptr_t m_load(const solcompat_kmutex_t *mp)
{
	return __atomic_load_n(&mp->m_owner, __ATOMIC_ACQUIRE);
}

/*
 * m_type, m_pil and m_refused read as one 32-bit word (x86 is
 * little-endian: m_type is the low byte, m_refused the high half). An
 * adaptive mutex has m_pil 0, so the word is M_DESC_ADAPTIVE exactly when
 * the mutex is adaptive and owes no refused exit: mutex_exit's fast path
 * tests all three with one load.
 */
#define M_DESC_ADAPTIVE 0U
#define M_DESC_TYPE_REFUSED 0xffff00ffU
static_assert(offsetof(solcompat_kmutex_t, m_type) % 4 == 0 &&
		      offsetof(solcompat_kmutex_t, m_pil) ==
			      offsetof(solcompat_kmutex_t, m_type) + 1 &&
		      offsetof(solcompat_kmutex_t, m_refused) ==
			      offsetof(solcompat_kmutex_t, m_type) + 2 &&
		      __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	      "m_desc() reads m_type, m_pil and m_refused as one word");

static __always_inline u32 m_desc(const solcompat_kmutex_t *mp)
{
	return __atomic_load_n((const u32 *)&mp->m_type, __ATOMIC_RELAXED);
}

static __always_inline bool m_cas(solcompat_kmutex_t *mp, uintptr_t *old,
				  uintptr_t new)
{
	return __atomic_compare_exchange_n(&mp->m_owner, old, new, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE);
}

/* Report a refused enter; a recursion is owed one mutex_exit. */
static notrace void m_refuse(solcompat_kmutex_t *mp, enum lock_verdict v,
			     const void *caller)
{
	if (v == LOCK_RECURSION) {
		if (__atomic_load_n(&mp->m_refused, __ATOMIC_RELAXED) != 0xffff)
			__atomic_add_fetch(&mp->m_refused, 1, __ATOMIC_RELAXED);
		solcompat_misuse(SOLCOMPAT_MISUSE_LOCK_RECURSION, "mutex_enter",
				 "recursive enter by the owner: refused, the owner keeps the mutex",
				 caller);
	} else {
		solcompat_misuse(SOLCOMPAT_MISUSE_LOCK_INTERRUPTED, "mutex_enter",
				 "held by code this CPU interrupted (or by a handler that returned holding it): refused",
				 caller);
	}
}
NOKPROBE_SYMBOL(m_refuse);

/* Adaptive, caller cannot sleep: spin. */
static noinline notrace void m_enter_spinning(solcompat_kmutex_t *mp,
					      uintptr_t self,
					      const void *caller)
{
	struct lock_spin spin = LOCK_SPIN_INIT;
	enum lock_verdict v;
	uintptr_t old;

	preempt_disable_notrace();	/* keeps lock_judge's CPU number true */
	for (;;) {
		old = 0;
		if (m_cas(mp, &old, self))
			break;
		if (!old)
			continue;
		v = lock_judge(old & LOCK_OWNER_MASK, self);
		if (v != LOCK_WAIT) {
			m_refuse(mp, v, caller);
			break;
		}
		/* Wait for a change of owner, then judge the new one. */
		while (m_load(mp) == old)
			lock_spin_relax(&spin, "mutex_enter", caller);
	}
	preempt_enable_notrace();
}
NOKPROBE_SYMBOL(m_enter_spinning);

/*
 * Is the mutex still held by owner, with M_WAITERS, and owner off CPU?
 * Then it cannot be inside its release (see the Big Theory Statement) and
 * will see M_WAITERS when it gets there. Preemption off: the owner's
 * task_struct stays valid while we look at it.
 */
static bool m_may_sleep_on(solcompat_kmutex_t *mp, uintptr_t old)
{
	bool ok;

	/* Order our M_WAITERS before the load of the owner's on_cpu. */
	smp_mb();
	preempt_disable();
	ok = m_load(mp) == old &&
	     !lock_owner_running(old & LOCK_OWNER_MASK);
	preempt_enable();
	return ok;
}

/* Adaptive, caller may sleep: spin while the owner runs, else sleep. */
static noinline void m_enter_sleeping(solcompat_kmutex_t *mp, uintptr_t self,
				      const void *caller)
{
	uintptr_t want = self, old, owner;
	struct lock_spin spin = LOCK_SPIN_INIT_WHY(LOCK_INTR_OWNER_WAIT);
	uintptr_t spun_on = 0;
	struct sq_timeout to = { .kind = SQ_JIFFIES };
	unsigned int recheck;
	struct sq_waiter w;
	enum lock_verdict v;

	for (;;) {
		/* Preemption off: the owner's task_struct stays valid. */
		preempt_disable();
		spin.last = 0; /* the time away was not spent spinning */
		for (;;) {
			old = 0;
			if (m_cas(mp, &old, want)) {
				preempt_enable();
				return;
			}
			if (!old) {
				spun_on = 0; /* released: a new wait */
				continue;
			}
			owner = old & LOCK_OWNER_MASK;
			v = lock_judge(owner, self);
			if (v != LOCK_WAIT) {
				preempt_enable();
				m_refuse(mp, v, caller);
				return;
			}
			if (!lock_owner_running(owner))
				break;
			/*
			 * The owner runs, so it may be inside its release,
			 * which would not see M_WAITERS: never sleep on it.
			 * If this CPU is wanted, give it up and come back:
			 * with voluntary preemption preempt_enable() does
			 * not reschedule.
			 */
			if (need_resched()) {
				preempt_enable();
				cond_resched();
				preempt_disable();
				spin.last = 0;
				continue;
			}
			/*
			 * Interrupt-level code always "runs": a handler that
			 * returned holding the mutex would keep us here for
			 * ever, so that wait is timed and reported like an
			 * atomic caller's.
			 */
			if (owner & LOCK_OWNER_INTR) {
				lock_spin_owner(&spin, &spun_on, owner,
						"mutex_enter", caller);
			} else {
				spun_on = 0;
				cpu_relax();
			}
		}
		preempt_enable();

		solcompat_sq_enqueue(&w, mp, SQ_KIND_WAITER, NULL);
		want = self | M_WAITERS;	/* others may sleep after us */
		old = m_load(mp);
		if (!old || (!(old & M_WAITERS) &&
			     !m_cas(mp, &old, old | M_WAITERS)) ||
		    !m_may_sleep_on(mp, old | M_WAITERS)) {
			/* Released, changed or running: retry awake. */
			solcompat_sq_cancel(&w);
			continue;
		}
		recheck = READ_ONCE(mutex_recheck_ms);
		to.jiffies = jiffies + max(msecs_to_jiffies(recheck), 1UL);
		solcompat_sq_sleep(&w, TASK_UNINTERRUPTIBLE,
				   recheck ? &to : NULL);
	}
}

/*
 * A spin mutex's interrupt state (see "A spin mutex and the priority
 * level" above). m_irqs_save masks interrupts and returns what m_spl
 * keeps: M_SPL_IRQS_ON if they were on; in hardirq or NMI context, where
 * the level is raised, the splr cookie with M_SPL_LEVEL. m_irqs_restore
 * puts it back. The holder's identity names its context, so the restore
 * runs where the save did: turning interrupts on again there restores what
 * was found, hardirq or not.
 */
#define M_SPL_IRQS_ON X86_EFLAGS_IF
#define M_SPL_LEVEL 0x40000000
static_assert(M_SPL_IRQS_ON < M_SPL_LEVEL, "m_spl's bits");

/* Is the caller in hardirq or NMI context, where the level is raised? */
static __always_inline bool m_spl_raises(void)
{
	return preempt_count() & HARDIRQ_MASK;
}

/* The save outside hardirq and NMI context (mutex_enter's fast path). */
static __always_inline int m_irqs_save_task(void)
{
	unsigned long flags;

	raw_local_irq_save(flags);
	return (int)(flags & M_SPL_IRQS_ON);
}

static __always_inline int m_irqs_save(const solcompat_kmutex_t *mp)
{
	if (unlikely(m_spl_raises()))
		return solcompat_splr(mp->m_pil) | M_SPL_LEVEL;
	return m_irqs_save_task();
}

static __always_inline void m_irqs_restore(int spl)
{
	if (likely(spl == M_SPL_IRQS_ON))
		raw_local_irq_enable();
	else if (unlikely(spl)) /* a cookie of hardirq or NMI context */
		solcompat_splx(spl & ~M_SPL_LEVEL);
}

/* Spin mutex: interrupts masked while held, not while waiting. */
static noinline notrace void m_enter_spin_type(solcompat_kmutex_t *mp,
					       uintptr_t self,
					       const void *caller)
{
	struct lock_spin spin = LOCK_SPIN_INIT;
	enum lock_verdict v;
	uintptr_t old;
	int spl;

	for (;;) {
		spl = m_irqs_save(mp);
		old = 0;
		if (m_cas(mp, &old, self)) {
			mp->m_spl = spl;
			return;
		}
		v = old ? lock_judge(old & LOCK_OWNER_MASK, self) : LOCK_WAIT;
		m_irqs_restore(spl);
		if (v != LOCK_WAIT) {
			m_refuse(mp, v, caller);
			return;
		}
		while (m_load(mp) == old && old)
			lock_spin_relax(&spin, "mutex_enter", caller);
	}
}
NOKPROBE_SYMBOL(m_enter_spin_type);

static noinline notrace void m_enter_spin_missed(solcompat_kmutex_t *mp,
						 uintptr_t self,
						 const void *caller, int spl)
{
	m_irqs_restore(spl);
	m_enter_spin_type(mp, self, caller);
}
NOKPROBE_SYMBOL(m_enter_spin_missed);

notrace void solcompat_mutex_init(solcompat_kmutex_t *mp, const char *name,
				  solcompat_kmutex_type_t type, void *ibc)
{
	uintptr_t pri = (uintptr_t)ibc;
	bool pri_spin = pri > SOLCOMPAT_LOCK_LEVEL && pri <= SOLCOMPAT_PIL_MAX;

	mp->m_owner = 0;
	mp->m_refused = 0;
	mp->m_spl = 0;
	if (type == SOLCOMPAT_MUTEX_SPIN || pri_spin) {
		mp->m_type = M_TYPE_SPIN;
		/* A spin mutex blocks at least the dispatcher level. */
		mp->m_pil = pri_spin ? pri : SOLCOMPAT_PIL_MAX;
	} else {
		mp->m_type = M_TYPE_ADAPTIVE;
		mp->m_pil = 0;
	}
}
EXPORT_SYMBOL_GPL(solcompat_mutex_init);
NOKPROBE_SYMBOL(solcompat_mutex_init);

/* A contended adaptive enter, out of line. */
static noinline notrace void m_enter_slow(solcompat_kmutex_t *mp,
					  uintptr_t self, const void *caller)
{
	if (lock_may_sleep())
		m_enter_sleeping(mp, self, caller);
	else
		m_enter_spinning(mp, self, caller);
}
NOKPROBE_SYMBOL(m_enter_slow);

notrace void solcompat_mutex_enter(solcompat_kmutex_t *mp)
{
	uintptr_t self = lock_self();
	uintptr_t old = 0;
	int spl;

	/*
	 * Nothing on the uncontended paths calls a function (the irqflag
	 * helpers are inline instructions), so the compiler needs no stack
	 * frame; a contended enter is a tail call.
	 */
	if (likely(mp->m_type == M_TYPE_ADAPTIVE)) {
		if (likely(m_cas(mp, &old, self)))
			return;
		m_enter_slow(mp, self, __builtin_return_address(0));
		return;
	}
	/* In hardirq or NMI context the level is raised: out of line. */
	if (unlikely(m_spl_raises())) {
		m_enter_spin_type(mp, self, __builtin_return_address(0));
		return;
	}
	spl = m_irqs_save_task();
	if (likely(m_cas(mp, &old, self))) {
		mp->m_spl = spl;
		return;
	}
	/* Unmask and wait in m_enter_spin_type. */
	m_enter_spin_missed(mp, self, __builtin_return_address(0), spl);
}
EXPORT_SYMBOL_GPL(solcompat_mutex_enter);
NOKPROBE_SYMBOL(solcompat_mutex_enter);

notrace int solcompat_mutex_tryenter(solcompat_kmutex_t *mp)
{
	uintptr_t self = lock_self();
	uintptr_t old = 0;
	int spl;

	if (mp->m_type != M_TYPE_SPIN)
		return m_cas(mp, &old, self);
	spl = m_irqs_save(mp);
	if (m_cas(mp, &old, self)) {
		mp->m_spl = spl;
		return 1;
	}
	m_irqs_restore(spl);
	return 0;
}
EXPORT_SYMBOL_GPL(solcompat_mutex_tryenter);
NOKPROBE_SYMBOL(solcompat_mutex_tryenter);

static noinline notrace void m_exit_slow(solcompat_kmutex_t *mp,
					 uintptr_t self, const void *caller)
{
	uintptr_t old = m_load(mp);
	int spl;

	if ((old & LOCK_OWNER_MASK) != self) {
		solcompat_misuse(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER, "mutex_exit",
				 old ? "mutex held by another owner: not released" :
				       "mutex is not held",
				 caller);
		return;
	}
	if (__atomic_load_n(&mp->m_refused, __ATOMIC_RELAXED)) {
		/* The exit matching a refused recursive enter. */
		__atomic_sub_fetch(&mp->m_refused, 1, __ATOMIC_RELAXED);
		return;
	}
	if (mp->m_type == M_TYPE_SPIN) {
		spl = mp->m_spl;
		__atomic_store_n(&mp->m_owner, 0, __ATOMIC_RELEASE);
		m_irqs_restore(spl);
		return;
	}
	old = __atomic_exchange_n(&mp->m_owner, 0, __ATOMIC_SEQ_CST);
	/* From here on mp is a key, never dereferenced. */
	if (old & M_WAITERS)
		solcompat_sq_wake(mp, SQ_WAKE_ONE);
}
NOKPROBE_SYMBOL(m_exit_slow);

notrace void solcompat_mutex_exit(solcompat_kmutex_t *mp)
{
	uintptr_t self = lock_self();
	u32 desc = m_desc(mp);
	int spl;

	/*
	 * Adaptive, held once by us, no waiters: a plain release store.
	 * Preemption stays off from the load to the store, so a waiter that
	 * sets M_WAITERS in between sees us on CPU and does not sleep.
	 */
	if (likely(desc == M_DESC_ADAPTIVE)) {
		preempt_disable_notrace();
		if (likely(m_load(mp) == self)) {
			__atomic_store_n(&mp->m_owner, 0, __ATOMIC_RELEASE);
			preempt_enable_notrace();
			return;
		}
		preempt_enable_notrace();
	} else if ((desc & M_DESC_TYPE_REFUSED) == M_TYPE_SPIN &&
		   m_load(mp) == self) {
		/* A spin mutex held once by us: store 0, unmask, no call. */
		spl = mp->m_spl;
		__atomic_store_n(&mp->m_owner, 0, __ATOMIC_RELEASE);
		m_irqs_restore(spl);
		return;
	}
	m_exit_slow(mp, self, __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(solcompat_mutex_exit);
NOKPROBE_SYMBOL(solcompat_mutex_exit);

notrace int solcompat_mutex_owned(const solcompat_kmutex_t *mp)
{
	uintptr_t owner = m_load(mp) & LOCK_OWNER_MASK;

	return owner && owner == lock_self();
}
EXPORT_SYMBOL_GPL(solcompat_mutex_owned);
NOKPROBE_SYMBOL(solcompat_mutex_owned);

notrace void *solcompat_mutex_owner(const solcompat_kmutex_t *mp)
{
	return (void *)(m_load(mp) & LOCK_OWNER_MASK);
}
EXPORT_SYMBOL_GPL(solcompat_mutex_owner);
NOKPROBE_SYMBOL(solcompat_mutex_owner);

notrace void solcompat_mutex_destroy(solcompat_kmutex_t *mp)
{
	uintptr_t self = lock_self();
	uintptr_t old = m_load(mp);
	uintptr_t owner = old & LOCK_OWNER_MASK;
	bool spin_held;
	int spl;

	if (owner && owner != self) {
		solcompat_misuse(SOLCOMPAT_MISUSE_LOCK_NOT_OWNER,
				 "mutex_destroy",
				 "mutex is held by another owner: left alone",
				 __builtin_return_address(0));
		return;
	}
	/*
	 * A spin mutex held by the caller: released before its interrupt
	 * state goes back, as in mutex_exit, or an interrupt in between
	 * would find it held by the code it interrupted.
	 */
	spin_held = owner && mp->m_type == M_TYPE_SPIN;
	spl = mp->m_spl;
	old = __atomic_exchange_n(&mp->m_owner, 0, __ATOMIC_SEQ_CST);
	if (spin_held)
		m_irqs_restore(spl);
	mp->m_type = M_TYPE_ADAPTIVE;
	mp->m_pil = 0;
	mp->m_refused = 0;
	mp->m_spl = 0;
	/* Sleepers of a destroyed mutex would sleep for ever. */
	if (old & M_WAITERS)
		solcompat_sq_wake(mp, SQ_WAKE_ALL);
}
EXPORT_SYMBOL_GPL(solcompat_mutex_destroy);
NOKPROBE_SYMBOL(solcompat_mutex_destroy);
