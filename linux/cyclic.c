// SPDX-License-Identifier: GPL-2.0
/*
 * Cyclics (sys/cyclic.h): periodic handlers at a chosen interrupt level.
 *
 * Big Theory Statement
 * --------------------
 * Each cyclic, and each CPU's part of an omni cyclic, is a pinned hrtimer
 * on CLOCK_MONOTONIC, the clock gethrtime() reads, so cyt_when is an
 * absolute hrtimer expiry without conversion. Levels map to the closest
 * Linux context:
 *   CY_HIGH_LEVEL  HRTIMER_MODE_*_HARD: the handler runs in hard interrupt
 *                  context, interrupts off, also on PREEMPT_RT (where
 *                  ordinary hrtimers are deferred to a thread). The profile
 *                  provider needs exactly this.
 *   CY_LOCK_LEVEL  HRTIMER_MODE_*_SOFT: softirq context (a thread on
 *                  PREEMPT_RT). Interrupts on, may not sleep: what Solaris
 *                  allows at LOCK_LEVEL (spin locks only).
 *   CY_LOW_LEVEL   a soft hrtimer that queues a work item on the same CPU;
 *                  the handler runs in process context and may take
 *                  adaptive mutexes, as Solaris low-level handlers may.
 *
 * Semantics and how they hold:
 *   - cyt_when 0 means the next multiple of the interval (rounded up from
 *     now); cyt_when in the past fires at once and counts as missed.
 *   - Never concurrent with itself: one hrtimer per (cyclic, CPU) and hrtimer
 *     callbacks of one timer never overlap; the LOW work item is one
 *     work_struct, which never runs concurrently with itself on one CPU.
 *   - Catch-up: each expiry forwards the timer past now and the handler is
 *     called once per elapsed interval (hrtimer_forward's overrun count),
 *     so fire count ~ elapsed/interval even when an expiry was delayed.
 *     Catch-up per expiry is capped at SOLCOMPAT_CYC_CATCHUP_MAX calls (a
 *     long stall must not turn into thousands of calls in hard interrupt
 *     context); the rest is counted in solcompat_cyclic_dropped().
 *   - cyclic_remove returns after a handler in flight finished:
 *     hrtimer_cancel() waits for a running callback, cancel_work_sync() for
 *     running work, and a dying flag keeps a low-level handler that
 *     reprograms its own cyclic meanwhile from restarting it (a second
 *     cancel follows the handler). From the cyclic's own low-level handler
 *     it would wait for itself: reported, and the cyclic is left alone.
 *   - A plain cyclic's CPU: where its timer last fired. A CPU going down
 *     hands its armed timers to another; the next firing records the new
 *     CPU, and a reprogram of an idle timer whose CPU is offline starts it
 *     on the caller's CPU.
 *   - Omni: a CPU hotplug multi-instance state. Adding the instance calls
 *     our online callback on each online CPU, on that CPU (an AP state), so
 *     the pinned timer starts on the right CPU; cyo_online is called there
 *     first. Removing it, or taking a CPU down, calls the offline callback
 *     on that CPU: timer cancelled, then cyo_offline.
 *   - cyclic_reprogram restarts the timer on its own CPU through a
 *     cross-call, since starting a pinned hrtimer from another CPU would
 *     move it. It starts the timer even while its callback runs there
 *     (the cross-call interrupted it, or the handler reprograms its own
 *     cyclic), which the hrtimer core allows: a timer queued when its
 *     callback returns stays as queued, whatever the callback returns. So
 *     the callback never moves the expiry of a queued timer (the kernel
 *     warns in hrtimer_forward and drops the firing; hrtimer_set_expires
 *     would corrupt the queue): it forwards a periodic timer with
 *     interrupts off, and only if no reprogram queued it first. A
 *     cross-call that finds the CPU gone (it went down after the caller
 *     looked) did not run: the caller then starts the timer itself, as for
 *     an idle timer whose CPU is offline. A cyclic being removed is not
 *     restarted and the call returns 0, as on illumos.
 *   - Misuse is reported, never followed into memory: a handler, level or
 *     time illumos would refuse (an ASSERT there) is refused with
 *     SOLCOMPAT_MISUSE_ARGUMENT. Ids are serial numbers, never reused
 *     (not addresses, as on illumos): cyclic_remove and cyclic_reprogram
 *     look an id up on the list of added cyclics (cyc_all) first, so a
 *     second remove or a reprogram after the remove is a report, not a
 *     use after free or a hit on another client's cyclic. A cyclic being
 *     removed stays on the list, marked, until it has stopped: a
 *     reprogram meanwhile (its own handler's included) returns 0 without
 *     a report, another remove of it is reported. A reprogram holds a
 *     reference for its cross-call; the remove waits for none to be left
 *     before it stops the timers.
 *   - A cyclic still added when the module that added it (or holds its
 *     handler) unloads is reported, naming who added it, and removed,
 *     from a module notifier at MODULE_STATE_GOING, while that code is
 *     still there; what is left when solcompat unloads, likewise.
 *
 * Contexts:
 *   function                   process atomic hardirq nmi probe
 *   cyclic_add/_omni/_remove   yes     no     no      no  no
 *   cyclic_reprogram           yes     yes    yes     no  no (reported, 0)
 *   cyclic_juggle              yes (no-op)
 *
 * Not supported: cyclic_bind and cyclic partitions; omni cyclics and
 * non-omni cyclics are not moved by cyclic_juggle (a no-op). Known race
 * (CPU hotplug only): a reprogram that finds the cyclic's last CPU
 * offline starts the timer from the caller's CPU, which can meet the
 * callback of the timer Linux moved, running on a third CPU before it
 * records that CPU (the callback could then forward a queued timer).
 */
