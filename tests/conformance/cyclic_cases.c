// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/cyclic.h (CONTRACTS.md "Cross-calls and
 * cyclics"). Timing bounds are wide on purpose: they check the contract
 * (catch-up keeps the count near elapsed/interval), not speed, and QEMU TCG
 * delays timer interrupts by milliseconds.
 */
#include <sys/atomic.h>
#include <sys/cmn_err.h>
#include <sys/cpuvar.h>
#include <sys/cyclic.h>
#include <sys/kmem.h>
#include <sys/sunddi.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/types.h>
#include <impl/debug.h>

#include "sctest.h"

#define INTERVAL (2 * 1000 * 1000LL) /* 2 ms */

struct fire_log {
	volatile uint32_t fires;
	volatile uint32_t active;	/* handlers running now */
	volatile uint32_t overlaps;	/* a handler saw another running */
	volatile uint32_t wrong_context;
	volatile int pil; /* getpil() in the last firing */
	volatile hrtime_t first;
	int level;
};

static void fire(void *arg)
{
	struct fire_log *log = arg;
	void *p;

	if (atomic_inc_32_nv(&log->active) != 1)
		atomic_inc_32(&log->overlaps);
	if (log->fires == 0)
		log->first = gethrtime();
	/* HIGH runs with interrupts off; LOW in process context, on. */
	if ((log->level == CY_HIGH_LEVEL) != (sctest_irqs_disabled() != 0))
		atomic_inc_32(&log->wrong_context);
	/*
	 * Process context means it may sleep: a KM_SLEEP allocation there is
	 * not reported (the caller checks the CONTEXT misuse count).
	 */
	if (log->level == CY_LOW_LEVEL) {
		p = kmem_alloc(64, KM_SLEEP);
		kmem_free(p, 64);
	}
	log->pil = getpil();
	atomic_inc_32(&log->fires);
	atomic_dec_32(&log->active);
}

static void check_rate(struct sctest_result *sctest_r, int level)
{
	struct fire_log log = { 0 };
	cyc_handler_t h = { fire, &log, level };
	cyc_time_t when = { 0, INTERVAL };
	hrtime_t t0, t1, expected_first;
	unsigned long misuses;
	cyclic_id_t id;
	uint32_t after;
	int64_t expected;

	log.level = level;
	misuses = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	t0 = gethrtime();
	id = cyclic_add(&h, &when);
	SCT_NE(id, CYCLIC_NONE);
	delay(drv_usectohz(100000)); /* ~100 ms */
	cyclic_remove(id);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), misuses);
	t1 = gethrtime();
	after = log.fires;
	delay(drv_usectohz(10000));
	SCT_EQ(log.fires, after); /* nothing after remove returned */
	SCT_EQ(log.active, 0);
	SCT_EQ(log.overlaps, 0);
	SCT_EQ(log.wrong_context, 0);
	/* The level the handler runs at: illumos's, as far as Linux has it. */
	SCT_EQ(log.pil, level == CY_HIGH_LEVEL	 ? 14 /* hardirq */
			: level == CY_LOCK_LEVEL ? LOCK_LEVEL
						 : 0);
	/* cyt_when 0: the first expiry is the next multiple of the interval. */
	expected_first = (t0 / INTERVAL + 1) * INTERVAL;
	SCT_GE(log.first, expected_first);
	/* Catch-up: fires ~ elapsed / interval (wide bounds, see above). */
	expected = (t1 - expected_first) / INTERVAL;
	SCT_GE(after, expected / 2);
	SCT_LE(after, expected + 2);
}

/*
 * 10 kHz: a CY_HIGH_LEVEL cyclic every 100 us for about 200 ms. Missed
 * periods are caught up, so the count follows elapsed / interval: at
 * least half of it (an emulator stall right before the remove can leave
 * periods not yet caught up), never more than it plus the periods the
 * start and the remove cut. The case prints what it saw.
 */
#define INTERVAL_10KHZ (100 * 1000LL)

