// SPDX-License-Identifier: GPL-2.0
/*
 * Cross-calls (xc_call, dtrace_xcall) and dtrace_sync on Linux.
 *
 * Big Theory Statement
 * --------------------
 * The 2011 port deadlocked when two CPUs cross-called each other with
 * interrupts disabled: each sat in smp_call_function waiting for the other,
 * and neither could take the IPI that would have run the other's request.
 * The cure is that a waiting CPU keeps serving the requests addressed to it.
 * Linux's own queue cannot be drained by a waiter (its flush function is not
 * exported), so each CPU has a mailbox of ours, and the IPI only says "look
 * in your mailbox".
 *
 * Data:
 *   request   on the caller's stack: func, its three arguments, and
 *             `remaining`, the number of target CPUs still to run it.
 *   mailbox   per target CPU: a slot per (source CPU, nesting depth) holding
 *             a request pointer. A source owns its slots: it is the only
 *             writer of a non-NULL value; the target takes the value with
 *             xchg(slot, NULL), so a request runs exactly once per target
 *             even when the IPI handler and the target's own wait loop race
 *             for it.
 *   csd       per (source, target): the call_single_data sent with
 *             smp_call_function_single_async(), which Linux allows with
 *             interrupts off. Its function drains the target's mailbox.
 *             If the csd is still in flight (-EBUSY), it has not started yet
 *             (Linux unlocks an async csd before calling its function), so
 *             it will see the new slot: nothing is lost, provided a full
 *             barrier separates the slot store from the send on the
 *             source and the unlock from the drain on the target (a
 *             store-load pair on each side; without them both loads may
 *             miss the other's store, and the request was once left in
 *             an idle CPU's mailbox in the model).
 *   depth     per CPU: how many cross-calls this CPU is inside (a request's
 *             function may itself cross-call, from inside a wait loop).
 *             A source at depth d uses slots [source][d], so nested calls
 *             never overwrite an outstanding request.
 *
 * Algorithm (solcompat_xcall):
 *   1. interrupts off (saved), depth++; refused past SOLCOMPAT_XC_DEPTH.
 *   2. remaining = number of other targets; publish the request in each
 *      target's slot (release), send each an async IPI.
 *   3. run func here if the caller is a target.
 *   4. while remaining != 0: drain our own mailbox, cpu_relax(). A target
 *      decrements remaining after func returned and never touches the
 *      request again, so the stack frame may go away at once.
 *   5. depth--, interrupts restored.
 * Every CPU that waits drains, so any set of CPUs cross-calling each other
 * completes: each request is either run by the IPI or by its target's wait
 * loop, and a CPU that is neither waiting nor masked takes the IPI. A hard
 * interrupt handler spinning on a lock drains too, every 16 spins
 * (solcompat_xc_serve_spinning): the lock's holder may be the code another
 * CPU's cross-calling interrupt handler interrupted, which runs again only
 * once that cross-call completes.
 * A CPU that keeps interrupts off without waiting here delays callers, as
 * it would on Solaris; after SOLCOMPAT_XC_REPORT_NS the caller reports
 * the slow CPU once and keeps waiting (returning early would break the
 * contract and free a request a target may still run).
 *
 * dtrace_sync: each CPU keeps one word of probe-context state
 * (solcompat_probe_state): the nesting depth of each context level (task,
 * softirq, hardirq, NMI; 8 bits each) in bits 0-31, and a generation in
 * bits 32-63, bumped when the CPU enters probe context at no level yet and
 * when it leaves the last. Depths and generation change in one
 * this_cpu_add, so an interrupt or NMI that fires a probe of its own
 * between "depth changed" and "generation changed" cannot exist (with two
 * counters, a nested firing in that window ran unseen by dtrace_sync,
 * which then let its caller free what the firing used; see
 * solcompat_probe_enter for why a read and one add suffice). The depth is per
 * level because an interrupt taken between an enter and its exit with
 * interrupts on (a trap handler before the probe core masks them) is not
 * probe context unless it enters one: with one depth per CPU its
 * cross-calls and cyclic reprograms were refused and its allocations went
 * to the reserve. (255 nested enters at one level would carry into the
 * next; trap_depth in linux/trap.c keeps probes from nesting at a level.)
 * dtrace_sync snapshots the words and waits, for each CPU that was inside
 * (a depth above 0 at any level), until its generation moves: the next
 * move is then the last exit. An exit without an enter at its level is
 * reported and changes nothing. This does not depend on interrupts being off in
 * probe context (kprobe handlers on these kernels run with interrupts on), but
 * it does on the caller staying on its CPU from enter to exit: an enter or exit
 * with preemption and interrupts on is reported and refused. A wait
 * longer than spin_report_ms (a handler that never returns, an enter
 * without its exit) is reported once; dtrace_sync keeps waiting, since
 * returning would let the caller free what the handler still uses.
 *
 * Contexts:
 *   function               process atomic hardirq nmi probe
 *   xc_call/dtrace_xcall   yes     yes    yes     no  no  (reported)
 *   dtrace_sync            yes     no     no      no  no  (reported)
 *   probe enter/exit       no      yes    yes     yes yes (reported)
 *
 * solcompat_xcall itself is not in the probe-context tier (it sends IPIs
 * through Linux); probe context is refused at its entry.
 *
 * CPU hotplug: the targets are the online CPUs of the set, read once; a
 * CPU that comes online later is not a target (it was not counted). One
 * that goes offline before its IPI could be sent has its request taken
 * back by the caller. Not supported: a target that goes offline after its
 * IPI was queued and before it ran (the caller waits; reported after
 * SOLCOMPAT_XC_REPORT_NS).
 */
