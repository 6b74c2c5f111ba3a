/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/time.h: clocks, ticks and delays (prefixed ABI). Solaris names are in
 * sys/time.h and sys/sunddi.h; the design is in linux/time.c.
 */
#ifndef _SOLCOMPAT_IMPL_TIME_H
#define _SOLCOMPAT_IMPL_TIME_H

#include <impl/types.h>

typedef struct solcompat_timespec {
	solcompat_int64_t tv_sec;
	long tv_nsec;
} solcompat_timespec_t;

/*
 * Nanoseconds on a monotonic clock that never goes backwards on a CPU;
 * safe in NMI (no seqlock), so usable for probe timestamps.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C solcompat_hrtime_t solcompat_gethrtime(void);

/*
 * Wall-clock time, NMI-safe (the fast real-time clock).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_gethrestime(solcompat_timespec_t *ts);

/*
 * Clock ticks since boot (the Solaris lbolt), at solcompat_hz() per second.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C solcompat_int64_t solcompat_lbolt(void);

/*
 * Ticks per second.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_hz(void);

/*
 * Microseconds to ticks, rounded up.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C long solcompat_usec_to_ticks(long usec);

/*
 * Ticks to microseconds.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C long solcompat_ticks_to_usec(long ticks);

/*
 * Busy-wait at least usec microseconds.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_usecwait(long usec);

/*
 * Sleep at least ticks clock ticks. Elsewhere than process context it is
 * reported and busy-waits instead of sleeping.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C void solcompat_delay(long ticks);

#endif /* _SOLCOMPAT_IMPL_TIME_H */