SCTEST_CASE(cyclic, high_level_10khz_accuracy)
{
	struct fire_log log = { 0 };
	cyc_handler_t h = { fire, &log, CY_HIGH_LEVEL };
	cyc_time_t when = { 0, INTERVAL_10KHZ };
	hrtime_t t0, t1, first;
	cyclic_id_t id;
	int64_t expected;

	log.level = CY_HIGH_LEVEL;
	t0 = gethrtime();
	id = cyclic_add(&h, &when);
	SCT_NE(id, CYCLIC_NONE);
	delay(drv_usectohz(200000));
	cyclic_remove(id);
	t1 = gethrtime();
	first = (t0 / INTERVAL_10KHZ + 1) * INTERVAL_10KHZ;
	expected = (t1 - first) / INTERVAL_10KHZ;
	cmn_err(CE_NOTE, "sctest: 10 kHz cyclic: %u firings in %lld us "
		"(expected %lld)", log.fires, (long long)((t1 - t0) / 1000),
		(long long)expected);
	SCT_EQ(log.overlaps, 0);
	SCT_EQ(log.wrong_context, 0);
	SCT_GE(log.fires, expected / 2);
	SCT_LE(log.fires, expected + 2);
}

SCTEST_CASE(cyclic, high_level_rate_and_remove)
{
	check_rate(sctest_r, CY_HIGH_LEVEL);
}

SCTEST_CASE(cyclic, low_level_runs_in_process_context)
{
	check_rate(sctest_r, CY_LOW_LEVEL);
}

/* CY_LOCK_LEVEL: softirq context, interrupts on, getpil() LOCK_LEVEL. */
SCTEST_CASE(cyclic, lock_level_rate_and_level)
{
	check_rate(sctest_r, CY_LOCK_LEVEL);
}

/*
 * Wait until log->fires reaches n, for at most about a second: a loaded
 * host can hold a TCG vCPU back for tens of milliseconds, so a fixed short
 * delay is not proof that a timer was late. Then wait 10 ms more, so that
 * an extra firing has time to show. Returns the count seen.
 */
static uint32_t wait_for_fires(const struct fire_log *log, uint32_t n)
{
	int i;

	for (i = 0; i < 100 && log->fires < n; i++)
		delay(drv_usectohz(10000));
	delay(drv_usectohz(10000));
	return log->fires;
}

/*
 * A one-shot (CY_INFINITY) cyclic fires once, then again when reprogrammed.
 * The checks come after cyclic_remove: a failed check returns, and must not
 * leave a cyclic armed with this frame's log.
 */
SCTEST_CASE(cyclic, one_shot_and_reprogram)
{
	struct fire_log log = { 0 };
	cyc_handler_t h = { fire, &log, CY_HIGH_LEVEL };
	cyc_time_t when = { 0, CY_INFINITY };
	uint32_t first, second;
	cyclic_id_t id;
	int reprogrammed;

	log.level = CY_HIGH_LEVEL;
	when.cyt_when = gethrtime() + INTERVAL;
	id = cyclic_add(&h, &when);
	SCT_NE(id, CYCLIC_NONE);
	first = wait_for_fires(&log, 1);
	reprogrammed = cyclic_reprogram(id, gethrtime() + INTERVAL);
	second = wait_for_fires(&log, 2);
	cyclic_remove(id);
	SCT_EQ(first, 1);
	SCT_EQ(reprogrammed, 1);
	SCT_EQ(second, 2);
	SCT_EQ(log.fires, 2);
	SCT_EQ(log.wrong_context, 0);
}

/*
 * { 0, CY_INFINITY }: the next multiple of an infinite interval is never,
 * so the one-shot is added dormant (illumos's cyclic_add) and fires only
 * once reprogrammed.
 */
SCTEST_CASE(cyclic, dormant_one_shot_waits_for_reprogram)
{
	struct fire_log log = {0};
	cyc_handler_t h = {fire, &log, CY_HIGH_LEVEL};
	cyc_time_t when = {0, CY_INFINITY};
	uint32_t before, after;
	cyclic_id_t id;
	int reprogrammed;

	log.level = CY_HIGH_LEVEL;
	id = cyclic_add(&h, &when);
	SCT_NE(id, CYCLIC_NONE);
	delay(drv_usectohz(10 * INTERVAL / 1000));
	before = log.fires;
	reprogrammed = cyclic_reprogram(id, gethrtime() + INTERVAL);
	after = wait_for_fires(&log, 1);
	cyclic_remove(id);
	SCT_EQ(before, 0);
	SCT_EQ(reprogrammed, 1);
	SCT_EQ(after, 1);
	SCT_EQ(log.wrong_context, 0);
}

/* Omni: online before the first firing on each CPU, offline after the last. */
static volatile uint32_t omni_online[NCPU], omni_offline[NCPU];
static volatile uint32_t omni_fires[NCPU], omni_wrong_cpu, omni_early;