#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/irqflags.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>

#include <impl/debug.h>
#include <impl/spl.h>
#include <impl/xcall.h>
#include "sleepq.h"
#include "solcompat_init.h"

#define SOLCOMPAT_XC_DEPTH 4
#define SOLCOMPAT_XC_REPORT_NS (5ULL * 1000 * 1000 * 1000)

struct xc_request {
	solcompat_xc_func_t func;
	solcompat_xc_arg_t a1, a2, a3;
	atomic_t remaining;
};

/* mailbox slot of (target, source, depth) */
static struct xc_request **xc_slots;
/* csd of (source, target) */
static call_single_data_t *xc_csds;
/*
 * IPIs queued and not yet at their end: a cross-call returns once its
 * requests ran, which the target's wait loop may do before the IPI itself
 * comes (the target had interrupts off), so the csds and mailboxes stay
 * until this is 0 (solcompat_xcall_fini).
 */
static atomic_t xc_ipis_queued = ATOMIC_INIT(0);
static DEFINE_PER_CPU(int, xc_depth);

static __always_inline struct xc_request **xc_slot(int target, int source,
						   int depth)
{
	return &xc_slots[((size_t)target * nr_cpu_ids + source) *
				 SOLCOMPAT_XC_DEPTH + depth];
}

/* Run every request waiting in this CPU's mailbox; how many ran. */
static notrace int xc_drain(void)
{
	int self = raw_smp_processor_id();
	int source, depth, ran = 0;

	for (source = 0; source < nr_cpu_ids; source++) {
		for (depth = 0; depth < SOLCOMPAT_XC_DEPTH; depth++) {
			struct xc_request **slot = xc_slot(self, source, depth);
			struct xc_request *req;

			if (!READ_ONCE(*slot))
				continue;
			req = xchg(slot, NULL);
			if (!req)
				continue;
			req->func(req->a1, req->a2, req->a3);
			ran++;
			/*
			 * Release: what func wrote is visible to the caller
			 * once its acquire read sees the count reach 0 (a
			 * plain atomic_dec is unordered in the kernel memory
			 * model; x86's locked decrement hid that, and the
			 * model's ThreadSanitizer build found it). After
			 * this the request may be gone: no access.
			 */
			atomic_dec_return_release(&req->remaining);
		}
	}
	return ran;
}

