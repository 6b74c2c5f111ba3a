/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/spl.h: interrupt priority levels and interrupt cookies (prefixed ABI).
 * The Solaris names are in sys/systm.h and sys/dtrace_subr.h; the design is in
 * the Big Theory Statement of linux/spl.c.
 */
#ifndef _SOLCOMPAT_IMPL_SPL_H
#define _SOLCOMPAT_IMPL_SPL_H

#include <impl/types.h>

/* Levels, as on illumos/i86pc. */
#define SOLCOMPAT_LOCK_LEVEL 10
#define SOLCOMPAT_CLOCK_LEVEL 10
#define SOLCOMPAT_DISP_LEVEL 11
#define SOLCOMPAT_HARDIRQ_LEVEL 14 /* what a Linux hardirq handler implies */
#define SOLCOMPAT_PIL_MAX 15

/*
 * Raise the priority level to at least level; never lowers it. Returns a
 * cookie for solcompat_splx(). Any level above 0 masks every maskable
 * interrupt on this CPU (Linux cannot mask by level).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_splr(int level);

/*
 * Restore the level (and interrupt state) saved in a cookie from
 * solcompat_splr() or solcompat_spl0(). Never re-enables interrupts inside a
 * hardirq or NMI handler: a cookie that asks for it there is reported.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_splx(int cookie);

/*
 * Lower the level to the lowest the current Linux context allows: in task
 * context with nothing else masking interrupts, level 0 with interrupts on;
 * elsewhere the level drops but interrupts stay as the context requires.
 * Returns a cookie.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_spl0(void);

/*
 * The current level: the level raised by spl calls on this CPU, or what the
 * Linux context implies (a softirq handler, where CY_LOCK_LEVEL cyclics run:
 * SOLCOMPAT_LOCK_LEVEL; hardirq: SOLCOMPAT_HARDIRQ_LEVEL; NMI or interrupts
 * masked by Linux code: SOLCOMPAT_PIL_MAX), whichever is higher.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_getpil(void);

typedef unsigned long solcompat_icookie_t;

/*
 * Disable interrupts on this CPU; returns a cookie that records whether they
 * were enabled. Nests.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C solcompat_icookie_t solcompat_interrupt_disable(void);

/*
 * Restore the state recorded by solcompat_interrupt_disable(): re-enables only
 * if interrupts were on before, and never inside a hardirq or NMI handler.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_interrupt_enable(solcompat_icookie_t cookie);

#endif /* _SOLCOMPAT_IMPL_SPL_H */