static void omni_fire(void *arg)
{
	int cpu = (int)(uintptr_t)arg;

	/* On its own CPU, at CY_HIGH_LEVEL: interrupts off. */
	if (cpu != sctest_cpu_id() || !sctest_irqs_disabled())
		atomic_inc_32(&omni_wrong_cpu);
	/* Between an online handler and the matching offline handler only. */
	if (omni_online[cpu] <= omni_offline[cpu])
		atomic_inc_32(&omni_early);
	atomic_inc_32(&omni_fires[cpu]);
}

static void omni_on(void *arg, cpu_t *c, cyc_handler_t *h, cyc_time_t *when)
{
	h->cyh_func = omni_fire;
	h->cyh_arg = (void *)(uintptr_t)c->cpu_id;
	h->cyh_level = CY_HIGH_LEVEL;
	when->cyt_when = 0;
	when->cyt_interval = INTERVAL;
	atomic_inc_32(&omni_online[c->cpu_id]);
}

static void omni_off(void *arg, cpu_t *c, void *harg)
{
	if ((int)(uintptr_t)harg != c->cpu_id)
		atomic_inc_32(&omni_wrong_cpu);
	atomic_inc_32(&omni_offline[c->cpu_id]);
}

SCTEST_CASE(cyclic, omni_per_cpu)
{
	cyc_omni_handler_t omni = { omni_on, omni_off, NULL };
	uint32_t after[NCPU];
	cyclic_id_t id;
	cpuset_t set;
	int cpu, n = 0;

	for (cpu = 0; cpu < NCPU; cpu++)
		omni_online[cpu] = omni_offline[cpu] = omni_fires[cpu] = 0;
	omni_wrong_cpu = omni_early = 0;
	id = cyclic_add_omni(&omni);
	SCT_NE(id, CYCLIC_NONE);
	delay(drv_usectohz(60000));
	cyclic_remove(id);
	for (cpu = 0; cpu < NCPU; cpu++)
		after[cpu] = omni_fires[cpu];
	delay(drv_usectohz(10000));
	CPUSET_ALL(set);
	for (cpu = 0; cpu < NCPU; cpu++) {
		SCT_EQ(omni_fires[cpu], after[cpu]);
		if (!CPU_IN_SET(set, cpu))
			continue;
		n++;
		SCT_EQ(omni_online[cpu], 1);
		SCT_EQ(omni_offline[cpu], 1);
		SCT_GT(omni_fires[cpu], 3);
	}
	SCT_EQ(n, ncpus);
	SCT_EQ(omni_wrong_cpu, 0);
	SCT_EQ(omni_early, 0);
}

/*
 * CPU hotplug: a CPU that goes offline gets the offline handler after its
 * last firing and fires no more; when it comes back, the online handler
 * runs again before it fires again. The other CPUs keep firing throughout.
 */
SCTEST_CASE(cyclic, omni_follows_cpu_hotplug)
{
	cyc_omni_handler_t omni = { omni_on, omni_off, NULL };
	uint32_t off_fires, back_fires, other_before, other_after;
	uint32_t online_down, offline_down, online_up, offline_up;
	int cpu, target = -1, other = -1, down, up;
	cyclic_id_t id;
	cpuset_t set;

	CPUSET_ALL(set);
	for (cpu = NCPU - 1; cpu > 0; cpu--)
		if (CPU_IN_SET(set, cpu)) {
			target = cpu;
			break;
		}
	if (target < 0)
		SCT_SKIP("one CPU online: nothing to take offline");
	other = CPU_IN_SET(set, 0) ? 0 : -1;
	for (cpu = 0; cpu < NCPU; cpu++)
		omni_online[cpu] = omni_offline[cpu] = omni_fires[cpu] = 0;
	omni_wrong_cpu = omni_early = 0;
	id = cyclic_add_omni(&omni);
	SCT_NE(id, CYCLIC_NONE);
	delay(drv_usectohz(20000));

	/* Every check below waits until the CPU is back online. */
	down = sctest_cpu_set_online(target, 0);
	if (down != 0) {
		cyclic_remove(id);
		SCT_SKIP("the runner cannot take a CPU offline here (kernel: load solcompat_test with hotplug=1)");
	}
	online_down = omni_online[target];
	offline_down = omni_offline[target];
	off_fires = omni_fires[target];
	other_before = other >= 0 ? omni_fires[other] : 0;
	delay(drv_usectohz(20000));
	other_after = other >= 0 ? omni_fires[other] : 0;
	back_fires = omni_fires[target];
	up = sctest_cpu_set_online(target, 1);
	online_up = omni_online[target];
	offline_up = omni_offline[target];
	delay(drv_usectohz(20000));
	cyclic_remove(id);

	SCT_EQ(up, 0);
	SCT_EQ(online_down, 1);
	SCT_EQ(offline_down, 1);
	SCT_GT(off_fires, 0);
	SCT_EQ(back_fires, off_fires); /* nothing fires on an offline CPU */
	if (other >= 0)
		SCT_GT(other_after, other_before);
	SCT_EQ(online_up, 2);
	SCT_EQ(offline_up, 1);
	SCT_GT(omni_fires[target], back_fires); /* fires again once back */
	SCT_EQ(omni_offline[target], 2);	/* and cyclic_remove ended it */
	SCT_EQ(omni_wrong_cpu, 0);
	SCT_EQ(omni_early, 0);
}

