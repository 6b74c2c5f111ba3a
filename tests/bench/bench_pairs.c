// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark loops both worlds run: each solcompat primitive and the
 * Linux primitive it stands for. In solcompat_bench.ko (bench_kmod.c adds
 * the kernel-only pairs) the native side is Linux itself; in the model
 * benchmark (model_bench.cc) it is the model's stand-in (a mutex_lock that
 * checks the context rules, a kmalloc on the C heap), so there the ratios
 * say what the porting layer adds on top of the same foundation.
 *
 * Kernel-only, for want of a model stand-in: rw_semaphore, counting
 * semaphores, completions, workqueues' flush and Linux slab caches.
 */
#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/types.h>

#include <impl/kmem.h>
#include <impl/mutex.h>
#include <impl/spl.h>
#include <impl/time.h>

#include "bench_pairs.h"

static volatile u64 sink;
static solcompat_kmutex_t adaptive_mx, spin_mx;
static DEFINE_MUTEX(native_mutex);
static DEFINE_RAW_SPINLOCK(native_raw);

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

static void mutex_ours(unsigned int n)
{
	while (n--) {
		solcompat_mutex_enter(&adaptive_mx);
		solcompat_mutex_exit(&adaptive_mx);
	}
}

static void mutex_native(unsigned int n)
{
	while (n--) {
		mutex_lock(&native_mutex);
		mutex_unlock(&native_mutex);
	}
}

static void raw_native(unsigned int n)
{
	while (n--) {
		raw_spin_lock(&native_raw);
		raw_spin_unlock(&native_raw);
	}
}

static void spin_ours(unsigned int n)
{
	while (n--) {
		solcompat_mutex_enter(&spin_mx);
		solcompat_mutex_exit(&spin_mx);
	}
}

static void spin_native(unsigned int n)
{
	unsigned long flags;

	while (n--) {
		raw_spin_lock_irqsave(&native_raw, flags);
		raw_spin_unlock_irqrestore(&native_raw, flags);
	}
}

static void kmem_ours(unsigned int n)
{
	while (n--)
		solcompat_kmem_free(
			solcompat_kmem_alloc_sized(64, SOLCOMPAT_KM_SLEEP, 0),
			64);
}

static void kmem_native(unsigned int n)
{
	while (n--)
		kfree(kmalloc(64, GFP_KERNEL));
}

static void kmem_nosleep_ours(unsigned int n)
{
	while (n--)
		solcompat_kmem_free(
			solcompat_kmem_alloc_sized(64, SOLCOMPAT_KM_NOSLEEP, 0),
			64);
}

static void kmem_atomic_native(unsigned int n)
{
	while (n--)
		kfree(kmalloc(64, GFP_ATOMIC));
}

static void hrtime_ours(unsigned int n)
{
	while (n--)
		sink += solcompat_gethrtime();
}

static void hrtime_native(unsigned int n)
{
	while (n--)
		sink += ktime_get_mono_fast_ns();
}

const struct bench_pair bench_pairs[] = {
	{ "splhigh+splx vs local_irq_save+restore", spl_ours, spl_native },
	{ "dtrace_interrupt_disable+enable vs local_irq_save+restore",
	  cookie_ours, spl_native },
	{ "mutex_enter+exit (adaptive) vs mutex_lock+unlock", mutex_ours,
	  mutex_native },
	{ "mutex_enter+exit (adaptive) vs raw_spin_lock+unlock", mutex_ours,
	  raw_native },
	{ "mutex_enter+exit (MUTEX_SPIN) vs raw_spin_lock_irqsave+restore",
	  spin_ours, spin_native },
	{ "kmem_alloc+free(64, KM_SLEEP) vs kmalloc+kfree(GFP_KERNEL)",
	  kmem_ours, kmem_native },
	{ "kmem_alloc+free(64, KM_NOSLEEP) vs kmalloc+kfree(GFP_ATOMIC)",
	  kmem_nosleep_ours, kmem_atomic_native },
	{ "gethrtime vs ktime_get_mono_fast_ns", hrtime_ours, hrtime_native },
};
const unsigned int bench_npairs = ARRAY_SIZE(bench_pairs);

void bench_pairs_setup(void)
{
	solcompat_mutex_init(&adaptive_mx, "bench", SOLCOMPAT_MUTEX_ADAPTIVE,
			     NULL);
	solcompat_mutex_init(&spin_mx, "bench_spin", SOLCOMPAT_MUTEX_SPIN, NULL);
}

void bench_pairs_teardown(void)
{
	solcompat_mutex_destroy(&spin_mx);
	solcompat_mutex_destroy(&adaptive_mx);
}
