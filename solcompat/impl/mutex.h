/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/mutex.h: kernel mutexes (prefixed ABI). The Solaris names are in
 * sys/mutex.h; the design is in the Big Theory Statement of linux/mutex.c.
 */
#ifndef _SOLCOMPAT_IMPL_MUTEX_H
#define _SOLCOMPAT_IMPL_MUTEX_H

#include <impl/types.h>

/* Mutex types, with illumos's values. */
typedef enum solcompat_kmutex_type {
	SOLCOMPAT_MUTEX_ADAPTIVE = 0,	/* sleeps in process context */
	SOLCOMPAT_MUTEX_SPIN = 1,	/* masks interrupts while held */
	SOLCOMPAT_MUTEX_DRIVER = 4,	/* spin if the priority > LOCK_LEVEL */
	SOLCOMPAT_MUTEX_DEFAULT = 6	/* the same */
} solcompat_kmutex_type_t;

/*
 * A mutex. The layout is ABI: 16 bytes, no Linux type inside, and all zero
 * bytes are an unlocked adaptive mutex (kmem_zalloc'd or static memory
 * needs no mutex_init).
 *   m_owner    0 when free, else the owner's identity (a task, or "this CPU
 *              at this interrupt/probe nesting level") with flags in bits 0-2
 *   m_type     0 adaptive, 1 spin
 *   m_pil      spin: the priority level it stands for (interrupts are
 *              masked while held, so getpil() reports at least this)
 *   m_refused  recursive enters refused and owed one mutex_exit each
 *   m_spl      spin: whether interrupts were on at the enter (restored
 *              at exit)
 */
typedef struct solcompat_kmutex {
	volatile solcompat_uintptr_t m_owner;
	solcompat_uint8_t m_type;
	solcompat_uint8_t m_pil;
	solcompat_uint16_t m_refused;
	solcompat_int32_t m_spl;
} solcompat_kmutex_t;

/*
 * Initialise a mutex. A spin mutex results from type SOLCOMPAT_MUTEX_SPIN or
 * from ibc, a priority (DDI_INTR_PRI(pri)), above LOCK_LEVEL; anything else
 * is adaptive. name is ignored.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_mutex_init(solcompat_kmutex_t *mp,
					     const char *name,
					     solcompat_kmutex_type_t type,
					     void *ibc);

/*
 * Destroy a mutex (it reads as free and adaptive afterwards). One held by
 * another owner is reported (SOLCOMPAT_MISUSE_LOCK_NOT_OWNER) and left
 * alone; one held by the caller is released.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_mutex_destroy(solcompat_kmutex_t *mp);

/*
 * Acquire a mutex. Adaptive: sleeps while the owner is off CPU, if the
 * caller may sleep; spins otherwise (atomic, hardirq, NMI, probe context).
 * Spin: masks interrupts (the level m_pil and above) and spins with
 * the caller's interrupt state while waiting. Entering a mutex the caller
 * already holds, or one held by the code this CPU interrupted, would never
 * return: it is reported (SOLCOMPAT_MISUSE_LOCK_RECURSION or
 * _INTERRUPTED) and returns without acquiring; after a recursion the
 * matching mutex_exit is absorbed, so the outer hold stays intact.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_mutex_enter(solcompat_kmutex_t *mp);

/*
 * Acquire a mutex if it is free: non-zero if acquired, 0 if held (by the
 * caller too; no report). Never waits.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_mutex_tryenter(solcompat_kmutex_t *mp);

/*
 * Release a mutex. Releasing one the caller does not own is reported
 * (SOLCOMPAT_MISUSE_LOCK_NOT_OWNER) and changes nothing. The mutex is not
 * touched after it reads as free: its memory may be freed at once.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_mutex_exit(solcompat_kmutex_t *mp);

/*
 * Non-zero if the caller (this task, or this CPU's current interrupt or
 * probe level) owns the mutex.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_mutex_owned(const solcompat_kmutex_t *mp);

/*
 * The owner's identity (the owning task, as curthread, or an opaque token
 * for interrupt-level owners), NULL when free.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_mutex_owner(const solcompat_kmutex_t *mp);

#endif /* _SOLCOMPAT_IMPL_MUTEX_H */
