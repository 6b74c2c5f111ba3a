/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/rwlock.h: reader/writer locks (prefixed ABI). The Solaris names are
 * in sys/rwlock.h; the design is in the Big Theory Statement of
 * linux/rwlock.c.
 */
#ifndef _SOLCOMPAT_IMPL_RWLOCK_H
#define _SOLCOMPAT_IMPL_RWLOCK_H

#include <impl/types.h>

/* Lock types and access modes, with illumos's values. */
typedef enum solcompat_krw_type {
	SOLCOMPAT_RW_DRIVER = 2,
	SOLCOMPAT_RW_DEFAULT = 4
} solcompat_krw_type_t;

typedef enum solcompat_krw {
	SOLCOMPAT_RW_WRITER = 0,
	SOLCOMPAT_RW_READER = 1,
	SOLCOMPAT_RW_READER_STARVEWRITER = 2	/* reader ignoring waiting writers */
} solcompat_krw_t;

/*
 * A reader/writer lock. The layout is ABI: 16 bytes, all zero bytes are an
 * unlocked lock.
 *   rw_word     bit 0 waiters asleep, bit 1 writer wanted, bit 2 write
 *               locked; write locked: the rest is the owner's identity;
 *               otherwise bits 3-39 hint at one reader and bits 40-63
 *               count the readers
 *   rw_refused  refused enters owed one rw_exit each: recursive ones by
 *               the write owner (paid by its exits), and writers refused
 *               because a reader they would wait for is their own task or
 *               code they interrupted (paid by the next read exits)
 */
typedef struct solcompat_krwlock {
	volatile solcompat_uintptr_t rw_word;
	solcompat_uint32_t rw_refused;
	solcompat_uint32_t rw_reserved;
} solcompat_krwlock_t;

/*
 * Initialise a lock (name, type and arg are ignored).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_rw_init(solcompat_krwlock_t *rwlp,
					  const char *name,
					  solcompat_krw_type_t type,
					  void *arg);

/*
 * Destroy a lock. A held lock is reported (SOLCOMPAT_MISUSE_LOCK_NOT_OWNER)
 * and left alone.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_rw_destroy(solcompat_krwlock_t *rwlp);

/*
 * Acquire as reader or writer. Sleeps if the caller may sleep, spins
 * otherwise. A waiting writer keeps new readers out, except readers that
 * cannot sleep (they may be nested on a reader of this CPU) and
 * RW_READER_STARVEWRITER. Entering a lock the caller write-holds, or one
 * write-held by the code this CPU interrupted, is reported
 * (SOLCOMPAT_MISUSE_LOCK_RECURSION or _INTERRUPTED) and returns without
 * acquiring; after a recursion the matching rw_exit is absorbed. So is
 * RW_WRITER on a lock the lock knows the caller's task, or code this CPU
 * interrupted, to read-hold (a read exit is absorbed for it); a known
 * reader that re-enters as reader while a writer waits is reported and
 * enters.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_rw_enter(solcompat_krwlock_t *rwlp,
					   solcompat_krw_t how);

/*
 * Acquire without waiting: non-zero if acquired. A reader fails while a
 * writer holds or wants the lock.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_rw_tryenter(solcompat_krwlock_t *rwlp,
					     solcompat_krw_t how);

/*
 * Release a read or write hold. Releasing a lock not held (or write-held by
 * another owner) is reported (SOLCOMPAT_MISUSE_LOCK_NOT_OWNER). The lock is
 * not touched after it reads as free.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_rw_exit(solcompat_krwlock_t *rwlp);

/*
 * Turn the caller's write hold into a read hold and let waiting readers in.
 * Without a write hold: reported (SOLCOMPAT_MISUSE_LOCK_NOT_OWNER).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_rw_downgrade(solcompat_krwlock_t *rwlp);

/*
 * Turn the caller's read hold into a write hold if it is the only reader
 * and no writer is waiting: non-zero on success, 0 (still a reader)
 * otherwise (also while a refused writer's rw_exit is owed). A caller the
 * lock knows is not its reader is reported (SOLCOMPAT_MISUSE_LOCK_NOT_OWNER)
 * and gets 0.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_rw_tryupgrade(solcompat_krwlock_t *rwlp);

/*
 * Non-zero if the lock is read-held (by anyone: readers are anonymous).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_rw_read_held(const solcompat_krwlock_t *rwlp);

/*
 * Non-zero if the caller write-holds the lock.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_rw_write_held(const solcompat_krwlock_t *rwlp);

/*
 * Non-zero if the lock is read-held, or write-held by the caller.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_rw_lock_held(const solcompat_krwlock_t *rwlp);

/*
 * For a caller holding the lock: non-zero if its hold is a read hold, 0 if
 * it is a write hold (or the lock is not held).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C int solcompat_rw_read_locked(const solcompat_krwlock_t *rwlp);

#endif /* _SOLCOMPAT_IMPL_RWLOCK_H */
