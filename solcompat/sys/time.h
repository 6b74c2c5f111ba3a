/* SPDX-License-Identifier: GPL-2.0 */
/* sys/time.h: high-resolution time (gethrtime, gethrestime) and units. */
#ifndef _SOLCOMPAT_SYS_TIME_H
#define _SOLCOMPAT_SYS_TIME_H

#include <sys/types.h>
#include <impl/time.h>

#define SEC 1
#define MILLISEC 1000
#define MICROSEC 1000000
#define NANOSEC 1000000000LL

typedef solcompat_timespec_t timespec_t;
typedef solcompat_timespec_t timestruc_t;

/*
 * Monotonic nanoseconds, NMI-safe.
 * Context: Any context.
 */
static inline hrtime_t gethrtime(void)
{
	return solcompat_gethrtime();
}

/*
 * Wall-clock time.
 * Context: Any context.
 */
static inline void gethrestime(timestruc_t *ts)
{
	solcompat_gethrestime(ts);
}

#endif /* _SOLCOMPAT_SYS_TIME_H */