/*
 * cyclic_remove from the cyclic's own low-level handler would wait for
 * that handler: reported, and the cyclic goes on firing until removed
 * from outside. The first firing comes 20 ms after the add, so the
 * handler finds the id set.
 */
static struct {
	cyclic_id_t id;
	volatile uint32_t fires, tried;
} own;

static void own_remove(void *arg)
{
	if (atomic_inc_32_nv(&own.fires) == 1) {
		cyclic_remove(own.id);
		atomic_inc_32(&own.tried);
	}
}

SCTEST_CASE(cyclic, remove_from_own_handler_refused)
{
	unsigned long n = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	cyc_handler_t h = {own_remove, NULL, CY_LOW_LEVEL};
	cyc_time_t when = {0, INTERVAL};
	int i;

	own.fires = own.tried = 0;
	when.cyt_when = gethrtime() + 10 * INTERVAL;
	own.id = cyclic_add(&h, &when);
	SCT_NE(own.id, CYCLIC_NONE);
	for (i = 0; i < 100 && own.fires < 3; i++)
		delay(drv_usectohz(10000));
	cyclic_remove(own.id);
	SCT_EQ(own.tried, 1);
	SCT_GE(own.fires, 3);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 1);
}

/*
 * cyclic_remove while a low-level one-shot handler reprograms its own
 * cyclic: nothing fires after the remove returned (a timer the handler
 * restarted behind the remove's cancel would fire on freed memory; the
 * model's kfree reports freeing an armed timer). The handler busy-runs
 * 1 ms per call, and the remove comes from a thread on another CPU than
 * the cyclic's, so that it lands inside a call; 10 rounds.
 */
static struct {
	cyclic_id_t id;
	volatile uint32_t fires, at_remove, moved;
	int cpu;
} rep;

static void rep_fire(void *arg)
{
	hrtime_t until = gethrtime() + 1000000;

	atomic_inc_32(&rep.fires);
	while (gethrtime() < until)
		;
	(void)cyclic_reprogram(rep.id, gethrtime() + 100000);
}

static void rep_remover(void *arg, int index)
{
	int i, moves = 0;

	for (;;) {
		kpreempt_disable();
		if (sctest_cpu_id() != rep.cpu || moves++ == 100)
			break;
		kpreempt_enable();
		sctest_sleep_ms(1); /* woken where a CPU is free */
	}
	SCTEST_STORE(rep.moved, sctest_cpu_id() != rep.cpu);
	kpreempt_enable();
	for (i = 0; i < 200 && SCTEST_LOAD(rep.fires) < 3; i++)
		sctest_sleep_ms(5);
	cyclic_remove(rep.id);
	SCTEST_STORE(rep.at_remove, SCTEST_LOAD(rep.fires));
}

