// SPDX-License-Identifier: GPL-2.0
/*
 * solcompat_bench.ko: speed of solcompat primitives as ratios against the
 * native Linux primitive measured in the same boot, same CPU, same loop.
 * Not a test: it prints numbers (KTAP lines, all "ok", with the figures
 * in the description) and asserts nothing about them. Run it with
 * tools/bench.sh; under QEMU TCG absolute times are emulation times, the
 * ratios are what to read.
 *
 * Each measurement runs the two loops of a pair BENCH_ROUNDS times each,
 * alternating, and keeps each one's fastest round (the least disturbed by
 * the emulator and other vCPUs).
 */
#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <linux/irqflags.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/rwsem.h>
#include <linux/semaphore.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include <impl/condvar.h>
#include <impl/cyclic.h>
#include <impl/kmem.h>
#include <impl/mutex.h>
#include <impl/rwlock.h>
#include <impl/sema.h>
#include <impl/spl.h>
#include <impl/taskq.h>
#include <impl/time.h>
#include <impl/xcall.h>

#include "bench_pairs.h"

#define BENCH_ROUNDS 9
/* Operations per round for the pairs both worlds share (bench_pairs.c). */
#define BENCH_PAIR_ITERATIONS 200000

struct bench {
	const char *name;
	unsigned int iterations;
	void (*ours)(unsigned int n);
	void (*native)(unsigned int n);
};

static volatile u64 sink;




static void hrtime_ours(unsigned int n)
{
	while (n--)
		sink += solcompat_gethrtime();
}

static void hrtime_native(unsigned int n)
{
	while (n--)
		sink += ktime_get_ns();
}


static int xc_nop(solcompat_xc_arg_t a, solcompat_xc_arg_t b,
		  solcompat_xc_arg_t c)
{
	return 0;
}

static void on_each_nop(void *arg)
{
}

static void xcall_ours(unsigned int n)
{
	solcompat_cpuset_t set;

	solcompat_cpuset_online(&set);
	while (n--)
		solcompat_xcall(&set, xc_nop, 0, 0, 0);
}

static void xcall_native(unsigned int n)
{
	while (n--)
		on_each_cpu(on_each_nop, NULL, 1);
}

/* One other CPU: dtrace_xcall(cpu) vs smp_call_function_single(wait). */
static int bench_other_cpu(void)
{
	int cpu, self = raw_smp_processor_id();

	for_each_online_cpu(cpu)
		if (cpu != self)
			return cpu;
	return self;
}

static void xcall_one_ours(unsigned int n)
{
	solcompat_cpuset_t set = { { 0 } };
	int cpu;

	preempt_disable();
	cpu = bench_other_cpu();
	set.words[cpu / 64] |= 1UL << (cpu % 64);
	while (n--)
		solcompat_xcall(&set, xc_nop, 0, 0, 0);
	preempt_enable();
}

static void xcall_one_native(unsigned int n)
{
	int cpu;

	preempt_disable();
	cpu = bench_other_cpu();
	while (n--)
		smp_call_function_single(cpu, on_each_nop, NULL, 1);
	preempt_enable();
}

static void task_nop(void *arg)
{
}

static void taskq_ours(unsigned int n)
{
	solcompat_taskq_t *tq = solcompat_system_taskq();

	while (n--)
		solcompat_taskq_dispatch(tq, task_nop, NULL, 0);
	solcompat_taskq_wait(tq);
}

static void work_nop(struct work_struct *w)
{
}

static struct workqueue_struct *bench_wq;

static void taskq_native(unsigned int n)
{
	static struct work_struct works[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(works); i++)
		INIT_WORK(&works[i], work_nop);
	while (n) {
		for (i = 0; i < ARRAY_SIZE(works) && n; i++, n--)
			queue_work(bench_wq, &works[i]);
		flush_workqueue(bench_wq);
	}
}

/* Locks, uncontended: the fast paths. */