#include <linux/atomic.h>
#include <linux/cpuhotplug.h>
#include <linux/hrtimer.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <impl/cyclic.h>
#include <impl/debug.h>
#include <impl/xcall.h>
#include "solcompat_init.h"

#define SOLCOMPAT_CYC_CATCHUP_MAX 1000

struct cyc_cpu {
	struct hrtimer timer;
	struct work_struct work;
	atomic_t pending;		/* LOW: firings not yet run */
	solcompat_cyc_handler_t hdlr;
	s64 interval;
	/* Where the timer last ran, or starts. */
	int cpu;
	bool started;
	/* Being removed: fire and restart nothing. */
	bool dying;
};

struct solcompat_cyclic {
	bool omni;
	solcompat_cyc_omni_handler_t omni_handler;
	struct hlist_node node;		/* cpuhp instance (omni) */
	struct cyc_cpu *cpus;		/* one (plain) or nr_cpu_ids (omni) */
	struct list_head all;		/* on cyc_all while added */
	const void *added_by;		/* cyclic_add's caller, for reports */
	solcompat_cyclic_id_t id;	/* never reused (cyc_last_id) */
	atomic_t refs;			/* reprograms using it right now */
	bool removing;			/* being removed: see cyc_destroy */
};

static int cyc_hp_state = -1;
static atomic_long_t cyc_dropped;

/*
 * Every cyclic added and not yet removed, found by id. Changed with
 * cyc_all_lock and then cyc_ids_lock held; read with either: the mutex in
 * process context, the raw lock (interrupts off, a short walk) by
 * cyclic_reprogram, which may run in hard interrupt context.
 */
static DEFINE_MUTEX(cyc_all_lock);
static DEFINE_RAW_SPINLOCK(cyc_ids_lock);
static LIST_HEAD(cyc_all);
/*
 * The last id given, under both locks. 64 bits never wrap; the odd high
 * base keeps ids far from the small numbers a confused caller might pass
 * (a taskq id, an index), which then match nothing.
 */
static solcompat_cyclic_id_t cyc_last_id = 0x5c1c000000000000ULL;

static struct solcompat_cyclic *cyc_find(solcompat_cyclic_id_t id)
{
	struct solcompat_cyclic *c;

	list_for_each_entry(c, &cyc_all, all)
		if (c->id == id)
			return c;
	return NULL;
}

/* Calls due, capped; the surplus is counted as dropped. */
static u64 cyc_cap(u64 n)
{
	if (n > SOLCOMPAT_CYC_CATCHUP_MAX) {
		atomic_long_add(n - SOLCOMPAT_CYC_CATCHUP_MAX, &cyc_dropped);
		n = SOLCOMPAT_CYC_CATCHUP_MAX;
	}
	return n;
}

static void cyc_run(struct cyc_cpu *cc, u64 n)
{
	n = cyc_cap(n);
	while (n--)
		cc->hdlr.cyh_func(cc->hdlr.cyh_arg);
}