/*
 * Serve this CPU's mailbox from a lock waiter's spin loop
 * (solcompat_lock_spin_check, linux/sleepq.c). A hard interrupt handler
 * spins with interrupts off, so the IPI cannot reach it, where on illumos
 * a cross-call (at PIL_MAX) would interrupt a level-14 handler's spin.
 * Without this, a hard interrupt on another CPU that cross-calls this one
 * while the code it interrupted holds the lock we spin on waits for ever:
 * the holder cannot run until that interrupt returns, and we neither get
 * the lock nor take the IPI. Nothing is served where illumos would not take
 * a cross-call either (at PIL_MAX: interrupts off in task context, a level
 * raised by spl or by a spin mutex held in the handler), nor in NMI or probe
 * context (a cross-call never runs inside a probe: dtrace_sync relies on it):
 * it serves only in hardirq context below PIL_MAX.
 *
 * As on illumos, a cross-call function runs on top of whatever its CPU was
 * doing, here inside the handler's lock holds and with the handler's lock
 * identity (this CPU at this interrupt level): a lock the handler holds
 * reads as the function's own, so taking it is refused as a recursion and
 * reported. Cross-call functions must not take locks that interrupted code
 * may hold, as illumos requires of code at PIL_MAX. A function that spins
 * in turn does not serve again (xc_serving): nesting stays one deep.
 * Returns non-zero if a function ran (the caller's spin time excludes it).
 * Context: Any context.
 */
static DEFINE_PER_CPU(int, xc_serving);

notrace int solcompat_xc_serve_spinning(void)
{
	int ran;

	if (!in_hardirq() || in_nmi() || solcompat_probe_any() ||
	    solcompat_getpil() >= SOLCOMPAT_PIL_MAX ||
	    this_cpu_read(xc_serving))
		return 0;
	this_cpu_write(xc_serving, 1);
	ran = xc_drain();
	this_cpu_write(xc_serving, 0);
	return ran;
}
NOKPROBE_SYMBOL(solcompat_xc_serve_spinning);

static notrace void xc_ipi(void *unused)
{
	/* Linux released the csd just before: see solcompat_xcall. */
	smp_mb();
	xc_drain();
	/* The last access to our memory: see solcompat_xcall_fini. */
	atomic_dec_return_release(&xc_ipis_queued);
}

