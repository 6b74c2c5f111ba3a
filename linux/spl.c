// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt priority levels (splr, splx, spl0, getpil) and interrupt cookies
 * (dtrace_interrupt_disable/enable) on Linux.
 *
 * Big Theory Statement
 * --------------------
 * Solaris runs each CPU at a priority interrupt level (PIL) 0..15 and masks
 * every interrupt at or below it; Linux has two states, interrupts on or off,
 * plus contexts (hardirq, NMI) that imply "off". The 2011 port mapped spl*
 * onto cli/sti and broke exactly where the two models differ: a nested
 * splhigh/splx pair re-enabled interrupts that an outer caller or the Linux
 * context needed off.
 *
 * The model here:
 *   - A per-CPU software level, solcompat_pil, records the level raised by
 *     spl calls on this CPU. Any level above 0 means "all maskable interrupts
 *     off" (Linux cannot mask by level; masking more is safe, masking less is
 *     not).
 *   - While the level is above 0 it also records whether interrupts were
 *     on when it left 0: spl0 turns them on only then, never inside a
 *     section that disabled them before raising the level.
 *   - A cookie is the previous software level (bits 0-5, with that record)
 *     plus one bit saying whether interrupts were enabled at the time
 *     (SPL_COOKIE_IRQS_ON, the flags' own EFLAGS.IF bit). splx
 *     restores both exactly; so nested pairs restore exactly, whatever
 *     interleaving of Linux local_irq_* and spl calls surrounds them.
 *   - The Linux context is a floor: inside a hardirq or NMI handler
 *     interrupts are never re-enabled, even by a cookie that says they were
 *     on (such a cookie was made elsewhere and carried here: a misuse,
 *     reported). getpil() reports max(software level, context level),
 *     where the context level is PIL_MAX in NMI context or with interrupts
 *     off, 14 in a hardirq handler, LOCK_LEVEL in a softirq handler (where
 *     CY_LOCK_LEVEL cyclics run, at LOCK_LEVEL on illumos; the softirq
 *     thread on PREEMPT_RT counts too) and 0 elsewhere. The softirq floor
 *     masks nothing: like Solaris's soft interrupts below LOCK_LEVEL+1,
 *     hardware interrupts still arrive.
 *
 * Re-entrancy: an NMI or a probe may land between any two instructions here,
 * and run spl pairs of its own on this CPU. Every such pair is balanced, so
 * when it returns solcompat_pil holds the value it found; the interrupted code
 * only ever stores a value it computed with interrupts already off. NMIs are
 * the only thing that can interleave there, and they restore what they found.
 *
 * Probe-context tier: everything in this file may run in probe context, so
 * it is notrace, NOKPROBE, and calls only raw_* irqflag helpers and this-CPU
 * accessors, which are inline single instructions (no traceable function, no
 * lockdep or irq-tracing hook). Outside hardirq and NMI context spin
 * mutexes (linux/mutex.c) mask interrupts without writing the level: with
 * interrupts off there every function here already behaves as at PIL_MAX
 * (getpil's floor, spl0's "were they on" test).
 *
 * Contexts:
 *   function                        process atomic hardirq nmi probe
 *   splr/splhigh/spl7/splhi         yes     yes    yes     yes yes
 *   splx                            yes     yes    yes     yes yes
 *   spl0                            yes     yes    yes     yes yes
 *   getpil                          yes     yes    yes     yes yes
 *   dtrace_interrupt_disable/enable yes     yes    yes     yes yes
 *
 * Not supported: levels between 1 and LOCK_LEVEL do not leave low-priority
 * interrupts deliverable, as they would on Solaris. No known client needs it.
 */
#include <linux/compiler.h>
#include <linux/irqflags.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <asm/processor-flags.h>

#include <impl/debug.h>
#include <impl/spl.h>

/*
 * solcompat_pil: the level in bits 0-4, and, while the level is above 0,
 * SPL_PIL_BASE_IRQS_ON if interrupts were on when it left 0 (what spl0
 * may go back to).
 *
 * A cookie: the previous solcompat_pil in bits 0-5, and "interrupts were
 * on" in the bit where the saved flags have it (EFLAGS.IF), so that making
 * a cookie from flags is a mask, not a test and a shift.
 */
#define SPL_COOKIE_LEVEL_MASK 0x1f
#define SPL_PIL_BASE_IRQS_ON 0x20
#define SPL_PIL_BITS (SPL_COOKIE_LEVEL_MASK | SPL_PIL_BASE_IRQS_ON)
#define SPL_COOKIE_IRQS_ON X86_EFLAGS_IF
static_assert(SPL_COOKIE_IRQS_ON > SPL_PIL_BITS &&
		      SPL_COOKIE_IRQS_ON <= 0x4000 &&
		      SPL_COOKIE_IRQS_ON >> 4 == SPL_PIL_BASE_IRQS_ON,
	      "a cookie's interrupt bit lies above the level, within an int");
#define SPL_COOKIE_VALID_BITS (SPL_PIL_BITS | SPL_COOKIE_IRQS_ON)

/* This CPU's software level. */
static DEFINE_PER_CPU(int, solcompat_pil);

/*
 * The interrupt part of a cookie, from flags raw_local_irq_save() returned.
 * Context: Any context.
 */
static __always_inline int spl_cookie_irqs(unsigned long flags)
{
	return (int)(flags & SPL_COOKIE_IRQS_ON);
}

/*
 * splr(level): mask interrupts, raise the level to at least level (never
 * above PIL_MAX), and return the cookie that undoes it. Leaving level 0,
 * note whether interrupts were on (what spl0 may go back to); later, keep
 * the note. Level 0 or less on an unraised CPU leaves interrupts as found.
 * Context: Any context.
 */
static __always_inline int spl_raise(int level)
{
	unsigned long flags;
	int old;

	if (level > SOLCOMPAT_PIL_MAX)
		level = SOLCOMPAT_PIL_MAX;
	raw_local_irq_save(flags);
	old = this_cpu_read(solcompat_pil);
	if (level > (old & SPL_COOKIE_LEVEL_MASK))
		this_cpu_write(solcompat_pil,
			       level | (old ? old & SPL_PIL_BASE_IRQS_ON
					    : spl_cookie_irqs(flags) >> 4));
	if (level <= 0 && old == 0)
		raw_local_irq_restore(flags);
	return old | spl_cookie_irqs(flags);
}

/*
 * splx(cookie): restore the level and interrupt state a cookie saved.
 * Interrupts are never re-enabled in hardirq or NMI context (reported).
 * caller names the code to blame in a report.
 * Context: Any context.
 */
static __always_inline void spl_restore(int cookie, const void *caller)
{
	/* No spl function returns a level-0 cookie with the base note. */
	if (unlikely((cookie & ~SPL_COOKIE_VALID_BITS) ||
		     (cookie & SPL_COOKIE_LEVEL_MASK) > SOLCOMPAT_PIL_MAX ||
		     (cookie & SPL_PIL_BITS) == SPL_PIL_BASE_IRQS_ON)) {
		solcompat_misuse(SOLCOMPAT_MISUSE_SPL_COOKIE, "splx",
				 "cookie was not returned by an spl function",
				 caller);
		return;
	}
	raw_local_irq_disable();
	this_cpu_write(solcompat_pil, cookie & SPL_PIL_BITS);
	if (!(cookie & SPL_COOKIE_IRQS_ON))
		return;
	if (unlikely(in_nmi() || in_hardirq())) {
		solcompat_misuse(
			SOLCOMPAT_MISUSE_SPL_COOKIE, "splx",
			"cookie would enable interrupts in hardirq/NMI",
			caller);
		return;
	}
	raw_local_irq_enable();
}

/* The level the Linux context implies, whatever the software level says. */
static __always_inline int spl_context_level(void)
{
	/* hardirq first: interrupts are always off there, and 14 is its level */
	if (in_nmi())
		return SOLCOMPAT_PIL_MAX;
	if (in_hardirq())
		return SOLCOMPAT_HARDIRQ_LEVEL;
	if (raw_irqs_disabled())
		return SOLCOMPAT_PIL_MAX;
	/* A softirq handler: CY_LOCK_LEVEL cyclics run there. */
	if (in_serving_softirq())
		return SOLCOMPAT_LOCK_LEVEL;
	return 0;
}

/* May interrupts be re-enabled here at all? Never in hardirq or NMI. */
static __always_inline bool spl_may_enable_irqs(void)
{
	return !in_nmi() && !in_hardirq();
}

notrace int solcompat_splr(int level)
{
	return spl_raise(level);
}
EXPORT_SYMBOL_GPL(solcompat_splr);
NOKPROBE_SYMBOL(solcompat_splr);

notrace void solcompat_splx(int cookie)
{
	spl_restore(cookie, __builtin_return_address(0));
}
EXPORT_SYMBOL_GPL(solcompat_splx);
NOKPROBE_SYMBOL(solcompat_splx);

notrace int solcompat_spl0(void)
{
	unsigned long flags;
	int old;

	raw_local_irq_save(flags);
	old = this_cpu_read(solcompat_pil);
	this_cpu_write(solcompat_pil, 0);
	/*
	 * Interrupts go back on only where nothing in the Linux context needs
	 * them off: task context, no preemption or spinlock section, and
	 * interrupts on before our level left 0 (SPL_PIL_BASE_IRQS_ON), or,
	 * at level 0, on now. Code that turned them off before raising the
	 * level (a cookie, local_irq_save) keeps them off.
	 */
	if (in_task() && preempt_count() == 0 &&
	    ((old & SPL_COOKIE_LEVEL_MASK) ? (old & SPL_PIL_BASE_IRQS_ON)
					   : !raw_irqs_disabled_flags(flags)))
		raw_local_irq_enable();
	return old | spl_cookie_irqs(flags);
}
EXPORT_SYMBOL_GPL(solcompat_spl0);
NOKPROBE_SYMBOL(solcompat_spl0);

notrace int solcompat_getpil(void)
{
	int level = this_cpu_read(solcompat_pil) & SPL_COOKIE_LEVEL_MASK;
	int floor = spl_context_level();

	return level > floor ? level : floor;
}
EXPORT_SYMBOL_GPL(solcompat_getpil);
NOKPROBE_SYMBOL(solcompat_getpil);

notrace solcompat_icookie_t solcompat_interrupt_disable(void)
{
	unsigned long flags;

	raw_local_irq_save(flags);
	return flags;
}
EXPORT_SYMBOL_GPL(solcompat_interrupt_disable);
NOKPROBE_SYMBOL(solcompat_interrupt_disable);

notrace void solcompat_interrupt_enable(solcompat_icookie_t cookie)
{
	if (raw_irqs_disabled_flags(cookie))
		return;
	if (unlikely(!spl_may_enable_irqs())) {
		solcompat_misuse(SOLCOMPAT_MISUSE_SPL_COOKIE,
				 "dtrace_interrupt_enable",
				 "cookie would enable interrupts in hardirq/NMI",
				 __builtin_return_address(0));
		return;
	}
	raw_local_irq_restore(cookie);
}
EXPORT_SYMBOL_GPL(solcompat_interrupt_enable);
NOKPROBE_SYMBOL(solcompat_interrupt_enable);