static enum hrtimer_restart cyc_fire(struct hrtimer *t)
{
	struct cyc_cpu *cc = container_of(t, struct cyc_cpu, timer);
	unsigned long flags;
	u64 n = 1;

	if (READ_ONCE(cc->dying))
		return HRTIMER_NORESTART;
	/* A CPU going down hands its timers to another: follow it there. */
	WRITE_ONCE(cc->cpu, smp_processor_id());
	if (cc->interval != SOLCOMPAT_CY_INFINITY) {
		/*
		 * A reprogram is a cross-call, an interrupt on this CPU: with
		 * interrupts off none lands between the test and the forward.
		 * One that came first has queued the timer at its expiry:
		 * leave that alone (this firing still runs, once).
		 */
		local_irq_save(flags);
		if (!hrtimer_is_queued(t))
			n = hrtimer_forward_now(t, ns_to_ktime(cc->interval));
		local_irq_restore(flags);
	}
	if (cc->hdlr.cyh_level == SOLCOMPAT_CY_LOW_LEVEL) {
		atomic_add((int)cyc_cap(n), &cc->pending);
		queue_work_on(cc->cpu, system_highpri_wq, &cc->work);
	} else {
		cyc_run(cc, n);
	}
	/*
	 * A timer a reprogram queued meanwhile (the handler's own included)
	 * stays queued at its expiry whatever is returned here.
	 */
	return cc->interval != SOLCOMPAT_CY_INFINITY ? HRTIMER_RESTART
						     : HRTIMER_NORESTART;
}

static void cyc_work(struct work_struct *w)
{
	struct cyc_cpu *cc = container_of(w, struct cyc_cpu, work);

	cyc_run(cc, atomic_xchg(&cc->pending, 0));
}

static enum hrtimer_mode cyc_mode(const struct cyc_cpu *cc)
{
	return cc->hdlr.cyh_level == SOLCOMPAT_CY_HIGH_LEVEL ?
		       HRTIMER_MODE_ABS_PINNED_HARD :
		       HRTIMER_MODE_ABS_PINNED_SOFT;
}

/*
 * Absolute first expiry: cyt_when, or the next multiple of the interval.
 * For { 0, CY_INFINITY } that multiple is CY_INFINITY itself, as on
 * illumos: the one-shot is added dormant and fires once reprogrammed.
 */
static s64 cyc_first_expiry(const solcompat_cyc_time_t *when)
{
	s64 now = ktime_get_ns(), interval = when->cyt_interval;

	if (when->cyt_when)
		return when->cyt_when;
	if (interval == SOLCOMPAT_CY_INFINITY)
		return SOLCOMPAT_CY_INFINITY;
	return (now / interval + 1) * interval;
}

static void cyc_cpu_init(struct cyc_cpu *cc, int cpu,
			 const solcompat_cyc_handler_t *hdlr, s64 interval)
{
	cc->hdlr = *hdlr;
	cc->interval = interval;
	cc->cpu = cpu;
	cc->dying = false;
	atomic_set(&cc->pending, 0);
	INIT_WORK(&cc->work, cyc_work);
	hrtimer_init(&cc->timer, CLOCK_MONOTONIC, cyc_mode(cc));
	cc->timer.function = cyc_fire;
}

/* Start on the calling CPU, which must be cc->cpu, preemption off. */
static void cyc_cpu_start(struct cyc_cpu *cc, s64 expiry)
{
	cc->started = true;
	hrtimer_start(&cc->timer, ns_to_ktime(expiry), cyc_mode(cc));
}

/*
 * Stop for good. A low-level handler still running may reprogram its own
 * cyclic, restarting the timer after the first cancel: dying stops any
 * reprogram or firing that sees it, and the second cancel, after the
 * handler finished, catches one that did not.
 */
static void cyc_cpu_stop(struct cyc_cpu *cc)
{
	if (!cc->started)
		return;
	WRITE_ONCE(cc->dying, true);
	smp_mb();
	hrtimer_cancel(&cc->timer);
	cancel_work_sync(&cc->work);
	hrtimer_cancel(&cc->timer);
	cc->started = false;
}

