/* SPDX-License-Identifier: GPL-2.0 */
/*
 * linux/spl_inline.h: the bodies of splr and splx, inline, for this
 * module's own fast paths (a spin mutex's enter and exit, linux/mutex.c),
 * which would otherwise make two exported calls per hold. The exported
 * solcompat_splr/solcompat_splx (linux/spl.c) are these same functions, so
 * there is one implementation; the model is in spl.c's Big Theory
 * Statement (a per-CPU software level; a cookie is the previous level plus
 * whether interrupts were on; the Linux context is a floor).
 *
 * Probe-context tier: __always_inline, raw irqflag helpers and this-CPU
 * accessors only; the misuse report is out of line (solcompat_misuse is
 * in the tier).
 */
#ifndef _SOLCOMPAT_LINUX_SPL_INLINE_H
#define _SOLCOMPAT_LINUX_SPL_INLINE_H

#include <linux/compiler.h>
#include <linux/irqflags.h>
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

/* This CPU's software level (linux/spl.c). */
DECLARE_PER_CPU(int, solcompat_pil);

/*
 * The interrupt part of a cookie, from flags raw_local_irq_save() returned.
 * Context: Any context.
 */
static __always_inline int spl_cookie_irqs(unsigned long flags)
{
	return (int)(flags & SPL_COOKIE_IRQS_ON);
}

/*
 * splr(level): mask interrupts, raise the level to at least level, and
 * return the cookie that undoes it. may_be0: level may be 0 or less (a
 * constant at each use, so the test folds away where it may not).
 * Context: Any context.
 */
static __always_inline int spl_raise_level(int level, bool may_be0,
					   bool note_base)
{
	unsigned long flags;
	int old;

	/* splr: no level above PIL_MAX (a spin mutex's m_pil never is). */
	if (note_base && level > SOLCOMPAT_PIL_MAX)
		level = SOLCOMPAT_PIL_MAX;
	raw_local_irq_save(flags);
	old = this_cpu_read(solcompat_pil);
	/*
	 * Leaving level 0, note whether interrupts were on (note_base); later,
	 * keep the note. A spin mutex's raise notes "off" (spl0 under a held
	 * spin mutex must not turn interrupts on) and saves the instructions.
	 */
	if (level > (old & SPL_COOKIE_LEVEL_MASK))
		this_cpu_write(solcompat_pil,
			       level | ((old || !note_base)
						? old & SPL_PIL_BASE_IRQS_ON
						: spl_cookie_irqs(flags) >> 4));
	/* Level 0 requested on an unraised CPU: leave interrupts as found. */
	if (may_be0 && level <= 0 && old == 0)
		raw_local_irq_restore(flags);
	return old | spl_cookie_irqs(flags);
}

/* splr. Context: Any context. */
static __always_inline int spl_raise(int level)
{
	return spl_raise_level(level, true, true);
}

/*
 * splr for a level known to be above 0 (a spin mutex's).
 * Context: Any context.
 */
static __always_inline int spl_raise_above0(int level)
{
	return spl_raise_level(level, false, false);
}

/*
 * splx(cookie): restore the level and interrupt state a cookie saved.
 * Interrupts are never re-enabled in hardirq or NMI context (reported).
 * caller names the code to blame in a report.
 * Context: Any context.
 */
static __always_inline void spl_restore(int cookie, const void *caller)
{
	if (unlikely((cookie & ~SPL_COOKIE_VALID_BITS) ||
		     (cookie & SPL_COOKIE_LEVEL_MASK) > SOLCOMPAT_PIL_MAX)) {
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

/*
 * splx for a cookie this module saved itself (never a caller's) and
 * restores in the context that took it: a spin mutex's exit, once the owner
 * check has matched its identity, which names the context (the task, or
 * the CPU and interrupt level). Interrupts are still off since the raise
 * (the holder leaves them so), and if they were on at the raise, they were
 * on in this very context, so turning them on again restores what was
 * found, hardirq or not. Hence neither spl_restore's cookie check nor its
 * interrupt disable nor its hardirq/NMI check.
 * Context: Any context.
 */
static __always_inline void spl_restore_own(int cookie)
{
	this_cpu_write(solcompat_pil, cookie & SPL_PIL_BITS);
	if (cookie & SPL_COOKIE_IRQS_ON)
		raw_local_irq_enable();
}

#endif /* _SOLCOMPAT_LINUX_SPL_INLINE_H */
