/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/rwlock.h: reader/writer locks, usable in any context: they sleep in
 * process context and spin elsewhere. Waiting writers keep new readers out.
 * The design is in linux/rwlock.c.
 */
#ifndef _SOLCOMPAT_SYS_RWLOCK_H
#define _SOLCOMPAT_SYS_RWLOCK_H

#include <sys/types.h>
#include <impl/rwlock.h>

typedef solcompat_krwlock_t krwlock_t;
typedef solcompat_krw_type_t krw_type_t;
typedef solcompat_krw_t krw_t;

#define RW_DRIVER SOLCOMPAT_RW_DRIVER
#define RW_DEFAULT SOLCOMPAT_RW_DEFAULT
#define RW_WRITER SOLCOMPAT_RW_WRITER
#define RW_READER SOLCOMPAT_RW_READER
#define RW_READER_STARVEWRITER SOLCOMPAT_RW_READER_STARVEWRITER

/* For ASSERTs, as on illumos. */
#define RW_READ_HELD(x) (rw_read_held(x))
#define RW_WRITE_HELD(x) (rw_write_held(x))
#define RW_LOCK_HELD(x) (rw_lock_held(x))

/*
 * Initialise. Zeroed memory needs no rw_init.
 * Context: Any context.
 */
static inline void rw_init(krwlock_t *rwlp, const char *name, krw_type_t type,
			   void *arg)
{
	solcompat_rw_init(rwlp, name, type, arg);
}

/*
 * Destroy; a held lock is reported and left alone.
 * Context: Any context.
 */
static inline void rw_destroy(krwlock_t *rwlp)
{
	solcompat_rw_destroy(rwlp);
}

/*
 * Acquire as RW_READER or RW_WRITER; sleeps only where sleeping is allowed.
 * Context: Any context.
 */
static inline void rw_enter(krwlock_t *rwlp, krw_t how)
{
	solcompat_rw_enter(rwlp, how);
}

/*
 * Acquire without waiting: non-zero if acquired.
 * Context: Any context.
 */
static inline int rw_tryenter(krwlock_t *rwlp, krw_t how)
{
	return solcompat_rw_tryenter(rwlp, how);
}

/*
 * Release the caller's read or write hold.
 * Context: Any context.
 */
static inline void rw_exit(krwlock_t *rwlp)
{
	solcompat_rw_exit(rwlp);
}

/*
 * Write hold to read hold; waiting readers get in.
 * Context: Any context.
 */
static inline void rw_downgrade(krwlock_t *rwlp)
{
	solcompat_rw_downgrade(rwlp);
}

/*
 * Read hold to write hold if the caller is the only reader and no writer
 * waits: non-zero on success.
 * Context: Any context.
 */
static inline int rw_tryupgrade(krwlock_t *rwlp)
{
	return solcompat_rw_tryupgrade(rwlp);
}

/*
 * Non-zero if read-held (by anyone).
 * Context: Any context.
 */
static inline int rw_read_held(const krwlock_t *rwlp)
{
	return solcompat_rw_read_held(rwlp);
}

/*
 * Non-zero if write-held by the caller.
 * Context: Any context.
 */
static inline int rw_write_held(const krwlock_t *rwlp)
{
	return solcompat_rw_write_held(rwlp);
}

/*
 * Non-zero if read-held, or write-held by the caller.
 * Context: Any context.
 */
static inline int rw_lock_held(const krwlock_t *rwlp)
{
	return solcompat_rw_lock_held(rwlp);
}

/*
 * For a holder: non-zero for a read hold, 0 for a write hold.
 * Context: Any context.
 */
static inline int rw_read_locked(const krwlock_t *rwlp)
{
	return solcompat_rw_read_locked(rwlp);
}

#endif /* _SOLCOMPAT_SYS_RWLOCK_H */