/* Is the caller one of this cyclic's own low-level handlers? */
static bool cyc_in_own_handler(const struct solcompat_cyclic *cyc)
{
	struct work_struct *w = current_work();
	unsigned int i, n = cyc->omni ? nr_cpu_ids : 1;

	if (!w)
		return false;
	for (i = 0; i < n; i++)
		if (w == &cyc->cpus[i].work)
			return true;
	return false;
}

static bool cyc_context_ok(const char *api, const void *caller)
{
	if (likely(in_task() && !preempt_count() && !irqs_disabled()))
		return true;
	solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, api,
			 "process context only (it allocates and waits)",
			 caller);
	return false;
}

/*
 * Would illumos accept this handler and time? A handler with no function
 * or an unknown level, a negative start or an interval that is not
 * positive: reported, and the caller adds nothing.
 */
static bool cyc_args_ok(const char *api, const solcompat_cyc_handler_t *hdlr,
			const solcompat_cyc_time_t *when, const void *caller)
{
	const char *problem = NULL;

	if (!hdlr || !hdlr->cyh_func)
		problem = "no handler function; nothing added";
	else if (hdlr->cyh_level != SOLCOMPAT_CY_LOW_LEVEL &&
		 hdlr->cyh_level != SOLCOMPAT_CY_LOCK_LEVEL &&
		 hdlr->cyh_level != SOLCOMPAT_CY_HIGH_LEVEL)
		problem =
			"cyh_level is not CY_LOW_LEVEL, CY_LOCK_LEVEL or CY_HIGH_LEVEL; nothing added";
	else if (!when || when->cyt_when < 0 || when->cyt_interval <= 0)
		problem =
			"cyt_when is negative or cyt_interval is not positive (CY_INFINITY makes a one-shot); nothing added";
	if (likely(!problem))
		return true;
	solcompat_misuse(SOLCOMPAT_MISUSE_ARGUMENT, api, problem, caller);
	return false;
}

static struct solcompat_cyclic *cyc_alloc(unsigned int ncpus,
					  const void *caller)
{
	struct solcompat_cyclic *cyc;

	cyc = kzalloc(sizeof(*cyc), GFP_KERNEL | __GFP_NOFAIL);
	cyc->cpus =
		kcalloc(ncpus, sizeof(*cyc->cpus), GFP_KERNEL | __GFP_NOFAIL);
	cyc->added_by = caller;
	return cyc;
}

/* Give the cyclic its id and make it findable; returns the id. */
static solcompat_cyclic_id_t cyc_publish(struct solcompat_cyclic *cyc)
{
	unsigned long flags;

	mutex_lock(&cyc_all_lock);
	raw_spin_lock_irqsave(&cyc_ids_lock, flags);
	cyc->id = ++cyc_last_id;
	list_add_tail(&cyc->all, &cyc_all);
	raw_spin_unlock_irqrestore(&cyc_ids_lock, flags);
	mutex_unlock(&cyc_all_lock);
	return cyc->id;
}

/*
 * Mark it being removed (cyc_all_lock held): a reprogram then returns 0
 * and takes no reference, a remove or a reap passes it by; it stays on
 * cyc_all, findable, until cyc_destroy has stopped it.
 */
static void cyc_mark_removing(struct solcompat_cyclic *cyc)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&cyc_ids_lock, flags);
	cyc->removing = true;
	raw_spin_unlock_irqrestore(&cyc_ids_lock, flags);
}

solcompat_cyclic_id_t solcompat_cyclic_add(const solcompat_cyc_handler_t *hdlr,
					   const solcompat_cyc_time_t *when)
{
	const void *caller = __builtin_return_address(0);
	struct solcompat_cyclic *cyc;
	int cpu;

	if (!cyc_context_ok("cyclic_add", caller) ||
	    !cyc_args_ok("cyclic_add", hdlr, when, caller))
		return SOLCOMPAT_CYCLIC_NONE;
	cyc = cyc_alloc(1, caller);
	cpu = get_cpu();
	cyc_cpu_init(cyc->cpus, cpu, hdlr, when->cyt_interval);
	cyc_cpu_start(cyc->cpus, cyc_first_expiry(when));
	put_cpu();
	return cyc_publish(cyc);
}
EXPORT_SYMBOL_GPL(solcompat_cyclic_add);