notrace void solcompat_xcall(const solcompat_cpuset_t *set,
			     solcompat_xc_func_t func, solcompat_xc_arg_t a1,
			     solcompat_xc_arg_t a2, solcompat_xc_arg_t a3)
{
	struct xc_request req = { .func = func, .a1 = a1, .a2 = a2, .a3 = a3 };
	solcompat_cpuset_t targets = {0};
	unsigned long flags;
	int self, cpu, depth, err, others = 0, reported = 0;
	bool run_here = false;
	u64 start;

	if (unlikely(in_nmi() || solcompat_probe_depth())) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, "xc_call",
				 "cross-call from NMI or probe context",
				 __builtin_return_address(0));
		return;
	}
	if (unlikely(!func || !set)) {
		solcompat_misuse(SOLCOMPAT_MISUSE_ARGUMENT, "xc_call",
				 "no function or no CPU set: nothing called",
				 __builtin_return_address(0));
		return;
	}
	raw_local_irq_save(flags);
	self = raw_smp_processor_id();
	depth = this_cpu_read(xc_depth);
	if (unlikely(depth >= SOLCOMPAT_XC_DEPTH)) {
		raw_local_irq_restore(flags);
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, "xc_call",
				 "cross-calls nested too deeply",
				 __builtin_return_address(0));
		return;
	}
	this_cpu_write(xc_depth, depth + 1);

	/* The online set is read once: the targets counted are those sent. */
	for (cpu = 0; cpu < nr_cpu_ids && cpu < SOLCOMPAT_NCPU; cpu++) {
		if (!((set->words[cpu / 64] >> (cpu % 64)) & 1) ||
		    !cpu_online(cpu))
			continue;
		if (cpu == self) {
			run_here = true;
		} else {
			targets.words[cpu / 64] |= 1ULL << (cpu % 64);
			others++;
		}
	}
	atomic_set(&req.remaining, others);
	for (cpu = 0; others && cpu < nr_cpu_ids && cpu < SOLCOMPAT_NCPU;
	     cpu++) {
		if (!((targets.words[cpu / 64] >> (cpu % 64)) & 1))
			continue;
		smp_store_release(xc_slot(cpu, self, depth), &req);
		/*
		 * -EBUSY: that csd has not run yet and will see the slot. A
		 * store (the slot) then a load (the csd's lock bit, read
		 * plainly by Linux), against the target's store (the unlock)
		 * then load (the slot) in xc_ipi: both sides need a full
		 * barrier, or each may miss the other's store and the
		 * request waits in an idle CPU's mailbox for ever.
		 */
		smp_mb();
		atomic_inc(&xc_ipis_queued);
		err = smp_call_function_single_async(
			cpu, &xc_csds[(size_t)self * nr_cpu_ids + cpu]);
		/* -EBUSY: counted by the send that queued it; -ENXIO: none */
		if (err)
			atomic_dec(&xc_ipis_queued);
		if (err == -ENXIO &&
		    xchg(xc_slot(cpu, self, depth), NULL) == &req)
			/* Gone offline before the IPI: the request is ours. */
			atomic_dec(&req.remaining);
	}
	if (run_here)
		func(a1, a2, a3);

	start = ktime_get_mono_fast_ns();
	while (atomic_read_acquire(&req.remaining) > 0) {
		xc_drain();
		cpu_relax();
		if (!reported &&
		    ktime_get_mono_fast_ns() - start > SOLCOMPAT_XC_REPORT_NS) {
			reported = 1;
			solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, "xc_call",
					 "a target CPU has not answered for 5 s (interrupts off elsewhere?); still waiting",
					 __builtin_return_address(0));
		}
	}
	this_cpu_write(xc_depth, depth);
	raw_local_irq_restore(flags);
}
EXPORT_SYMBOL_GPL(solcompat_xcall);

/* Copies the mask words directly: no call, so it stays in the probe tier. */
notrace void solcompat_cpuset_online(solcompat_cpuset_t *set)
{
	const unsigned long *bits = cpumask_bits(cpu_online_mask);
	unsigned int words = BITS_TO_LONGS(nr_cpu_ids);
	unsigned int i;

	for (i = 0; i < SOLCOMPAT_CPUSET_WORDS; i++)
		set->words[i] = i < words ? READ_ONCE(bits[i]) : 0;
}
EXPORT_SYMBOL_GPL(solcompat_cpuset_online);
NOKPROBE_SYMBOL(solcompat_cpuset_online);

int solcompat_ncpus_online(void)
{
	return num_online_cpus();
}
EXPORT_SYMBOL_GPL(solcompat_ncpus_online);

notrace int solcompat_cpu_id(void)
{
	return raw_smp_processor_id();
}
EXPORT_SYMBOL_GPL(solcompat_cpu_id);
NOKPROBE_SYMBOL(solcompat_cpu_id);

/* Probe-context state for dtrace_sync: depth and generation, one word. */
DEFINE_PER_CPU(u64, solcompat_probe_state);
#define PROBE_GEN_ONE (1ULL << 32)

/*
 * Probe context stays on one CPU: the depth and generation are per CPU, so
 * a caller that could migrate between its enter and its exit would leave
 * one CPU inside for good (every later dtrace_sync waits on it) and take
 * another below zero. Such a call is reported and does nothing; an exit
 * must be refused as its enter was, since both come from the same
 * unpinned caller.
 */
