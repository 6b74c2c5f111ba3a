/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/fbt.h: the function boundary tracing provider (probes/fbt.c): its
 * registration, and counters of what it probed and refused (for tests and
 * for the report a consumer prints).
 */
#ifndef _DTRACE_SYS_FBT_H
#define _DTRACE_SYS_FBT_H

#include <sys/types.h>
#include <sys/dtrace.h>

/* Counters since fbt_init; functions are counted each time they are met. */
typedef struct fbt_stats {
	uint64_t fbts_functions;	/* functions considered */
	uint64_t fbts_probed;		/* got an entry probe */
	uint64_t fbts_returns;		/* ... and a return probe */
	uint64_t fbts_return_sites;	/* return instructions probed */
	uint64_t fbts_tail_calls;	/* jumps out that are not returns */
	uint64_t fbts_no_return;	/* probed, but no return probe */
	uint64_t fbts_cond_returns;	/* ... because of a jcc to a thunk */
	uint64_t fbts_exists;		/* probes existed already (same name) */
	uint64_t fbts_refused_self;	/* dtrace/solcompat, dtrace_*: own tier */
	uint64_t fbts_refused_name;	/* not a function entry (__pfx_, .cold) */
	uint64_t fbts_refused_kernel;	/* kprobes refused (blacklist, noinstr) */
	uint64_t fbts_refused_trap;	/* solcompat refused (its firing path) */
	uint64_t fbts_refused_decode;	/* undecodable, far return, iret */
	uint64_t fbts_refused_size;	/* empty or larger than FBT_FUNC_MAX */
	uint64_t fbts_refused_other;	/* unreadable text, no memory */
} fbt_stats_t;

/*
 * Register / unregister the fbt provider; fini: EBUSY while one of its
 * probes is enabled.
 * Context: Process context. May sleep.
 */
int fbt_init(void);
int fbt_fini(void);

/*
 * Remove every fbt probe that is not enabled, with its trap points (in
 * batches); the next description that names them creates them again.
 * Returns 0.
 * Context: Process context. May sleep.
 */
int fbt_condense(void);

/*
 * Hits of probe id's trap points that the kernel did not deliver because
 * a probe handler was already running on the CPU (0 for an unknown id).
 * Context: Process context. May sleep.
 */
uint64_t fbt_probe_missed(dtrace_id_t id);

/*
 * Copy the counters.
 * Context: Process context. May sleep.
 */
void fbt_stats(fbt_stats_t *stats);

#endif /* _DTRACE_SYS_FBT_H */