static int cyc_cpu_online(unsigned int cpu, struct hlist_node *node)
{
	struct solcompat_cyclic *cyc =
		hlist_entry(node, struct solcompat_cyclic, node);
	struct cyc_cpu *cc = &cyc->cpus[cpu];
	solcompat_cyc_handler_t hdlr = { 0 };
	solcompat_cyc_time_t when = { 0 };

	cyc->omni_handler.cyo_online(cyc->omni_handler.cyo_arg,
				     &solcompat_cpus[cpu], &hdlr, &when);
	/* Refused: this CPU's part stays idle (and gets no cyo_offline). */
	if (!cyc_args_ok("cyclic_add_omni (cyo_online's handler and time)",
			 &hdlr, &when, cyc->omni_handler.cyo_online))
		return 0;
	cyc_cpu_init(cc, cpu, &hdlr, when.cyt_interval);
	preempt_disable();
	cyc_cpu_start(cc, cyc_first_expiry(&when));
	preempt_enable();
	return 0;
}

static int cyc_cpu_offline(unsigned int cpu, struct hlist_node *node)
{
	struct solcompat_cyclic *cyc =
		hlist_entry(node, struct solcompat_cyclic, node);
	struct cyc_cpu *cc = &cyc->cpus[cpu];

	if (!cc->started)
		return 0;
	cyc_cpu_stop(cc);
	if (cyc->omni_handler.cyo_offline)
		cyc->omni_handler.cyo_offline(cyc->omni_handler.cyo_arg,
					      &solcompat_cpus[cpu],
					      cc->hdlr.cyh_arg);
	return 0;
}

solcompat_cyclic_id_t
solcompat_cyclic_add_omni(const solcompat_cyc_omni_handler_t *omni)
{
	const void *caller = __builtin_return_address(0);
	struct solcompat_cyclic *cyc;
	int err;

	if (!cyc_context_ok("cyclic_add_omni", caller))
		return SOLCOMPAT_CYCLIC_NONE;
	if (!omni || !omni->cyo_online) {
		solcompat_misuse(SOLCOMPAT_MISUSE_ARGUMENT, "cyclic_add_omni",
				 "no cyo_online handler; nothing added",
				 caller);
		return SOLCOMPAT_CYCLIC_NONE;
	}
	cyc = cyc_alloc(nr_cpu_ids, caller);
	cyc->omni = true;
	cyc->omni_handler = *omni;
	err = cpuhp_state_add_instance(cyc_hp_state, &cyc->node);
	if (err) {
		/* Only possible if the state itself is broken. */
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, "cyclic_add_omni",
				 "CPU hotplug instance could not be added",
				 __builtin_return_address(0));
		kfree(cyc->cpus);
		kfree(cyc);
		return SOLCOMPAT_CYCLIC_NONE;
	}
	return cyc_publish(cyc);
}
EXPORT_SYMBOL_GPL(solcompat_cyclic_add_omni);

/*
 * Stop a cyclic marked removing, take it off cyc_all and free it. First
 * the reprograms that found it before the mark finish (a cross-call:
 * microseconds; no new one takes a reference), then its timers stop (its
 * handler may still reprogram it meanwhile: 0, no report).
 */
static void cyc_destroy(struct solcompat_cyclic *cyc)
{
	unsigned long flags;

	while (atomic_read_acquire(&cyc->refs))
		schedule_timeout_uninterruptible(1);
	if (cyc->omni)
		cpuhp_state_remove_instance(cyc_hp_state, &cyc->node);
	else
		cyc_cpu_stop(cyc->cpus);
	mutex_lock(&cyc_all_lock);
	raw_spin_lock_irqsave(&cyc_ids_lock, flags);
	list_del(&cyc->all);
	raw_spin_unlock_irqrestore(&cyc_ids_lock, flags);
	mutex_unlock(&cyc_all_lock);
	kfree(cyc->cpus);
	kfree(cyc);
}

