/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Set-up and tear-down of each family inside solcompat.ko, and helpers the
 * families share. Private to linux/. The helpers are inline: the
 * allocator asks about its context twice per kmem_alloc+kmem_free.
 */
#ifndef _SOLCOMPAT_LINUX_INIT_H
#define _SOLCOMPAT_LINUX_INIT_H

#include <linux/compiler.h>
#include <linux/irqflags.h>
#include <linux/kconfig.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>

int solcompat_cpu_init(void);
void solcompat_cpu_fini(void);
int solcompat_sleepq_init(void);
void solcompat_sleepq_fini(void);
int solcompat_kmem_init(void);
void solcompat_kmem_fini(void);
int solcompat_xcall_init(void);
void solcompat_xcall_fini(void);
int solcompat_cyclic_init(void);
void solcompat_cyclic_fini(void);
int solcompat_taskq_init(void);
void solcompat_taskq_fini(void);
int solcompat_trap_init(void);
void solcompat_trap_fini(void);

/* Nesting depth of probe context on this CPU (0 outside). Any context. */
DECLARE_PER_CPU(int, solcompat_probe_depth_pcpu);
static __always_inline int solcompat_probe_depth(void)
{
	return this_cpu_read(solcompat_probe_depth_pcpu);
}

/*
 * What the memory families may ask of Linux here (linux/kmem.c); the Big
 * Theory Statement there has the table. Any context.
 */
enum solcompat_mem_context {
	SOLCOMPAT_MEM_SLEEP,	/* process context: may sleep */
	SOLCOMPAT_MEM_ATOMIC,	/* no sleeping; Linux allocator and locks ok */
	SOLCOMPAT_MEM_RAW,	/* PREEMPT_RT atomic/hardirq: raw locks only */
	SOLCOMPAT_MEM_NMI,	/* NMI or probe context: lock-free code only */
};
static __always_inline enum solcompat_mem_context solcompat_mem_context(void)
{
	if (in_nmi() || solcompat_probe_depth())
		return SOLCOMPAT_MEM_NMI;
	if (in_task() && !preempt_count() && !irqs_disabled() &&
	    !rcu_preempt_depth())
		return SOLCOMPAT_MEM_SLEEP;
	/* RT: hardirq raises preempt_count; softirq threads do not. */
	if (IS_ENABLED(CONFIG_PREEMPT_RT) &&
	    (preempt_count() || irqs_disabled()))
		return SOLCOMPAT_MEM_RAW;
	return SOLCOMPAT_MEM_ATOMIC;
}

/*
 * solcompat_mem_context() == SOLCOMPAT_MEM_SLEEP, asked directly (the
 * KM_SLEEP fast path): a zero preempt_count() already rules out NMI and
 * every interrupt context. Any context.
 */
static __always_inline bool solcompat_mem_may_sleep(void)
{
	return !preempt_count() && !solcompat_probe_depth() &&
	       !irqs_disabled() && !rcu_preempt_depth();
}

/*
 * solcompat_mem_context() is SLEEP or ATOMIC, asked directly (the fast
 * paths of kmem_free and KM_NOSLEEP): the slab allocator may be called,
 * for kfree and for allocations that do not sleep. On a stock kernel that
 * is everywhere but NMI and probe context; on PREEMPT_RT, where the slab
 * locks sleep, only with preemption and interrupts enabled. Any context.
 */
static __always_inline bool solcompat_mem_slab_ok(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		return !preempt_count() && !solcompat_probe_depth() &&
		       !irqs_disabled();
	return !in_nmi() && !solcompat_probe_depth();
}

#endif /* _SOLCOMPAT_LINUX_INIT_H */