static solcompat_krwlock_t bench_rw;
static DECLARE_RWSEM(native_rwsem);

static void rw_read_ours(unsigned int n)
{
	while (n--) {
		solcompat_rw_enter(&bench_rw, SOLCOMPAT_RW_READER);
		solcompat_rw_exit(&bench_rw);
	}
}

static void rw_read_native(unsigned int n)
{
	while (n--) {
		down_read(&native_rwsem);
		up_read(&native_rwsem);
	}
}

static void rw_write_ours(unsigned int n)
{
	while (n--) {
		solcompat_rw_enter(&bench_rw, SOLCOMPAT_RW_WRITER);
		solcompat_rw_exit(&bench_rw);
	}
}

static void rw_write_native(unsigned int n)
{
	while (n--) {
		down_write(&native_rwsem);
		up_write(&native_rwsem);
	}
}

static solcompat_ksema_t bench_sema;
/* sema_init: DEFINE_SEMAPHORE gained a count argument in 6.4. */
static struct semaphore native_sema;

static void sema_ours(unsigned int n)
{
	while (n--) {
		solcompat_sema_p(&bench_sema);
		solcompat_sema_v(&bench_sema);
	}
}

static void sema_native(unsigned int n)
{
	while (n--) {
		down(&native_sema);
		up(&native_sema);
	}
}

/*
 * Wake-ups: a ping-pong between this thread and a kthread, n round trips.
 * Ours: a flag under an adaptive mutex with a condition variable each way;
 * native: a completion each way.
 */
static solcompat_kmutex_t cv_mx;
static solcompat_kcondvar_t cv_ping, cv_pong;
static int cv_turn; /* 0: the kthread's turn to answer; protected by cv_mx */
static unsigned int pp_rounds;
static struct completion c_ping, c_pong;

static int cv_partner(void *arg)
{
	unsigned int i;

	for (i = 0; i < pp_rounds; i++) {
		solcompat_mutex_enter(&cv_mx);
		while (cv_turn != 1)
			solcompat_cv_wait(&cv_ping, &cv_mx);
		cv_turn = 0;
		solcompat_cv_signal(&cv_pong);
		solcompat_mutex_exit(&cv_mx);
	}
	return 0;
}

static void cv_ours(unsigned int n)
{
	struct task_struct *t;
	unsigned int i;

	pp_rounds = n;
	cv_turn = 0;
	t = kthread_run(cv_partner, NULL, "bench_cv");
	if (IS_ERR(t))
		return;
	for (i = 0; i < n; i++) {
		solcompat_mutex_enter(&cv_mx);
		cv_turn = 1;
		solcompat_cv_signal(&cv_ping);
		while (cv_turn != 0)
			solcompat_cv_wait(&cv_pong, &cv_mx);
		solcompat_mutex_exit(&cv_mx);
	}
}

static int completion_partner(void *arg)
{
	unsigned int i;

	for (i = 0; i < pp_rounds; i++) {
		wait_for_completion(&c_ping);
		complete(&c_pong);
	}
	return 0;
}

static void completion_native(unsigned int n)
{
	struct task_struct *t;
	unsigned int i;

	pp_rounds = n;
	init_completion(&c_ping);
	init_completion(&c_pong);
	t = kthread_run(completion_partner, NULL, "bench_completion");
	if (IS_ERR(t))
		return;
	for (i = 0; i < n; i++) {
		complete(&c_ping);
		wait_for_completion(&c_pong);
	}
}

/* Memory: 64-byte blocks and a 64-byte object cache. */




static solcompat_kmem_cache_t *bench_cache;
static struct kmem_cache *native_cache;

static void cache_ours(unsigned int n)
{
	while (n--)
		solcompat_kmem_cache_free(
			bench_cache,
			solcompat_kmem_cache_alloc(bench_cache, SOLCOMPAT_KM_SLEEP));
}

