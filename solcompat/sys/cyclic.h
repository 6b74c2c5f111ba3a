/* SPDX-License-Identifier: GPL-2.0 */
/* sys/cyclic.h: cyclic_add, cyclic_add_omni, cyclic_remove, cyclic_reprogram. */
#ifndef _SOLCOMPAT_SYS_CYCLIC_H
#define _SOLCOMPAT_SYS_CYCLIC_H

#include <sys/cpuvar.h>
#include <sys/types.h>
#include <impl/cyclic.h>

#define CY_LOW_LEVEL SOLCOMPAT_CY_LOW_LEVEL
#define CY_LOCK_LEVEL SOLCOMPAT_CY_LOCK_LEVEL
#define CY_HIGH_LEVEL SOLCOMPAT_CY_HIGH_LEVEL
#define CY_INFINITY SOLCOMPAT_CY_INFINITY
#define CYCLIC_NONE SOLCOMPAT_CYCLIC_NONE

typedef solcompat_cyclic_id_t cyclic_id_t;
typedef solcompat_cyc_handler_t cyc_handler_t;
typedef solcompat_cyc_time_t cyc_time_t;
typedef solcompat_cyc_omni_handler_t cyc_omni_handler_t;
typedef void (*cyc_func_t)(void *);

/*
 * Start a cyclic on the calling CPU.
 * Context: Process context. May sleep.
 */
static inline cyclic_id_t cyclic_add(cyc_handler_t *hdlr, cyc_time_t *when)
{
	return solcompat_cyclic_add(hdlr, when);
}

/*
 * Start a cyclic on every online CPU.
 * Context: Process context. May sleep.
 */
static inline cyclic_id_t cyclic_add_omni(cyc_omni_handler_t *omni)
{
	return solcompat_cyclic_add_omni(omni);
}

/*
 * Stop a cyclic and wait for a running handler.
 * Context: Process context. May sleep.
 */
static inline void cyclic_remove(cyclic_id_t id)
{
	solcompat_cyclic_remove(id);
}

/*
 * Set the next expiration of a cyclic; 1 on success, 0 if it no longer
 * exists (as illumos).
 * Context: Process, atomic or hardirq context.
 */
static inline int cyclic_reprogram(cyclic_id_t id, hrtime_t when)
{
	return solcompat_cyclic_reprogram(id, when);
}

/*
 * illumos moves a cyclic to another CPU; Linux hrtimers are already per
 * CPU and migrate on hotplug, so this is a documented no-op returning 1.
 * Context: Process context.
 */
static inline int cyclic_juggle(cpu_t *cpu)
{
	(void)cpu;
	return 1;
}

#endif /* _SOLCOMPAT_SYS_CYCLIC_H */