SCTEST_CASE(cyclic, remove_while_handler_reprograms)
{
	cyc_handler_t h = {rep_fire, NULL, CY_LOW_LEVEL};
	cyc_time_t when = {0, CY_INFINITY};
	uint32_t later, short_rounds = 0, unmoved = 0;
	unsigned long stale = solcompat_misuse_count(SOLCOMPAT_MISUSE_ARGUMENT);
	int round;

	if (sctest_ncpus() < 2)
		SCT_SKIP("needs a second CPU for the remover");
	for (round = 0; round < 10; round++) {
		rep.fires = rep.at_remove = rep.moved = 0;
		when.cyt_when = gethrtime() + 10 * INTERVAL;
		kpreempt_disable();
		rep.cpu = sctest_cpu_id(); /* where the add pins it, mostly */
		kpreempt_enable();
		rep.id = cyclic_add(&h, &when);
		SCT_NE(rep.id, CYCLIC_NONE);
		if (sctest_threads_start(1, rep_remover, NULL)) {
			cyclic_remove(rep.id);
			SCT_SKIP("runner cannot start threads");
		}
		sctest_threads_join();
		if (rep.at_remove < 3)
			short_rounds++;
		if (!rep.moved)
			unmoved++;
		delay(drv_usectohz(10000));
		later = SCTEST_LOAD(rep.fires);
		SCT_EQ(later, rep.at_remove);
	}
	SCT_EQ(short_rounds, 0);
	SCT_LT(unmoved, 10);
	/* Its reprograms during the remove got 0, with no report. */
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_ARGUMENT), stale);
}

/*
 * Reprogrammed from elsewhere while it fires: a periodic LOCK-level
 * cyclic (a soft timer, whose callback an interrupt may land in anywhere)
 * that a thread on another CPU keeps reprogramming, each cross-call an
 * interrupt on the cyclic's CPU, each due at once. One that landed in the
 * callback before it marked itself running used to start the timer there:
 * the callback's hrtimer_forward_now then found it queued (the kernel
 * warns, the model reports it) and dropped the firing. Every reprogram
 * returns 1 and the cyclic fires.
 */
static struct {
	cyclic_id_t id;
	volatile uint32_t fires, stop, calls, bad;
} rf;

static void rf_fire(void *arg)
{
	atomic_inc_32(&rf.fires);
}

static void rf_reprogrammer(void *arg, int index)
{
	while (!SCTEST_LOAD(rf.stop)) {
		/* Due at once: the callback runs as the next ones land. */
		if (cyclic_reprogram(rf.id, gethrtime()) != 1)
			atomic_inc_32(&rf.bad);
		atomic_inc_32(&rf.calls);
		sctest_sleep_ms(1); /* let its CPU run other work too */
	}
}

SCTEST_CASE(cyclic, reprogram_from_elsewhere_while_firing)
{
	cyc_handler_t h = {rf_fire, NULL, CY_LOCK_LEVEL};
	cyc_time_t when = {0, INTERVAL / 4};
	uint32_t fires;

	if (sctest_ncpus() < 2)
		SCT_SKIP("needs a second CPU for the reprogrammer");
	rf.fires = rf.stop = rf.calls = rf.bad = 0;
	rf.id = cyclic_add(&h, &when);
	SCT_NE(rf.id, CYCLIC_NONE);
	if (sctest_threads_start(1, rf_reprogrammer, NULL)) {
		cyclic_remove(rf.id);
		SCT_SKIP("runner cannot start threads");
	}
	delay(drv_usectohz(300000));
	SCTEST_STORE(rf.stop, 1);
	sctest_threads_join();
	fires = SCTEST_LOAD(rf.fires);
	cyclic_remove(rf.id);
	SCT_GT(rf.calls, 0);
	SCT_EQ(rf.bad, 0);
	SCT_GT(fires, 0);
}

/*
 * A plain cyclic whose CPU goes offline: Linux hands its armed timer to
 * another CPU, where it keeps firing; a one-shot that had fired (idle,
 * its CPU gone) is started again by a reprogram, on the caller's CPU.
 * Both are added on the highest online CPU but 0 (the boot CPU stays
 * online on x86), from a thread the runner binds there.
 */
static struct fire_log off_log, shot_log;
static volatile int off_last_cpu;
static cyclic_id_t off_pid, off_sid;
static int off_added_on;

static void off_fire(void *arg)
{
	SCTEST_STORE(off_last_cpu, sctest_cpu_id());
	fire(arg);
}

static void off_add(void *arg)
{
	cyc_handler_t per = {off_fire, &off_log, CY_HIGH_LEVEL};
	cyc_handler_t shot = {fire, &shot_log, CY_HIGH_LEVEL};
	cyc_time_t pwhen = {0, INTERVAL}, swhen = {0, CY_INFINITY};

	kpreempt_disable();
	off_added_on = sctest_cpu_id();
	kpreempt_enable();
	swhen.cyt_when = gethrtime() + INTERVAL;
	off_pid = cyclic_add(&per, &pwhen);
	off_sid = cyclic_add(&shot, &swhen);
}

