/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/mutex.h: kernel mutexes, adaptive and spin, usable in any context.
 * Adaptive mutexes sleep in process context (so kmem_zalloc(KM_SLEEP) may
 * be called while holding one) and spin elsewhere; spin mutexes mask
 * interrupts while held. The design is in linux/mutex.c.
 */
#ifndef _SOLCOMPAT_SYS_MUTEX_H
#define _SOLCOMPAT_SYS_MUTEX_H

#include <sys/thread.h>
#include <sys/types.h>
#include <impl/mutex.h>

typedef solcompat_kmutex_t kmutex_t;
typedef solcompat_kmutex_type_t kmutex_type_t;

#define MUTEX_ADAPTIVE SOLCOMPAT_MUTEX_ADAPTIVE
#define MUTEX_SPIN SOLCOMPAT_MUTEX_SPIN
#define MUTEX_DRIVER SOLCOMPAT_MUTEX_DRIVER
#define MUTEX_DEFAULT SOLCOMPAT_MUTEX_DEFAULT

/* For ASSERTs only, as on illumos. */
#define MUTEX_HELD(x) (mutex_owned(x))
#define MUTEX_NOT_HELD(x) (!mutex_owned(x))

/*
 * Initialise: spin if type is MUTEX_SPIN or ibc is DDI_INTR_PRI(pri) with
 * pri above LOCK_LEVEL, else adaptive. Zeroed memory needs no mutex_init.
 * Context: Any context.
 */
static inline void mutex_init(kmutex_t *mp, const char *name,
			      kmutex_type_t type, void *ibc)
{
	solcompat_mutex_init(mp, name, type, ibc);
}

/*
 * Destroy; one held by another owner is reported and left alone.
 * Context: Any context.
 */
static inline void mutex_destroy(kmutex_t *mp)
{
	solcompat_mutex_destroy(mp);
}

/*
 * Acquire; sleeps only where sleeping is allowed. Recursion and entering a
 * mutex held by interrupted code are reported and return without it.
 * Context: Any context.
 */
static inline void mutex_enter(kmutex_t *mp)
{
	solcompat_mutex_enter(mp);
}

/*
 * Acquire if free: non-zero if acquired.
 * Context: Any context.
 */
static inline int mutex_tryenter(kmutex_t *mp)
{
	return solcompat_mutex_tryenter(mp);
}

/*
 * Release; by a non-owner it is reported and changes nothing.
 * Context: Any context.
 */
static inline void mutex_exit(kmutex_t *mp)
{
	solcompat_mutex_exit(mp);
}

/*
 * Non-zero if the caller owns the mutex.
 * Context: Any context.
 */
static inline int mutex_owned(const kmutex_t *mp)
{
	return solcompat_mutex_owned(mp);
}

/*
 * The owner (curthread of the owning task; an opaque non-NULL value for
 * interrupt-level owners), NULL if free.
 * Context: Any context.
 */
static inline kthread_t *mutex_owner(const kmutex_t *mp)
{
	return (kthread_t *)solcompat_mutex_owner(mp);
}

#endif /* _SOLCOMPAT_SYS_MUTEX_H */