void solcompat_cyclic_remove(solcompat_cyclic_id_t id)
{
	const void *caller = __builtin_return_address(0);
	struct solcompat_cyclic *cyc;

	if (id == SOLCOMPAT_CYCLIC_NONE ||
	    !cyc_context_ok("cyclic_remove", caller))
		return;
	/*
	 * Ids are never reused, so one removed already (or never returned
	 * by cyclic_add) is simply not found. Removals are rare; the walk
	 * is the price.
	 */
	mutex_lock(&cyc_all_lock);
	cyc = cyc_find(id);
	if (cyc && cyc->removing)
		cyc = NULL; /* another remove is at it */
	if (cyc && cyc_in_own_handler(cyc)) {
		mutex_unlock(&cyc_all_lock);
		solcompat_misuse(
			SOLCOMPAT_MISUSE_CONTEXT, "cyclic_remove",
			"called from the cyclic's own handler, which it would wait for forever; the cyclic is left alone",
			caller);
		return;
	}
	if (cyc)
		cyc_mark_removing(cyc);
	mutex_unlock(&cyc_all_lock);
	if (!cyc) {
		solcompat_misuse(
			SOLCOMPAT_MISUSE_ARGUMENT, "cyclic_remove",
			"not a cyclic that is added (removed twice?); nothing done",
			caller);
		return;
	}
	cyc_destroy(cyc);
}
EXPORT_SYMBOL_GPL(solcompat_cyclic_remove);

struct cyc_reprogram {
	struct cyc_cpu *cc;
	s64 when;
	int result; /* 1, or 0 for a cyclic being removed */
	bool done;  /* the cross-call ran (its CPU was still online) */
};

static int cyc_reprogram_here(solcompat_xc_arg_t a1, solcompat_xc_arg_t a2,
			      solcompat_xc_arg_t a3)
{
	struct cyc_reprogram *r = (struct cyc_reprogram *)a1;
	struct cyc_cpu *cc = r->cc;

	r->done = true;
	r->result = 0;
	if (READ_ONCE(cc->dying))
		return 0;
	r->result = 1;
	/* Running its callback or not: see the Big Theory Statement. */
	hrtimer_start(&cc->timer, ns_to_ktime(r->when), cyc_mode(cc));
	return 0;
}

int solcompat_cyclic_reprogram(solcompat_cyclic_id_t id,
			       solcompat_hrtime_t when)
{
	const void *caller = __builtin_return_address(0);
	struct solcompat_cyclic *cyc;
	struct cyc_reprogram r;
	solcompat_cpuset_t set = { { 0 } };
	bool found, omni, removing;
	unsigned long flags;
	int cpu;

	if (id == SOLCOMPAT_CYCLIC_NONE)
		return 0;
	if (unlikely(in_nmi() || solcompat_probe_depth())) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, "cyclic_reprogram",
				 "not from NMI or probe context", caller);
		return 0;
	}
	/*
	 * Found and not being removed, it stays until the reference is
	 * dropped (cyc_destroy waits). Only what was read under the lock is
	 * used when no reference was taken.
	 */
	raw_spin_lock_irqsave(&cyc_ids_lock, flags);
	cyc = cyc_find(id);
	found = cyc != NULL;
	omni = found && cyc->omni;
	removing = found && cyc->removing;
	if (found && !omni && !removing)
		atomic_inc(&cyc->refs);
	raw_spin_unlock_irqrestore(&cyc_ids_lock, flags);
	if (unlikely(!found || omni)) {
		solcompat_misuse(
			found ? SOLCOMPAT_MISUSE_CONTEXT
			      : SOLCOMPAT_MISUSE_ARGUMENT,
			"cyclic_reprogram",
			found ? "omni cyclics cannot be reprogrammed here"
			      : "not a cyclic that is added (removed already?); nothing done",
			caller);
		return 0;
	}
	if (removing)
		return 0; /* as illumos: it no longer exists */
	r.cc = cyc->cpus;
	r.when = when;
	r.result = 0;
	r.done = false;
	cpu = READ_ONCE(r.cc->cpu);
	if (likely(cpu_online(cpu))) {
		set.words[cpu / 64] = 1ULL << (cpu % 64);
		solcompat_xcall(&set, cyc_reprogram_here,
				(solcompat_xc_arg_t)&r, 0, 0);
	}
	if (unlikely(!r.done)) {
		/*
		 * Its CPU went down while the timer was idle (an armed one
		 * moved and fired elsewhere, which updates cc->cpu), before
		 * the check above or after it (the cross-call then skipped
		 * it): start it here, which is where a pinned start puts it.
		 */
		local_irq_save(flags);
		WRITE_ONCE(r.cc->cpu, smp_processor_id());
		cyc_reprogram_here((solcompat_xc_arg_t)&r, 0, 0);
		local_irq_restore(flags);
	}
	atomic_dec_return_release(&cyc->refs);
	return r.result;
}
EXPORT_SYMBOL_GPL(solcompat_cyclic_reprogram);

