/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/condvar.h: condition variables (prefixed ABI). The Solaris names are
 * in sys/condvar.h; the design is in the Big Theory Statement of
 * linux/condvar.c.
 */
#ifndef _SOLCOMPAT_IMPL_CONDVAR_H
#define _SOLCOMPAT_IMPL_CONDVAR_H

#include <impl/mutex.h>
#include <impl/types.h>

typedef enum solcompat_kcv_type {
	SOLCOMPAT_CV_DEFAULT = 0,
	SOLCOMPAT_CV_DRIVER = 1
} solcompat_kcv_type_t;

/* Timer resolutions (illumos sys/time.h time_res_t). */
typedef enum solcompat_time_res {
	SOLCOMPAT_TR_NANOSEC = 0,
	SOLCOMPAT_TR_MICROSEC,
	SOLCOMPAT_TR_MILLISEC,
	SOLCOMPAT_TR_SEC,
	SOLCOMPAT_TR_CLOCK_TICK,
	SOLCOMPAT_TR_COUNT
} solcompat_time_res_t;

/* cv_timedwait_hires flags (illumos sys/callo.h values). */
#define SOLCOMPAT_CALLOUT_FLAG_ROUNDUP 0x1	/* round the deadline up to res */
#define SOLCOMPAT_CALLOUT_FLAG_ABSOLUTE 0x2	/* tim is a gethrtime() value */
#define SOLCOMPAT_CALLOUT_FLAG_HRESTIME 0x4	/* accepted, treated as monotonic */
#define SOLCOMPAT_CALLOUT_FLAG_32BIT 0x8	/* accepted, ignored */

/*
 * A condition variable. The layout is ABI: 8 bytes, all zero bytes are an
 * initialised condition variable. cv_waiters is a hint, never below the
 * number of sleepers that no wake is on its way to; the sleepers themselves
 * are in linux/sleepq.c's queues, keyed by the address.
 */
typedef struct solcompat_kcondvar {
	volatile solcompat_uint32_t cv_waiters;
	solcompat_uint32_t cv_reserved;
} solcompat_kcondvar_t;

/*
 * Initialise (name, type and arg are ignored).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_cv_init(solcompat_kcondvar_t *cvp,
					  const char *name,
					  solcompat_kcv_type_t type, void *arg);

/*
 * Destroy. Nothing of a waiter refers to the condition variable once a
 * broadcast took it off the queue, so destroying and freeing right after
 * cv_broadcast is safe.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_cv_destroy(solcompat_kcondvar_t *cvp);

/*
 * Release mp, sleep until signalled (or spuriously woken), re-acquire mp.
 * Where sleeping is not allowed: reported (SOLCOMPAT_MISUSE_CONTEXT), mp
 * dropped and re-taken, and returns (a spurious wakeup). Without mp held:
 * reported (SOLCOMPAT_MISUSE_LOCK_NOT_OWNER), returns at once.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C void solcompat_cv_wait(solcompat_kcondvar_t *cvp,
					  solcompat_kmutex_t *mp);

/*
 * cv_wait that a signal ends: 0 if a signal is pending on return, else > 0.
 * Where sleeping is not allowed: reported, returns 0.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_cv_wait_sig(solcompat_kcondvar_t *cvp,
					     solcompat_kmutex_t *mp);

/*
 * cv_wait until lbolt tick tim at the latest (absolute): -1 on timeout (at
 * once if tim has passed, without dropping mp), else the ticks left (> 0).
 * With sig, a pending signal ends the wait and returns 0 (it takes
 * precedence). Where sleeping is not allowed: reported, returns -1.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C long solcompat_cv_timedwait(solcompat_kcondvar_t *cvp,
					       solcompat_kmutex_t *mp,
					       long tim, int sig);

/*
 * As solcompat_cv_timedwait with a deadline delta ticks from now (res is
 * accepted; the resolution is one tick): -1 at once if delta <= 0.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C long solcompat_cv_reltimedwait(solcompat_kcondvar_t *cvp,
						  solcompat_kmutex_t *mp,
						  long delta,
						  solcompat_time_res_t res,
						  int sig);

/*
 * cv_wait with a nanosecond deadline: tim relative, or absolute on the
 * gethrtime() clock with SOLCOMPAT_CALLOUT_FLAG_ABSOLUTE; res is the
 * allowed slack. -1 on timeout (at once if it has passed), else the ticks
 * left, at least 1.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C long solcompat_cv_timedwait_hires(solcompat_kcondvar_t *cvp,
						     solcompat_kmutex_t *mp,
						     solcompat_hrtime_t tim,
						     solcompat_hrtime_t res,
						     int flag);

/*
 * Wake the oldest waiter, if any. The mutex need not be held.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_cv_signal(solcompat_kcondvar_t *cvp);

/*
 * Wake every waiter. The mutex need not be held.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_cv_broadcast(solcompat_kcondvar_t *cvp);

#endif /* _SOLCOMPAT_IMPL_CONDVAR_H */