static void cache_native(unsigned int n)
{
	while (n--)
		kmem_cache_free(native_cache,
				kmem_cache_alloc(native_cache, GFP_KERNEL));
}

/*
 * The native kmem loop passes kmalloc a constant size, which Linux turns
 * into a direct call on the right cache; kmem_alloc cannot (its size is an
 * argument). This pair measures that part of the kmem ratio alone.
 */
static volatile size_t kmalloc_var_size = 64;

static void kmalloc_var(unsigned int n)
{
	while (n--)
		kfree(kmalloc(kmalloc_var_size, GFP_KERNEL));
}

/* The same through kmem's general entry (the size not a constant). */
static void kmem_var(unsigned int n)
{
	size_t size;

	while (n--) {
		size = kmalloc_var_size;
		solcompat_kmem_free(
			solcompat_kmem_alloc(size, SOLCOMPAT_KM_SLEEP), size);
	}
}

static void kmalloc_const(unsigned int n)
{
	while (n--)
		kfree(kmalloc(64, GFP_KERNEL));
}

/*
 * kmem_zalloc+kmem_free against kzalloc+kfree at several sizes. The native
 * side gets the size as a constant, as code written for Linux would.
 */
#define ZALLOC_PAIR(size)                                                      \
	static void zalloc_ours_##size(unsigned int n)                         \
	{                                                                      \
		while (n--)                                                    \
			solcompat_kmem_free(                                   \
				solcompat_kmem_alloc_sized(                    \
					size, SOLCOMPAT_KM_SLEEP, 1),          \
				size);                                         \
	}                                                                      \
	static void zalloc_native_##size(unsigned int n)                       \
	{                                                                      \
		while (n--)                                                    \
			kfree(kzalloc(size, GFP_KERNEL));                      \
	}
ZALLOC_PAIR(64)
ZALLOC_PAIR(256)
ZALLOC_PAIR(1024)
ZALLOC_PAIR(4096)

/*
 * The kmem ratio split in its two halves: each pair below differs from
 * kmalloc(64)+kfree in one call only.
 */
static void kmem_alloc_half(unsigned int n)
{
	while (n--)
		kfree(solcompat_kmem_alloc_sized(64, SOLCOMPAT_KM_SLEEP, 0));
}

static void kmem_free_half(unsigned int n)
{
	while (n--)
		solcompat_kmem_free(kmalloc(64, GFP_KERNEL), 64);
}

/* kmem_free's fast path ends in kvfree: its share of the free half. */
static void kvfree_half(unsigned int n)
{
	while (n--)
		kvfree(kmalloc(64, GFP_KERNEL));
}

