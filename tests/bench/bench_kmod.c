// SPDX-License-Identifier: GPL-2.0
/*
 * solcompat_bench.ko: speed of solcompat primitives as ratios against the
 * native Linux primitive measured in the same boot, same CPU, same loop.
 * Not a test: it prints numbers (KTAP lines, all "ok", with the figures
 * in the description) and asserts nothing about them. Run it with
 * tools/bench.sh; under QEMU TCG absolute times are emulation times, the
 * ratios are what to read.
 *
 * Each measurement runs the loop BENCH_ROUNDS times and keeps the fastest
 * round (the least disturbed by the emulator and other vCPUs).
 */
#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include <impl/spl.h>
#include <impl/taskq.h>
#include <impl/time.h>
#include <impl/xcall.h>

#define BENCH_ROUNDS 5

struct bench {
	const char *name;
	unsigned int iterations;
	void (*ours)(unsigned int n);
	void (*native)(unsigned int n);
};

static volatile u64 sink;

static void spl_ours(unsigned int n)
{
	while (n--)
		solcompat_splx(solcompat_splr(15));
}

static void spl_native(unsigned int n)
{
	unsigned long flags;

	while (n--) {
		local_irq_save(flags);
		local_irq_restore(flags);
	}
}

static void cookie_ours(unsigned int n)
{
	while (n--)
		solcompat_interrupt_enable(solcompat_interrupt_disable());
}

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

static const struct bench benches[] = {
	{ "splhigh+splx vs local_irq_save+restore", 200000, spl_ours,
	  spl_native },
	{ "dtrace_interrupt_disable+enable vs local_irq_save+restore", 200000,
	  cookie_ours, spl_native },
	{ "gethrtime vs ktime_get_ns", 200000, hrtime_ours, hrtime_native },
	{ "xc_call(all CPUs) vs on_each_cpu(wait)", 2000, xcall_ours,
	  xcall_native },
	{ "taskq_dispatch+wait vs queue_work+flush", 20000, taskq_ours,
	  taskq_native },
};

static u64 best_ns(void (*fn)(unsigned int), unsigned int n)
{
	u64 best = U64_MAX;
	int r;

	for (r = 0; r < BENCH_ROUNDS; r++) {
		u64 t0 = ktime_get_ns(), t;

		fn(n);
		t = ktime_get_ns() - t0;
		if (t < best)
			best = t;
	}
	return best;
}

static int __init bench_init(void)
{
	unsigned int i;

	bench_wq = alloc_workqueue("solcompat_bench", 0, 0);
	if (!bench_wq)
		return -ENOMEM;
	pr_info("KTAP version 1\n");
	pr_info("1..%zu\n", ARRAY_SIZE(benches));
	for (i = 0; i < ARRAY_SIZE(benches); i++) {
		const struct bench *b = &benches[i];
		u64 ours = best_ns(b->ours, b->iterations);
		u64 native = best_ns(b->native, b->iterations);
		u64 ratio_x100 = native ? div64_u64(ours * 100, native) : 0;

		pr_info("ok %u bench.%u # %s: %llu vs %llu ps/op, ratio %llu.%02llu\n",
			i + 1, i + 1, b->name,
			div64_u64(ours * 1000, b->iterations),
			div64_u64(native * 1000, b->iterations), ratio_x100 / 100,
			ratio_x100 % 100);
	}
	destroy_workqueue(bench_wq);
	return 0;
}

static void __exit bench_exit(void)
{
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("solcompat benchmarks: ratios against native Linux primitives");
