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
#include <linux/kernel.h>
#include <linux/panic.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/stdarg.h>

int solcompat_cpu_init(void);
void solcompat_cpu_fini(void);
int solcompat_sleepq_init(void);
void solcompat_sleepq_fini(void);
int solcompat_kmem_init(void);
void solcompat_kmem_fini(void);
int solcompat_xcall_init(void);
void solcompat_xcall_fini(void);
/*
 * The module holding addr, pinned (module_put when done), or NULL
 * (linux/trap.c). Process context. May sleep.
 */
struct module;
struct module *solcompat_trap_module_at(uintptr_t addr);
/*
 * A spinning lock waiter serves cross-calls (linux/xcall.c); non-zero if
 * one ran. Any context.
 */
int solcompat_xc_serve_spinning(void);
int solcompat_cyclic_init(void);
void solcompat_cyclic_fini(void);
int solcompat_taskq_init(void);
void solcompat_taskq_fini(void);
int solcompat_trap_init(void);
void solcompat_trap_fini(void);

/*
 * This CPU's probe-context state (linux/xcall.c): the nesting depth of
 * each context level, 8 bits each in bits 0-31 (task, softirq, hardirq,
 * NMI: an interrupt taken inside probe context is in probe context only
 * if it enters one itself), and a generation for dtrace_sync in bits
 * 32-63.
 */
DECLARE_PER_CPU(u64, solcompat_probe_state);
#define SOLCOMPAT_PROBE_DEPTHS_MASK 0xffffffffULL

/*
 * The preempt_count bits that name a context level (the lock owners'
 * levels use the same, sleepq.h), and the level the probe depths are kept
 * by for a value of them: 0 task, 1 softirq, 2 hardirq, 3 NMI.
 */
#define SOLCOMPAT_CTX_BITS (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET)
static __always_inline unsigned int solcompat_probe_level_of(unsigned long ctx)
{
	if (likely(!ctx))
		return 0;
	if (ctx & NMI_MASK)
		return 3;
	return (ctx & HARDIRQ_MASK) ? 2 : 1;
}

/* Probe depth at the level ctx (preempt_count() & SOLCOMPAT_CTX_BITS) names. */
static __always_inline int solcompat_probe_depth_ctx(unsigned long ctx)
{
	u64 state = this_cpu_read(solcompat_probe_state);

	if (likely(!ctx))
		return (int)(state & 0xff);
	return (int)((state >> (8 * solcompat_probe_level_of(ctx))) & 0xff);
}

/* Nesting depth of probe context at this CPU's current level (0 outside). Any
 * context. */
static __always_inline int solcompat_probe_depth(void)
{
	return solcompat_probe_depth_ctx(preempt_count() & SOLCOMPAT_CTX_BITS);
}

/*
 * Is this CPU in probe context at any level? Wider than
 * solcompat_probe_depth() (an interrupt taken inside a probe's bracket
 * says yes), and one compare: for fast paths whose "yes" only sends the
 * caller to a slow path that asks exactly. Any context.
 */
static __always_inline bool solcompat_probe_any(void)
{
	return (u32)this_cpu_read(solcompat_probe_state) != 0;
}

/*
 * printk, or printk_deferred's way (the record now, the console output
 * from an irq_work) wherever writing to the consoles now could wait on a
 * lock this CPU already holds: anywhere but plain task context with
 * preemption and interrupts on. A probe handler (solcompat's probe context
 * or a bare kprobe's, which runs with preemption or interrupts off) may
 * have fired inside a console driver under its port lock, and interrupted
 * or atomic code may hold such a lock too. NMI context defers by itself.
 * Linux exports no printk_deferred to modules; vprintk_emit with
 * LOGLEVEL_SCHED is what it does (linux/debug.c). Any context.
 */
__printf(1, 2) void solcompat_printk(const char *fmt, ...);

/*
 * panic(), or nmi_panic() in NMI context (linux/debug.c's theory), with
 * the message formatted in this CPU's solcompat_panic_msg there. Inline,
 * so that each caller calls panic() itself (objtool knows it ends there;
 * it does not follow a call into another object). Any context.
 */
struct solcompat_panic_msg {
	char text[192];
};
DECLARE_PER_CPU(struct solcompat_panic_msg, solcompat_panic_msg);

static __always_inline __printf(1, 0) __noreturn
	void solcompat_vpanic_any(const char *fmt, va_list ap)
{
	struct va_format vaf;
	va_list copy;
	char *msg;

	va_copy(copy, ap);
	if (in_nmi()) {
		msg = this_cpu_ptr(&solcompat_panic_msg)->text;
		vsnprintf(msg, sizeof(solcompat_panic_msg.text), fmt, copy);
		nmi_panic(NULL, msg);
		/* Back only if this CPU is panicking already (the NMI came
		 * in under panic()): panic() runs its path again here, as a
		 * nested panic on this CPU would. */
		panic("%s", msg);
	}
	vaf.fmt = fmt;
	vaf.va = &copy;
	panic("%pV", &vaf);
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
 * KM_SLEEP fast path): a zero preempt_count() already rules out NMI, every
 * interrupt context and probe context (solcompat_probe_enter holds
 * preemption off in its bracket). Any context.
 */
static __always_inline bool solcompat_mem_may_sleep(void)
{
	return !preempt_count() && !irqs_disabled() && !rcu_preempt_depth();
}

/*
 * solcompat_mem_context() is SLEEP or ATOMIC, asked directly (the fast
 * paths of kmem_free and KM_NOSLEEP): the slab allocator may be called,
 * for kfree and for allocations that do not sleep. On a stock kernel that
 * is everywhere but NMI and probe context; on PREEMPT_RT, where the slab
 * locks sleep, only with preemption and interrupts enabled. Both ask
 * solcompat_probe_any(): an interrupt inside a probe's bracket takes the
 * slow path, which asks solcompat_mem_context(). Any context.
 */
static __always_inline bool solcompat_mem_slab_ok(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		return !preempt_count() && !solcompat_probe_any() &&
		       !irqs_disabled();
	return !in_nmi() && !solcompat_probe_any();
}

#endif /* _SOLCOMPAT_LINUX_INIT_H */