static noinline notrace void probe_unpinned(const char *api, const void *caller)
{
	solcompat_misuse(
		SOLCOMPAT_MISUSE_CONTEXT, api,
		"called with preemption and interrupts on: the caller may move to another CPU inside probe context",
		caller);
}
NOKPROBE_SYMBOL(probe_unpinned);

/*
 * Enter and exit read the state, decide, and apply the change with one
 * this_cpu_add: a single instruction, which no interrupt or NMI on this
 * CPU can split. One taken between the read and the add leaves the depths
 * as it found them (it enters and exits in pairs), so the decision made on
 * the read ("first entry", "last exit") still holds; only the generation
 * may have moved meanwhile, and adding to it is right whatever its value.
 */
static __always_inline void probe_enter_at(unsigned int shift)
{
	u64 old = this_cpu_read(solcompat_probe_state);

	if (likely(old & SOLCOMPAT_PROBE_DEPTHS_MASK)) {
		this_cpu_add(solcompat_probe_state, 1ULL << shift);
		return;
	}
	/* The first entry bumps the generation. */
	this_cpu_add(solcompat_probe_state, (1ULL << shift) + PROBE_GEN_ONE);
	smp_mb();
}

notrace void solcompat_probe_enter(void)
{
	unsigned long pc = preempt_count();

	/* Pinned: preemption or interrupts off. */
	if (unlikely(!pc && !raw_irqs_disabled())) {
		probe_unpinned("solcompat_probe_enter",
			       __builtin_return_address(0));
		return;
	}
	/*
	 * This level's depth + 1 (task level: the constant case). At task
	 * level the bracket holds preemption off too, so that probe context
	 * always has a non-zero preempt_count(): what asks that first (lock
	 * identities, lock_self in linux/sleepq.h; the may-sleep tests) sees
	 * a probe entered from task code with only interrupts off (an sdt
	 * site) for what it is, not as the task it interrupted. Interrupt
	 * levels have a non-zero count already; not holding one there keeps
	 * an enter without its exit from leaking into the interrupted task.
	 */
	if (likely(!(pc & SOLCOMPAT_CTX_BITS))) {
		preempt_disable_notrace();
		probe_enter_at(0);
	} else
		probe_enter_at(
			8 * solcompat_probe_level_of(pc & SOLCOMPAT_CTX_BITS));
}
EXPORT_SYMBOL_GPL(solcompat_probe_enter);
NOKPROBE_SYMBOL(solcompat_probe_enter);

static noinline notrace void probe_unbalanced(const void *caller)
{
	solcompat_misuse(
		SOLCOMPAT_MISUSE_CONTEXT, "solcompat_probe_exit",
		"not in probe context at this level of this CPU (an exit without its enter): ignored",
		caller);
}
NOKPROBE_SYMBOL(probe_unbalanced);

/* False for an exit without its enter (reported, nothing changed). */
static __always_inline bool probe_exit_at(unsigned int shift,
					  const void *caller)
{
	u64 old = this_cpu_read(solcompat_probe_state);

	if (unlikely(!((old >> shift) & 0xff))) {
		probe_unbalanced(caller);
		return false;
	}
	if (likely((old & SOLCOMPAT_PROBE_DEPTHS_MASK) != 1ULL << shift)) {
		this_cpu_sub(solcompat_probe_state, 1ULL << shift);
	} else {
		/* The last exit bumps the generation. */
		smp_mb();
		this_cpu_add(solcompat_probe_state,
			     PROBE_GEN_ONE - (1ULL << shift));
	}
	return true;
}

