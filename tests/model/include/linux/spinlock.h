/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the raw_spinlock_t part of include/linux/spinlock.h.
 *
 * The lock records its holder (CPU and interrupt frame). A CPU that tries to
 * take a lock held by code it interrupted, or by itself, would spin forever
 * on a real machine; the model sees it on the first attempt and reports a
 * fatal violation instead (the CPU abandons the test's work, as after a
 * panic). Waiting longer than the lockup bound for another CPU is reported
 * the same way. Unlocking a lock the caller's CPU does not hold is a
 * violation.
 */
#ifndef _MODEL_LINUX_SPINLOCK_H
#define _MODEL_LINUX_SPINLOCK_H

#include <linux/compiler.h>
#include <linux/irqflags.h>
#include <linux/preempt.h>
#include <linux/typecheck.h>
#include <model/abi.h>

typedef struct raw_spinlock {
	struct model_spinlock raw_lock;
} raw_spinlock_t;

#define __RAW_SPIN_LOCK_UNLOCKED(name)                                         \
	{                                                                      \
		.raw_lock = { 0 }                                              \
	}
#define DEFINE_RAW_SPINLOCK(x) raw_spinlock_t x = __RAW_SPIN_LOCK_UNLOCKED(x)
#define raw_spin_lock_init(lock)                                               \
	do {                                                                   \
		*(lock) = (raw_spinlock_t)__RAW_SPIN_LOCK_UNLOCKED(lock);      \
	} while (0)

static __always_inline void raw_spin_lock(raw_spinlock_t *lock)
{
	preempt_disable();
	model_spin_lock(&lock->raw_lock, "raw_spin_lock");
}

static __always_inline int raw_spin_trylock(raw_spinlock_t *lock)
{
	preempt_disable();
	if (model_spin_trylock(&lock->raw_lock))
		return 1;
	preempt_enable();
	return 0;
}

static __always_inline void raw_spin_unlock(raw_spinlock_t *lock)
{
	model_spin_unlock(&lock->raw_lock, "raw_spin_unlock");
	preempt_enable();
}

static __always_inline void raw_spin_lock_irq(raw_spinlock_t *lock)
{
	raw_local_irq_disable();
	raw_spin_lock(lock);
}

static __always_inline void raw_spin_unlock_irq(raw_spinlock_t *lock)
{
	raw_spin_unlock(lock);
	raw_local_irq_enable();
}

#define raw_spin_lock_irqsave(lock, flags)                                     \
	do {                                                                   \
		typecheck(unsigned long, flags);                               \
		raw_local_irq_save(flags);                                     \
		raw_spin_lock(lock);                                           \
	} while (0)

#define raw_spin_unlock_irqrestore(lock, flags)                                \
	do {                                                                   \
		typecheck(unsigned long, flags);                               \
		raw_spin_unlock(lock);                                         \
		raw_local_irq_restore(flags);                                  \
	} while (0)

static __always_inline int raw_spin_is_locked(raw_spinlock_t *lock)
{
	return __atomic_load_n(&lock->raw_lock.owner, __ATOMIC_RELAXED) != 0;
}

#endif /* _MODEL_LINUX_SPINLOCK_H */
