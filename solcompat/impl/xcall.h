/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/xcall.h: cross-calls and dtrace_sync (prefixed ABI). The Solaris names
 * are in sys/x_call.h; the design is in the Big Theory Statement of
 * linux/xcall.c.
 */
#ifndef _SOLCOMPAT_IMPL_XCALL_H
#define _SOLCOMPAT_IMPL_XCALL_H

#include <impl/types.h>

/* CPU ids this ABI can name; solcompat.ko refuses to load on larger systems. */
#define SOLCOMPAT_NCPU 256
#define SOLCOMPAT_CPUSET_WORDS (SOLCOMPAT_NCPU / 64)

typedef struct solcompat_cpuset {
	solcompat_uint64_t words[SOLCOMPAT_CPUSET_WORDS];
} solcompat_cpuset_t;

typedef solcompat_uintptr_t solcompat_xc_arg_t;
typedef int (*solcompat_xc_func_t)(solcompat_xc_arg_t, solcompat_xc_arg_t,
				   solcompat_xc_arg_t);

/*
 * Run func(a1, a2, a3) exactly once on every online CPU in set, the caller
 * included when it is in set, and return after all have finished. Callable
 * with interrupts disabled; CPUs that cross-call each other at the same time
 * all complete, because a waiting CPU keeps running the requests addressed
 * to it. From NMI or probe context it is reported and nothing runs.
 * Context: Process, atomic or hardirq context.
 */
SOLCOMPAT_EXTERN_C void solcompat_xcall(const solcompat_cpuset_t *set,
					solcompat_xc_func_t func,
					solcompat_xc_arg_t a1,
					solcompat_xc_arg_t a2,
					solcompat_xc_arg_t a3);

/*
 * Fill set with the online CPUs.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_cpuset_online(solcompat_cpuset_t *set);

/*
 * The number of online CPUs.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_ncpus_online(void);

/*
 * The id of the CPU the caller runs on (stable only with preemption off).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_cpu_id(void);

/*
 * Mark entry to and exit from probe context on this CPU (the probe core's
 * firing path calls these with interrupts disabled; they nest). The caller
 * must stay on this CPU until the exit: a call with preemption and
 * interrupts both on is reported and does nothing. At task level the
 * bracket holds preemption off, so code inside it is never taken for the
 * task it interrupted (lock owners, may-sleep tests), even from task code
 * that disabled only interrupts.
 * Context: Atomic, hardirq, nmi or probe context.
 */
SOLCOMPAT_EXTERN_C void solcompat_probe_enter(void);

/*
 * See solcompat_probe_enter().
 * Context: Atomic, hardirq, nmi or probe context.
 */
SOLCOMPAT_EXTERN_C void solcompat_probe_exit(void);

/*
 * Return once every CPU has left any probe-context code it was executing
 * when the call started.
 * Context: Process context.
 */
SOLCOMPAT_EXTERN_C void solcompat_probe_sync(void);

#endif /* _SOLCOMPAT_IMPL_XCALL_H */
