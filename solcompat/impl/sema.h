/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/sema.h: counting semaphores (prefixed ABI). The Solaris names are in
 * sys/semaphore.h; the design is in the Big Theory Statement of
 * linux/sema.c.
 */
#ifndef _SOLCOMPAT_IMPL_SEMA_H
#define _SOLCOMPAT_IMPL_SEMA_H

#include <impl/types.h>

typedef enum solcompat_ksema_type {
	SOLCOMPAT_SEMA_DEFAULT = 0,
	SOLCOMPAT_SEMA_DRIVER = 1
} solcompat_ksema_type_t;

/*
 * A semaphore. The layout is ABI: 16 bytes (as illumos's ksema_t). s_state
 * holds the count in bits 0-31 and the number of sleepers in bits 32-63, so
 * that sema_v learns both with one atomic add and never touches the
 * semaphore again.
 */
typedef struct solcompat_ksema {
	volatile solcompat_uint64_t s_state;
	solcompat_uint64_t s_reserved;
} solcompat_ksema_t;

/*
 * Initialise with count units (name, type and arg are ignored).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_sema_init(solcompat_ksema_t *sp,
					    unsigned int count,
					    const char *name,
					    solcompat_ksema_type_t type,
					    void *arg);

/*
 * Destroy.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_sema_destroy(solcompat_ksema_t *sp);

/*
 * Take a unit, sleeping until one is available. Where sleeping is not
 * allowed: reported (SOLCOMPAT_MISUSE_CONTEXT), takes a unit if one is
 * available and returns either way.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C void solcompat_sema_p(solcompat_ksema_t *sp);

/*
 * As solcompat_sema_p, but a signal ends the wait: 0 if a unit was taken,
 * 1 if not (a signal is pending and no unit was available; the count is
 * unchanged). Where sleeping is not allowed: reported, 0 or 1 likewise
 * without waiting.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C int solcompat_sema_p_sig(solcompat_ksema_t *sp);

/*
 * Give a unit back, waking a sleeper if there is one.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_sema_v(solcompat_ksema_t *sp);

/*
 * Take a unit if one is available: non-zero if taken, 0 otherwise.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_sema_tryp(solcompat_ksema_t *sp);

/*
 * Non-zero if no unit is available (illumos: "held").
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_sema_held(const solcompat_ksema_t *sp);

#endif /* _SOLCOMPAT_IMPL_SEMA_H */