SCTEST_CASE(cyclic, plain_cyclic_survives_its_cpu_going_offline)
{
	uint32_t before, after, first, second;
	int cpu, target = -1, down, up, reprogrammed, cpu_while_off;
	cpuset_t set;

	CPUSET_ALL(set);
	for (cpu = NCPU - 1; cpu > 0 && target < 0; cpu--)
		if (CPU_IN_SET(set, cpu))
			target = cpu;
	if (target < 0)
		SCT_SKIP("one CPU online: nothing to take offline");
	__builtin_memset((void *)&off_log, 0, sizeof(off_log));
	__builtin_memset((void *)&shot_log, 0, sizeof(shot_log));
	off_log.level = shot_log.level = CY_HIGH_LEVEL;
	off_pid = off_sid = CYCLIC_NONE;
	if (sctest_run_on_cpu(target, off_add, NULL))
		SCT_SKIP(
			"the runner cannot run a thread on a chosen CPU (the model)");
	SCT_NE(off_pid, CYCLIC_NONE);
	SCT_NE(off_sid, CYCLIC_NONE);
	first = wait_for_fires(&shot_log, 1);
	down = sctest_cpu_set_online(target, 0);
	if (down != 0) {
		cyclic_remove(off_pid);
		cyclic_remove(off_sid);
		SCT_SKIP(
			"the runner cannot take a CPU offline here (kernel: load solcompat_test with hotplug=1)");
	}
	before = SCTEST_LOAD(off_log.fires);
	delay(drv_usectohz(20000));
	after = SCTEST_LOAD(off_log.fires);
	cpu_while_off = SCTEST_LOAD(off_last_cpu);
	reprogrammed = cyclic_reprogram(off_sid, gethrtime() + INTERVAL);
	second = wait_for_fires(&shot_log, 2);
	up = sctest_cpu_set_online(target, 1);
	cyclic_remove(off_pid);
	cyclic_remove(off_sid);
	SCT_EQ(up, 0);
	SCT_EQ(off_added_on, target);
	SCT_EQ(first, 1);
	SCT_GT(after, before);
	SCT_NE(cpu_while_off, target);
	SCT_EQ(reprogrammed, 1);
	SCT_EQ(second, 2);
	SCT_EQ(off_log.overlaps, 0);
}

SCTEST_CASE(cyclic, add_refused_outside_process)
{
	unsigned long n = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	cyc_handler_t h = { fire, NULL, CY_HIGH_LEVEL };
	cyc_time_t when = { 0, INTERVAL };

	SCT_EQ(cyclic_add(&h, &when), CYCLIC_NONE);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 1);
	SCT_EQ(cyclic_juggle(CPU), 1);
}

/*
 * What illumos would refuse (an ASSERT there) is reported and refused,
 * one report each: no function, unknown levels, a negative start, an
 * interval that is not positive, an omni cyclic without cyo_online. An
 * omni cyclic whose cyo_online fills in an interval of 0 is added, with
 * one report per online CPU, and no CPU fires or gets cyo_offline. A
 * second cyclic_remove of an id, and an id cyclic_add never returned,
 * are reported and touch nothing.
 */
static volatile uint32_t bad_omni_online, bad_omni_offline;

static void bad_omni_on(void *arg, cpu_t *c, cyc_handler_t *h, cyc_time_t *when)
{
	h->cyh_func = fire;
	h->cyh_arg = arg;
	h->cyh_level = CY_HIGH_LEVEL;
	when->cyt_when = 0;
	when->cyt_interval = 0;
	atomic_inc_32(&bad_omni_online);
}

static void bad_omni_off(void *arg, cpu_t *c, void *harg)
{
	atomic_inc_32(&bad_omni_offline);
}