notrace void solcompat_probe_exit(void)
{
	unsigned long pc = preempt_count();

	if (unlikely(!pc && !raw_irqs_disabled())) {
		probe_unpinned("solcompat_probe_exit",
			       __builtin_return_address(0));
		return;
	}
	/*
	 * This level's depth - 1 (task level: the constant case, and the
	 * enter's preempt_disable undone; with interrupts off, as the probe
	 * core exits, no reschedule).
	 */
	if (likely(!(pc & SOLCOMPAT_CTX_BITS))) {
		if (probe_exit_at(0, __builtin_return_address(0)))
			preempt_enable_notrace();
	} else
		probe_exit_at(
			8 * solcompat_probe_level_of(pc & SOLCOMPAT_CTX_BITS),
			__builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(solcompat_probe_exit);
NOKPROBE_SYMBOL(solcompat_probe_exit);

/* Is cpu still in the probe context it was in when its state read seen? */
static bool probe_inside_since(int cpu, u64 seen)
{
	return (seen & SOLCOMPAT_PROBE_DEPTHS_MASK) &&
	       READ_ONCE(per_cpu(solcompat_probe_state, cpu)) >> 32 ==
		       seen >> 32;
}

void solcompat_probe_sync(void)
{
	struct lock_spin spin = LOCK_SPIN_INIT_WHY(
		"a CPU has stayed in probe context longer than spin_report_ms: a probe handler that does not return, or a probe enter without its exit; still waiting");
	const void *caller = __builtin_return_address(0);
	u64 *snapshot;
	int cpu;

	if (unlikely(!in_task() || preempt_count() || irqs_disabled())) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, "dtrace_sync",
				 "may only be called from process context",
				 caller);
		return;
	}
	snapshot = kcalloc(nr_cpu_ids, sizeof(*snapshot), GFP_KERNEL);
	smp_mb();
	for_each_online_cpu(cpu) {
		u64 state = READ_ONCE(per_cpu(solcompat_probe_state, cpu));

		if (!snapshot) {
			/* No memory: wait for each CPU in turn instead. */
			while (probe_inside_since(cpu, state))
				lock_spin_relax(&spin, "dtrace_sync", caller);
			continue;
		}
		snapshot[cpu] = state;
	}
	if (snapshot) {
		for_each_online_cpu(cpu)
			while (probe_inside_since(cpu, snapshot[cpu]))
				lock_spin_relax(&spin, "dtrace_sync", caller);
		kfree(snapshot);
	}
	smp_mb();
}
EXPORT_SYMBOL_GPL(solcompat_probe_sync);

int solcompat_xcall_init(void)
{
	int source, target;

	if (nr_cpu_ids > SOLCOMPAT_NCPU) {
		pr_err("solcompat: %u CPU ids, this build supports %d (SOLCOMPAT_NCPU)\n",
		       nr_cpu_ids, SOLCOMPAT_NCPU);
		return -EINVAL;
	}
	xc_slots = kcalloc((size_t)nr_cpu_ids * nr_cpu_ids * SOLCOMPAT_XC_DEPTH,
			   sizeof(*xc_slots), GFP_KERNEL);
	xc_csds = kcalloc((size_t)nr_cpu_ids * nr_cpu_ids, sizeof(*xc_csds),
			  GFP_KERNEL);
	if (!xc_slots || !xc_csds) {
		kfree(xc_slots);
		kfree(xc_csds);
		return -ENOMEM;
	}
	for (source = 0; source < nr_cpu_ids; source++)
		for (target = 0; target < nr_cpu_ids; target++)
			INIT_CSD(&xc_csds[(size_t)source * nr_cpu_ids + target],
				 xc_ipi, NULL);
	return 0;
}

void solcompat_xcall_fini(void)
{
	unsigned long waited = 0;

	/*
	 * No cross-call is in flight (callers wait for their requests), but
	 * an IPI may still be queued on a CPU that ran its request from its
	 * own wait loop with interrupts off: it reads the csd's list link and
	 * the mailboxes when it comes. The module's text outlives this (the
	 * module is freed after an RCU grace period, which waits for the
	 * IPI's interrupts-off section).
	 */
	while (atomic_read_acquire(&xc_ipis_queued) > 0) {
		if (++waited == 5 * HZ)
			pr_warn("solcompat: unload waits for cross-call IPIs still queued (a CPU with interrupts off for 5 s?)\n");
		schedule_timeout_uninterruptible(1);
	}
	kfree(xc_slots);
	kfree(xc_csds);
}