static const struct bench benches[] = {
	{ "gethrtime vs ktime_get_ns", 200000, hrtime_ours, hrtime_native },
	{ "xc_call(all CPUs) vs on_each_cpu(wait)", 2000, xcall_ours,
	  xcall_native },
	{ "xc_call(one other CPU) vs smp_call_function_single(wait)", 2000,
	  xcall_one_ours, xcall_one_native },
	{ "taskq_dispatch+wait vs queue_work+flush", 20000, taskq_ours,
	  taskq_native },
	{ "rw_enter(RW_READER)+exit vs down_read+up_read", 200000,
	  rw_read_ours, rw_read_native },
	{ "rw_enter(RW_WRITER)+exit vs down_write+up_write", 200000,
	  rw_write_ours, rw_write_native },
	{ "sema_p+sema_v vs down+up", 200000, sema_ours, sema_native },
	{ "cv_signal+cv_wait ping-pong vs completion ping-pong", 2000, cv_ours,
	  completion_native },
	{ "kmalloc+kfree(size in a variable) vs kmalloc+kfree(64)", 200000,
	  kmalloc_var, kmalloc_const },
	{ "kmem_alloc+free(size in a variable) vs kmalloc+kfree(the same)",
	  200000, kmem_var, kmalloc_var },
	{ "kmem_alloc(64, KM_SLEEP)+kfree vs kmalloc+kfree(64)", 200000,
	  kmem_alloc_half, kmalloc_const },
	{ "kmalloc(64)+kmem_free vs kmalloc+kfree(64)", 200000,
	  kmem_free_half, kmalloc_const },
	{ "kmalloc(64)+kvfree vs kmalloc+kfree(64)", 200000, kvfree_half,
	  kmalloc_const },
	{ "kmem_zalloc+free(64, KM_SLEEP) vs kzalloc+kfree(64)", 200000,
	  zalloc_ours_64, zalloc_native_64 },
	{ "kmem_zalloc+free(256, KM_SLEEP) vs kzalloc+kfree(256)", 200000,
	  zalloc_ours_256, zalloc_native_256 },
	{ "kmem_zalloc+free(1024, KM_SLEEP) vs kzalloc+kfree(1024)", 100000,
	  zalloc_ours_1024, zalloc_native_1024 },
	{ "kmem_zalloc+free(4096, KM_SLEEP) vs kzalloc+kfree(4096)", 50000,
	  zalloc_ours_4096, zalloc_native_4096 },
	{ "kmem_cache_alloc+free vs slab kmem_cache_alloc+free", 200000,
	  cache_ours, cache_native },
};

/*
 * Timer dispatch: how late a CY_HIGH_LEVEL cyclic's handler runs after its
 * scheduled time, against a bare hard hrtimer's callback after its expiry
 * (both 1 kHz on the calling CPU, the mean over TIMER_FIRINGS firings).
 * The difference is the cyclic layer's dispatch before the handler.
 */
#define TIMER_FIRINGS 500
#define TIMER_INTERVAL_NS 1000000

static struct {
	u64 first;	/* the first scheduled time */
	u64 lateness;	/* summed, ns */
	unsigned int count;
	struct completion done;
	struct hrtimer timer;
} tl;

static void tl_cyclic(void *arg)
{
	u64 now = solcompat_gethrtime();
	u64 due = tl.first + (u64)tl.count * TIMER_INTERVAL_NS;

	if (tl.count >= TIMER_FIRINGS)
		return;
	tl.lateness += now > due ? now - due : 0;
	if (++tl.count == TIMER_FIRINGS)
		complete(&tl.done);
}

static enum hrtimer_restart tl_hrtimer(struct hrtimer *t)
{
	u64 now = ktime_get_ns();
	u64 due = ktime_to_ns(hrtimer_get_expires(t));

	tl.lateness += now > due ? now - due : 0;
	if (++tl.count == TIMER_FIRINGS) {
		complete(&tl.done);
		return HRTIMER_NORESTART;
	}
	hrtimer_forward(t, hrtimer_get_expires(t), ns_to_ktime(TIMER_INTERVAL_NS));
	return HRTIMER_RESTART;
}

static u64 timer_lateness_ours(void)
{
	solcompat_cyc_handler_t h = { tl_cyclic, NULL, SOLCOMPAT_CY_HIGH_LEVEL };
	solcompat_cyc_time_t when;
	solcompat_cyclic_id_t id;

	tl.lateness = 0;
	tl.count = 0;
	init_completion(&tl.done);
	tl.first = solcompat_gethrtime() + TIMER_INTERVAL_NS;
	when.cyt_when = tl.first;
	when.cyt_interval = TIMER_INTERVAL_NS;
	id = solcompat_cyclic_add(&h, &when);
	wait_for_completion(&tl.done);
	solcompat_cyclic_remove(id);
	return div64_u64(tl.lateness, TIMER_FIRINGS);
}

