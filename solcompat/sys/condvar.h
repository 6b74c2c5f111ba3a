/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/condvar.h: condition variables. Timeouts are absolute lbolt ticks
 * (ddi_get_lbolt) except cv_reltimedwait (relative ticks) and
 * cv_timedwait_hires (nanoseconds). cv_signal and cv_broadcast work in any
 * context, with or without the mutex. The design is in linux/condvar.c.
 */
#ifndef _SOLCOMPAT_SYS_CONDVAR_H
#define _SOLCOMPAT_SYS_CONDVAR_H

#include <sys/mutex.h>
#include <sys/types.h>
#include <impl/condvar.h>

typedef solcompat_kcondvar_t kcondvar_t;
typedef solcompat_kcv_type_t kcv_type_t;

#define CV_DEFAULT SOLCOMPAT_CV_DEFAULT
#define CV_DRIVER SOLCOMPAT_CV_DRIVER

/*
 * illumos declares these in sys/time.h and sys/callo.h; they live here
 * until those headers need them, guarded so that they can move.
 */
#ifndef TR_CLOCK_TICK
typedef solcompat_time_res_t time_res_t;
#define TR_NANOSEC SOLCOMPAT_TR_NANOSEC
#define TR_MICROSEC SOLCOMPAT_TR_MICROSEC
#define TR_MILLISEC SOLCOMPAT_TR_MILLISEC
#define TR_SEC SOLCOMPAT_TR_SEC
#define TR_CLOCK_TICK SOLCOMPAT_TR_CLOCK_TICK
#define TR_COUNT SOLCOMPAT_TR_COUNT
#endif
#ifndef CALLOUT_FLAG_ABSOLUTE
#define CALLOUT_FLAG_ROUNDUP SOLCOMPAT_CALLOUT_FLAG_ROUNDUP
#define CALLOUT_FLAG_ABSOLUTE SOLCOMPAT_CALLOUT_FLAG_ABSOLUTE
#define CALLOUT_FLAG_HRESTIME SOLCOMPAT_CALLOUT_FLAG_HRESTIME
#define CALLOUT_FLAG_32BIT SOLCOMPAT_CALLOUT_FLAG_32BIT
#endif

/*
 * Initialise. Zeroed memory needs no cv_init.
 * Context: Any context.
 */
static inline void cv_init(kcondvar_t *cvp, const char *name, kcv_type_t type,
			   void *arg)
{
	solcompat_cv_init(cvp, name, type, arg);
}

/*
 * Destroy; safe right after cv_broadcast.
 * Context: Any context.
 */
static inline void cv_destroy(kcondvar_t *cvp)
{
	solcompat_cv_destroy(cvp);
}

/*
 * Release mp, sleep until woken, re-acquire mp (may return spuriously).
 * Context: Process context. May sleep.
 */
static inline void cv_wait(kcondvar_t *cvp, kmutex_t *mp)
{
	solcompat_cv_wait(cvp, mp);
}

/*
 * As cv_wait; 0 if a signal is pending, else > 0.
 * Context: Process context. May sleep.
 */
static inline int cv_wait_sig(kcondvar_t *cvp, kmutex_t *mp)
{
	return solcompat_cv_wait_sig(cvp, mp);
}

/*
 * As cv_wait until lbolt tick tim: -1 on timeout, else ticks left (> 0).
 * Context: Process context. May sleep.
 */
static inline clock_t cv_timedwait(kcondvar_t *cvp, kmutex_t *mp, clock_t tim)
{
	return solcompat_cv_timedwait(cvp, mp, tim, 0);
}

/*
 * As cv_timedwait; 0 if a signal is pending (first), -1 on timeout.
 * Context: Process context. May sleep.
 */
static inline clock_t cv_timedwait_sig(kcondvar_t *cvp, kmutex_t *mp,
				       clock_t tim)
{
	return solcompat_cv_timedwait(cvp, mp, tim, 1);
}

/*
 * As cv_timedwait with a deadline delta ticks from now.
 * Context: Process context. May sleep.
 */
static inline clock_t cv_reltimedwait(kcondvar_t *cvp, kmutex_t *mp,
				      clock_t delta, time_res_t res)
{
	return solcompat_cv_reltimedwait(cvp, mp, delta, res, 0);
}

/*
 * As cv_timedwait_sig with a deadline delta ticks from now.
 * Context: Process context. May sleep.
 */
static inline clock_t cv_reltimedwait_sig(kcondvar_t *cvp, kmutex_t *mp,
					  clock_t delta, time_res_t res)
{
	return solcompat_cv_reltimedwait(cvp, mp, delta, res, 1);
}

/*
 * As cv_timedwait with a nanosecond deadline: relative, or absolute on the
 * gethrtime() clock with CALLOUT_FLAG_ABSOLUTE; res is the allowed slack.
 * Context: Process context. May sleep.
 */
static inline clock_t cv_timedwait_hires(kcondvar_t *cvp, kmutex_t *mp,
					 hrtime_t tim, hrtime_t res, int flag)
{
	return solcompat_cv_timedwait_hires(cvp, mp, tim, res, flag);
}

/*
 * Wake one waiter.
 * Context: Any context.
 */
static inline void cv_signal(kcondvar_t *cvp)
{
	solcompat_cv_signal(cvp);
}

/*
 * Wake every waiter.
 * Context: Any context.
 */
static inline void cv_broadcast(kcondvar_t *cvp)
{
	solcompat_cv_broadcast(cvp);
}

#endif /* _SOLCOMPAT_SYS_CONDVAR_H */