unsigned long solcompat_cyclic_dropped(void)
{
	return atomic_long_read(&cyc_dropped);
}
EXPORT_SYMBOL_GPL(solcompat_cyclic_dropped);

static bool cyc_in(const void *code, const struct module *mod)
{
	return within_module((unsigned long)code, mod);
}

/*
 * Does the cyclic run (or was it added by) code of mod? NULL: any. An omni
 * cyclic's per-CPU handlers come from its cyo_online, and may lie in
 * another module: each is asked (a CPU coming online may be writing one;
 * a pointer is read whole).
 */
static bool cyc_of_module(const struct solcompat_cyclic *cyc,
			  const struct module *mod)
{
	unsigned int i;

	if (!mod || cyc_in(cyc->added_by, mod))
		return true;
	if (!cyc->omni)
		return cyc_in(cyc->cpus[0].hdlr.cyh_func, mod);
	if (cyc_in(cyc->omni_handler.cyo_online, mod) ||
	    cyc_in(cyc->omni_handler.cyo_offline, mod))
		return true;
	for (i = 0; i < nr_cpu_ids; i++)
		if (cyc_in(READ_ONCE(cyc->cpus[i].hdlr.cyh_func), mod))
			return true;
	return false;
}

/*
 * Report and remove the cyclics of mod (all with NULL), one at a time and
 * unlocked while each stops: its handler may add or remove others.
 */
static void cyc_reap(const struct module *mod, const char *problem)
{
	struct solcompat_cyclic *cyc, *c;
	bool busy;

	for (;;) {
		cyc = NULL;
		busy = false;
		mutex_lock(&cyc_all_lock);
		list_for_each_entry(c, &cyc_all, all) {
			if (!cyc_of_module(c, mod))
				continue;
			if (c->removing) {
				busy = true; /* another remove is stopping it */
				continue;
			}
			cyc = c;
			cyc_mark_removing(cyc);
			break;
		}
		mutex_unlock(&cyc_all_lock);
		if (!cyc && busy) {
			/* Its code must outlive it: wait until it is gone. */
			schedule_timeout_uninterruptible(1);
			continue;
		}
		if (!cyc)
			return;
		solcompat_misuse(SOLCOMPAT_MISUSE_MEMORY, "cyclic_add", problem,
				 cyc->added_by);
		/* Named always: the misuse report stops after ten a kind. */
		if (mod)
			pr_warn("solcompat: module %s unloads with a cyclic still added (added by %pS): removed\n",
				mod->name, cyc->added_by);
		cyc_destroy(cyc);
	}
}

/*
 * A module going away with cyclics still added: their timers would fire
 * into its freed text, an omni one's removal would call its cyo_offline
 * after that. At MODULE_STATE_GOING its code is still there (and its
 * symbols, for the report's caller): report and remove them now.
 */
static int cyc_module_going(struct notifier_block *nb, unsigned long state,
			    void *data)
{
	if (state == MODULE_STATE_GOING)
		cyc_reap(
			data,
			"cyclic still added when its module unloads: removed now");
	return NOTIFY_DONE;
}

static struct notifier_block cyc_module_nb = {
	.notifier_call = cyc_module_going,
};

int solcompat_cyclic_init(void)
{
	int ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN,
					  "solcompat:cyclic_omni",
					  cyc_cpu_online, cyc_cpu_offline);

	if (ret < 0)
		return ret;
	cyc_hp_state = ret;
	ret = register_module_notifier(&cyc_module_nb);
	if (ret) {
		cpuhp_remove_multi_state(cyc_hp_state);
		cyc_hp_state = -1;
	}
	return ret;
}

/*
 * Unload: what the notifier did not catch (a cyclic added by code outside
 * any module) would still fire, and an omni one would keep the hotplug
 * state busy. Report and remove each.
 */
void solcompat_cyclic_fini(void)
{
	unregister_module_notifier(&cyc_module_nb);
	cyc_reap(NULL,
		 "cyclic still added when solcompat unloads: removed now");
	if (cyc_hp_state >= 0)
		cpuhp_remove_multi_state(cyc_hp_state);
}