static u64 timer_lateness_native(void)
{
	tl.lateness = 0;
	tl.count = 0;
	init_completion(&tl.done);
	hrtimer_init(&tl.timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_PINNED_HARD);
	tl.timer.function = tl_hrtimer;
	hrtimer_start(&tl.timer, ns_to_ktime(ktime_get_ns() + TIMER_INTERVAL_NS),
		      HRTIMER_MODE_ABS_PINNED_HARD);
	wait_for_completion(&tl.done);
	hrtimer_cancel(&tl.timer);
	return div64_u64(tl.lateness, TIMER_FIRINGS);
}

static u64 round_ns(void (*fn)(unsigned int), unsigned int n)
{
	u64 t0 = ktime_get_ns();

	fn(n);
	return ktime_get_ns() - t0;
}

/*
 * The fastest of BENCH_ROUNDS rounds of each loop, the rounds of the two
 * alternating (ours, native, ours, ...), so that a slow spell of the
 * emulator or of the other vCPU falls on both sides rather than on one.
 */
static void best_pair_ns(void (*ours_fn)(unsigned int),
			 void (*native_fn)(unsigned int), unsigned int n,
			 u64 *ours, u64 *native)
{
	int r;

	*ours = U64_MAX;
	*native = U64_MAX;
	for (r = 0; r < BENCH_ROUNDS; r++) {
		*ours = min(*ours, round_ns(ours_fn, n));
		*native = min(*native, round_ns(native_fn, n));
	}
}

/*
 * Probe costs, driven from the guest by tests/bench/probe_bench.sh, which
 * times each step with the same clock and loop:
 *   call_empty=N   call bench_empty() N times (the baseline; with kp_arm=1
 *                  an empty kprobe handler runs on each call; with an fbt
 *                  entry probe enabled by the trace CLI, the fbt probe does)
 *   kp_arm=1|0     register / unregister that empty kprobe
 *   clock_ns       reads ktime_get_ns() (busybox's date has no %N)
 */
noinline void bench_empty(unsigned int i);
noinline void bench_empty(unsigned int i)
{
	__asm__ __volatile__("" : : "r"(i) : "memory");
}

static int bench_kp_pre(struct kprobe *p, struct pt_regs *regs)
{
	return 0;
}
NOKPROBE_SYMBOL(bench_kp_pre);

static struct kprobe bench_kp = {
	.symbol_name = "bench_empty",
	.pre_handler = bench_kp_pre,
};
static bool bench_kp_armed;

static int call_empty_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n, i;
	int err = kstrtouint(val, 0, &n);

	if (err)
		return err;
	if (n > 10000000)
		return -EINVAL;
	for (i = 0; i < n; i++)
		bench_empty(i);
	return 0;
}

static const struct kernel_param_ops call_empty_ops = {
	.set = call_empty_set,
};
module_param_cb(call_empty, &call_empty_ops, NULL, 0200);
MODULE_PARM_DESC(call_empty, "call bench_empty() this many times");

static int clock_ns_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%llu\n", ktime_get_ns());
}

static const struct kernel_param_ops clock_ns_ops = {
	.get = clock_ns_get,
};
module_param_cb(clock_ns, &clock_ns_ops, NULL, 0444);
MODULE_PARM_DESC(clock_ns, "the monotonic clock in ns, for timing from the guest");

static int kp_arm_set(const char *val, const struct kernel_param *kp)
{
	bool arm;
	int err = kstrtobool(val, &arm);

	if (err)
		return err;
	if (arm == bench_kp_armed)
		return 0;
	if (arm) {
		bench_kp.addr = NULL;
		bench_kp.flags = 0;
		err = register_kprobe(&bench_kp);
		if (err)
			return err;
	} else {
		unregister_kprobe(&bench_kp);
	}
	bench_kp_armed = arm;
	return 0;
}

static const struct kernel_param_ops kp_arm_ops = {
	.set = kp_arm_set,
};
module_param_cb(kp_arm, &kp_arm_ops, NULL, 0200);
MODULE_PARM_DESC(kp_arm, "1: an empty kprobe handler on bench_empty; 0: none");