SCTEST_CASE(cyclic, bad_arguments_reported_and_refused)
{
	unsigned long n = solcompat_misuse_count(SOLCOMPAT_MISUSE_ARGUMENT);
	struct fire_log log = {0};
	cyc_handler_t good = {fire, &log, CY_HIGH_LEVEL};
	cyc_handler_t no_func = {NULL, &log, CY_HIGH_LEVEL};
	cyc_handler_t level3 = {fire, &log, 3};
	cyc_handler_t level_neg = {fire, &log, -1};
	cyc_time_t when = {0, INTERVAL};
	cyc_time_t zero = {0, 0}, neg = {0, -INTERVAL};
	cyc_time_t before0 = {-1, INTERVAL};
	cyc_omni_handler_t no_online = {NULL, bad_omni_off, &log};
	cyc_omni_handler_t bad_time = {bad_omni_on, bad_omni_off, &log};
	cyclic_id_t id, omni, other;
	uint32_t fires, still;
	int reprogrammed;

	log.level = CY_HIGH_LEVEL;
	bad_omni_online = bad_omni_offline = 0;
	SCT_EQ(cyclic_add(&no_func, &when), CYCLIC_NONE);
	SCT_EQ(cyclic_add(&level3, &when), CYCLIC_NONE);
	SCT_EQ(cyclic_add(&level_neg, &when), CYCLIC_NONE);
	SCT_EQ(cyclic_add(&good, &zero), CYCLIC_NONE);
	SCT_EQ(cyclic_add(&good, &neg), CYCLIC_NONE);
	SCT_EQ(cyclic_add(&good, &before0), CYCLIC_NONE);
	SCT_EQ(cyclic_add_omni(&no_online), CYCLIC_NONE);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_ARGUMENT), n + 7);

	omni = cyclic_add_omni(&bad_time);
	SCT_NE(omni, CYCLIC_NONE);
	delay(drv_usectohz(20000));
	cyclic_remove(omni);
	SCT_EQ(bad_omni_online, (uint32_t)ncpus);
	SCT_EQ(bad_omni_offline, 0);
	SCT_EQ(log.fires, 0);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_ARGUMENT),
	       n + 7 + ncpus);

	/*
	 * A stale id after another cyclic was added (which may get the same
	 * memory): removing or reprogramming it again is reported and leaves
	 * the other cyclic alone; so is an id nobody was given.
	 */
	id = cyclic_add(&good, &when);
	SCT_NE(id, CYCLIC_NONE);
	cyclic_remove(id);
	other = cyclic_add(&good, &when);
	SCT_NE(other, CYCLIC_NONE);
	cyclic_remove(id);
	reprogrammed = cyclic_reprogram(id, gethrtime());
	cyclic_remove(3); /* a small number, as a confused caller's */
	cyclic_remove(other + 1000); /* not given yet */
	fires = log.fires;
	delay(drv_usectohz(20000));
	still = log.fires - fires;
	cyclic_remove(other);
	SCT_EQ(reprogrammed, 0);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_ARGUMENT),
	       n + 11 + ncpus);
	SCT_GT(still, 0); /* the other cyclic was not removed */
}

SCTEST_FAMILY(
	cyclic,
	SCTEST_ENTRY(cyclic, high_level_rate_and_remove, SCTEST_PROCESS),
	SCTEST_ENTRY(cyclic, low_level_runs_in_process_context, SCTEST_PROCESS),
	SCTEST_ENTRY(cyclic, lock_level_rate_and_level, SCTEST_PROCESS),
	SCTEST_ENTRY(cyclic, one_shot_and_reprogram, SCTEST_PROCESS),
	SCTEST_ENTRY(cyclic, dormant_one_shot_waits_for_reprogram,
		     SCTEST_PROCESS),
	SCTEST_ENTRY(cyclic, high_level_10khz_accuracy, SCTEST_PROCESS),
	SCTEST_ENTRY(cyclic, omni_per_cpu, SCTEST_PROCESS),
	SCTEST_ENTRY(cyclic, omni_follows_cpu_hotplug, SCTEST_PROCESS),
	SCTEST_ENTRY(cyclic, plain_cyclic_survives_its_cpu_going_offline,
		     SCTEST_PROCESS),
	SCTEST_ENTRY(cyclic, remove_from_own_handler_refused, SCTEST_PROCESS),
	SCTEST_ENTRY(cyclic, remove_while_handler_reprograms, SCTEST_PROCESS),
	SCTEST_ENTRY(cyclic, reprogram_from_elsewhere_while_firing,
		     SCTEST_PROCESS),
	SCTEST_ENTRY(cyclic, bad_arguments_reported_and_refused,
		     SCTEST_PROCESS),
	SCTEST_ENTRY(cyclic, add_refused_outside_process,
		     SCTEST_ATOMIC | SCTEST_HARDIRQ));
