/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/cyclic.h: cyclics, the Solaris periodic timers (prefixed ABI).
 * Solaris names in sys/cyclic.h; design in linux/cyclic.c.
 */
#ifndef _SOLCOMPAT_IMPL_CYCLIC_H
#define _SOLCOMPAT_IMPL_CYCLIC_H

#include <impl/cpu.h>
#include <impl/types.h>

#define SOLCOMPAT_CY_LOW_LEVEL 0
#define SOLCOMPAT_CY_LOCK_LEVEL 1
#define SOLCOMPAT_CY_HIGH_LEVEL 2
#define SOLCOMPAT_CY_INFINITY 0x7fffffffffffffffLL
#define SOLCOMPAT_CYCLIC_NONE ((solcompat_cyclic_id_t)0)

typedef solcompat_uintptr_t solcompat_cyclic_id_t;

typedef struct solcompat_cyc_handler {
	void (*cyh_func)(void *);
	void *cyh_arg;
	int cyh_level; /* SOLCOMPAT_CY_*_LEVEL */
} solcompat_cyc_handler_t;

typedef struct solcompat_cyc_time {
	solcompat_hrtime_t cyt_when;	 /* absolute gethrtime(); 0: next multiple */
	solcompat_hrtime_t cyt_interval; /* ns; SOLCOMPAT_CY_INFINITY: one-shot */
} solcompat_cyc_time_t;

typedef struct solcompat_cyc_omni_handler {
	void (*cyo_online)(void *arg, solcompat_cpu_t *cpu,
			   solcompat_cyc_handler_t *hdlr,
			   solcompat_cyc_time_t *when);
	void (*cyo_offline)(void *arg, solcompat_cpu_t *cpu, void *hdlr_arg);
	void *cyo_arg;
} solcompat_cyc_omni_handler_t;

/*
 * Start a cyclic on the calling CPU. Returns its id; the allocation may
 * sleep and does not fail. A handler without a function, a level other
 * than CY_LOW/LOCK/HIGH_LEVEL, a negative cyt_when or a cyt_interval that
 * is not positive (CY_INFINITY makes a one-shot) is reported
 * (SOLCOMPAT_MISUSE_ARGUMENT) and gets CYCLIC_NONE, as does a call outside
 * process context (SOLCOMPAT_MISUSE_CONTEXT). A cyclic still added when the
 * module that added it or holds its handler unloads (or when solcompat
 * does) is reported (SOLCOMPAT_MISUSE_MEMORY) and removed.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C solcompat_cyclic_id_t
solcompat_cyclic_add(const solcompat_cyc_handler_t *hdlr,
		     const solcompat_cyc_time_t *when);

/*
 * Start a cyclic on every online CPU, and on CPUs that come online later:
 * cyo_online fills the handler and time for each CPU before its first
 * firing there; cyo_offline runs after the last. No cyo_online: reported
 * (SOLCOMPAT_MISUSE_ARGUMENT), CYCLIC_NONE. A handler and time that
 * cyo_online fills in and cyclic_add would refuse are reported the same
 * way, and that CPU's part stays idle (no cyo_offline for it).
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C solcompat_cyclic_id_t
solcompat_cyclic_add_omni(const solcompat_cyc_omni_handler_t *omni);

/*
 * Stop a cyclic; returns after any handler in flight has finished. Ids are
 * never reused: one that is not added (removed already, never returned)
 * is reported (SOLCOMPAT_MISUSE_ARGUMENT) and nothing is done.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C void solcompat_cyclic_remove(solcompat_cyclic_id_t id);

/*
 * Set the next expiration (absolute gethrtime()) of a non-omni cyclic. Legal
 * from the cyclic's own handler. Returns 1, or 0 if the cyclic is being
 * removed; an id that is not added is reported (SOLCOMPAT_MISUSE_ARGUMENT)
 * and gets 0.
 * Context: Process, atomic or hardirq context.
 */
SOLCOMPAT_EXTERN_C int solcompat_cyclic_reprogram(solcompat_cyclic_id_t id,
						  solcompat_hrtime_t when);

/*
 * Handler invocations skipped because a catch-up exceeded the cap.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C unsigned long solcompat_cyclic_dropped(void);

#endif /* _SOLCOMPAT_IMPL_CYCLIC_H */
