/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/mutex.h: a sleeping lock for task
 * context. mutex_lock checks might_sleep, takes the lock with one
 * compare-and-swap of the owner (the current task) and otherwise sleeps a
 * tick and tries again (no wait list, no priority inheritance: the model's
 * users hold these briefly). Recursion and unlock by a non-owner are
 * violations, as lockdep and DEBUG_MUTEXES would report them.
 */
#ifndef _MODEL_LINUX_MUTEX_H
#define _MODEL_LINUX_MUTEX_H

#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <model/abi.h>

struct mutex {
	struct task_struct *owner;
};

#define DEFINE_MUTEX(name) struct mutex name = {NULL}

static inline void mutex_init(struct mutex *m)
{
	__atomic_store_n(&m->owner, NULL, __ATOMIC_RELAXED);
}

static inline void mutex_lock(struct mutex *m)
{
	struct task_struct *none;

	might_sleep();
	if (__atomic_load_n(&m->owner, __ATOMIC_RELAXED) == current)
		model_violation("mutex_lock", "recursive lock of %p", m);
	for (;;) {
		none = NULL;
		if (__atomic_compare_exchange_n(&m->owner, &none, current, 0,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		schedule_timeout_uninterruptible(1);
	}
}

static inline void mutex_unlock(struct mutex *m)
{
	if (__atomic_load_n(&m->owner, __ATOMIC_RELAXED) != current)
		model_violation("mutex_unlock", "%p unlocked by a non-owner", m);
	__atomic_store_n(&m->owner, NULL, __ATOMIC_RELEASE);
}

static inline bool mutex_is_locked(struct mutex *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) != NULL;
}

#endif /* _MODEL_LINUX_MUTEX_H */
