/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/semaphore.h: counting semaphores. sema_v works in any context;
 * sema_p sleeps, so only process context may call it. The design is in
 * linux/sema.c.
 */
#ifndef _SOLCOMPAT_SYS_SEMAPHORE_H
#define _SOLCOMPAT_SYS_SEMAPHORE_H

#include <sys/types.h>
#include <impl/sema.h>

typedef solcompat_ksema_t ksema_t;
typedef solcompat_ksema_type_t ksema_type_t;

#define SEMA_DEFAULT SOLCOMPAT_SEMA_DEFAULT
#define SEMA_DRIVER SOLCOMPAT_SEMA_DRIVER

/*
 * Initialise with count units.
 * Context: Any context.
 */
static inline void sema_init(ksema_t *sp, uint_t count, const char *name,
			     ksema_type_t type, void *arg)
{
	solcompat_sema_init(sp, count, name, type, arg);
}

/*
 * Destroy.
 * Context: Any context.
 */
static inline void sema_destroy(ksema_t *sp)
{
	solcompat_sema_destroy(sp);
}

/*
 * Take a unit, sleeping until one is available.
 * Context: Process context. May sleep.
 */
static inline void sema_p(ksema_t *sp)
{
	solcompat_sema_p(sp);
}

/*
 * As sema_p; 1 if a signal ended the wait (count unchanged), else 0.
 * Context: Process context. May sleep.
 */
static inline int sema_p_sig(ksema_t *sp)
{
	return solcompat_sema_p_sig(sp);
}

/*
 * Give a unit back, waking a sleeper.
 * Context: Any context.
 */
static inline void sema_v(ksema_t *sp)
{
	solcompat_sema_v(sp);
}

/*
 * Take a unit if available: non-zero if taken.
 * Context: Any context.
 */
static inline int sema_tryp(ksema_t *sp)
{
	return solcompat_sema_tryp(sp);
}

/*
 * Non-zero if no unit is available.
 * Context: Any context.
 */
static inline int sema_held(ksema_t *sp)
{
	return solcompat_sema_held(sp);
}

#endif /* _SOLCOMPAT_SYS_SEMAPHORE_H */
