/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/dtrace_subr.h: the machine-dependent entry points a DTrace core expects
 * from its platform (illumos declares them in sys/dtrace.h and implements them
 * in dtrace_subr.c). Kept in a header of their own so that the probe core's
 * sys/dtrace.h stays the probe core's.
 */
#ifndef _SOLCOMPAT_SYS_DTRACE_SUBR_H
#define _SOLCOMPAT_SYS_DTRACE_SUBR_H

#include <sys/types.h>
#include <impl/spl.h>

typedef solcompat_icookie_t dtrace_icookie_t;

/*
 * Disable interrupts on this CPU; returns a cookie. Nests.
 * Context: Any context.
 */
static inline dtrace_icookie_t dtrace_interrupt_disable(void)
{
	return solcompat_interrupt_disable();
}

/*
 * Restore the interrupt state a cookie recorded.
 * Context: Any context.
 */
static inline void dtrace_interrupt_enable(dtrace_icookie_t cookie)
{
	solcompat_interrupt_enable(cookie);
}

#endif /* _SOLCOMPAT_SYS_DTRACE_SUBR_H */
