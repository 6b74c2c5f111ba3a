/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/x_call.h: cross-calls (xc_call, xc_sync, xc_trycall), cpuset_t, and the
 * DTrace entry points dtrace_xcall and dtrace_sync.
 */
#ifndef _SOLCOMPAT_SYS_X_CALL_H
#define _SOLCOMPAT_SYS_X_CALL_H

#include <sys/types.h>
#include <impl/xcall.h>

#define NCPU SOLCOMPAT_NCPU

typedef solcompat_cpuset_t cpuset_t;
typedef solcompat_xc_arg_t xc_arg_t;
typedef solcompat_xc_func_t xc_func_t;

#define CPUSET_ZERO(set)                                                       \
	do {                                                                   \
		int cpuset_i_;                                                 \
		for (cpuset_i_ = 0; cpuset_i_ < SOLCOMPAT_CPUSET_WORDS;        \
		     cpuset_i_++)                                              \
			(set).words[cpuset_i_] = 0;                            \
	} while (0)
#define CPUSET_ADD(set, cpu)                                                   \
	((set).words[(cpu) / 64] |= 1ULL << ((cpu) % 64))
#define CPUSET_DEL(set, cpu)                                                   \
	((set).words[(cpu) / 64] &= ~(1ULL << ((cpu) % 64)))
#define CPU_IN_SET(set, cpu)                                                   \
	(((set).words[(cpu) / 64] >> ((cpu) % 64)) & 1)
#define CPUSET_ONLY(set, cpu)                                                  \
	do {                                                                   \
		CPUSET_ZERO(set);                                              \
		CPUSET_ADD(set, cpu);                                          \
	} while (0)
#define CPUSET_ALL(set) solcompat_cpuset_online(&(set))

/*
 * Run func(a1, a2, a3) on every CPU in *set and wait for all to finish.
 * Context: Process, atomic or hardirq context.
 */
static inline void xc_call(xc_arg_t a1, xc_arg_t a2, xc_arg_t a3,
			   cpuset_t *set, xc_func_t func)
{
	solcompat_xcall(set, func, a1, a2, a3);
}

/*
 * Same as xc_call (on illumos it also waits for the functions' return;
 * xc_call here always does).
 * Context: Process, atomic or hardirq context.
 */
static inline void xc_sync(xc_arg_t a1, xc_arg_t a2, xc_arg_t a3,
			   cpuset_t *set, xc_func_t func)
{
	solcompat_xcall(set, func, a1, a2, a3);
}

/*
 * Same as xc_call: this implementation never needs to give up.
 * Context: Process, atomic or hardirq context.
 */
static inline void xc_trycall(xc_arg_t a1, xc_arg_t a2, xc_arg_t a3,
			      cpuset_t *set, xc_func_t func)
{
	solcompat_xcall(set, func, a1, a2, a3);
}

#define DTRACE_CPUALL -1
typedef void (*dtrace_xcall_t)(void *);

/*
 * Calls a dtrace_xcall_t through the xc_func_t signature (internal).
 * Context: Process, atomic or hardirq context.
 */
static inline int dtrace_xcall_trampoline(xc_arg_t func, xc_arg_t arg,
						 xc_arg_t unused)
{
	(void)unused;
	((dtrace_xcall_t)func)((void *)arg);
	return 0;
}

/*
 * Run func(arg) on cpu, or on every online CPU for DTRACE_CPUALL (the
 * caller included), and return after all finished.
 * Context: Process, atomic or hardirq context.
 */
static inline void dtrace_xcall(processorid_t cpu, dtrace_xcall_t func,
				void *arg)
{
	cpuset_t set;

	if (cpu == DTRACE_CPUALL) {
		solcompat_cpuset_online(&set);
	} else {
		CPUSET_ZERO(set);
		if (cpu >= 0 && cpu < NCPU)
			CPUSET_ADD(set, cpu);
	}
	solcompat_xcall(&set, dtrace_xcall_trampoline,
			(xc_arg_t)func, (xc_arg_t)arg, 0);
}

/*
 * Wait until every CPU has left the probe context it was in when called.
 * Context: Process context.
 */
static inline void dtrace_sync(void)
{
	solcompat_probe_sync();
}

#endif /* _SOLCOMPAT_SYS_X_CALL_H */