/* One KTAP line: the best round of each loop and their ratio. */
static void bench_report(unsigned int n, const char *name,
			 void (*ours_fn)(unsigned int),
			 void (*native_fn)(unsigned int), unsigned int iterations)
{
	u64 ours, native, ratio_x100;

	best_pair_ns(ours_fn, native_fn, iterations, &ours, &native);
	ratio_x100 = native ? div64_u64(ours * 100, native) : 0;

	pr_info("ok %u bench.%u # %s: %llu vs %llu ps/op, ratio %llu.%02llu\n",
		n, n, name, div64_u64(ours * 1000, iterations),
		div64_u64(native * 1000, iterations), ratio_x100 / 100,
		ratio_x100 % 100);
}

static int __init bench_init(void)
{
	unsigned int i, n = 1;

	bench_wq = alloc_workqueue("solcompat_bench", 0, 0);
	if (!bench_wq)
		return -ENOMEM;
	solcompat_mutex_init(&cv_mx, "bench_cv", SOLCOMPAT_MUTEX_ADAPTIVE,
			     NULL);
	bench_pairs_setup();
	solcompat_rw_init(&bench_rw, "bench", SOLCOMPAT_RW_DEFAULT, NULL);
	solcompat_sema_init(&bench_sema, 1, "bench", SOLCOMPAT_SEMA_DEFAULT,
			    NULL);
	sema_init(&native_sema, 1);
	solcompat_cv_init(&cv_ping, "ping", SOLCOMPAT_CV_DEFAULT, NULL);
	solcompat_cv_init(&cv_pong, "pong", SOLCOMPAT_CV_DEFAULT, NULL);
	bench_cache = solcompat_kmem_cache_create("bench_cache", 64, 0, NULL,
						  NULL, NULL, NULL, NULL, 0);
	native_cache = kmem_cache_create("bench_native", 64, 0, 0, NULL);
	if (!bench_cache || !native_cache) {
		if (bench_cache)
			solcompat_kmem_cache_destroy(bench_cache);
		if (native_cache)
			kmem_cache_destroy(native_cache);
		destroy_workqueue(bench_wq);
		return -ENOMEM;
	}
	pr_info("KTAP version 1\n");
	pr_info("1..%zu\n", bench_npairs + ARRAY_SIZE(benches) + 1);
	for (i = 0; i < bench_npairs; i++)
		bench_report(n++, bench_pairs[i].name, bench_pairs[i].ours,
			     bench_pairs[i].native, BENCH_PAIR_ITERATIONS);
	for (i = 0; i < ARRAY_SIZE(benches); i++)
		bench_report(n++, benches[i].name, benches[i].ours,
			     benches[i].native, benches[i].iterations);
	{
		/* Each timer fires on the CPU that started it. */
		u64 ours = timer_lateness_ours();
		u64 native = timer_lateness_native();
		u64 ratio_x100;

		ratio_x100 = native ? div64_u64(ours * 100, native) : 0;
		pr_info("ok %u bench.%u # cyclic handler vs hard hrtimer callback, lateness after the scheduled time: %llu vs %llu ps/op, ratio %llu.%02llu\n",
			n, n,
			ours * 1000, native * 1000, ratio_x100 / 100,
			ratio_x100 % 100);
	}
	destroy_workqueue(bench_wq);
	solcompat_kmem_cache_destroy(bench_cache);
	kmem_cache_destroy(native_cache);
	solcompat_cv_destroy(&cv_ping);
	solcompat_cv_destroy(&cv_pong);
	solcompat_sema_destroy(&bench_sema);
	solcompat_rw_destroy(&bench_rw);
	bench_pairs_teardown();
	solcompat_mutex_destroy(&cv_mx);
	return 0;
}

static void __exit bench_exit(void)
{
	if (bench_kp_armed)
		unregister_kprobe(&bench_kp);
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("solcompat benchmarks: ratios against native Linux primitives");
