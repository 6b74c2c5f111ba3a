/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/sched/task.h: task references. A model
 * task's slot is not reused for a new kernel thread while a reference is
 * held (the kernel keeps the task_struct until its last put); a put
 * without its get is a violation.
 */
#ifndef _MODEL_LINUX_SCHED_TASK_H
#define _MODEL_LINUX_SCHED_TASK_H

#include <linux/sched.h>

static inline struct task_struct *get_task_struct(struct task_struct *t)
{
	__atomic_add_fetch(&t->model_refs, 1, __ATOMIC_RELAXED);
	return t;
}

static inline void put_task_struct(struct task_struct *t)
{
	if (__atomic_sub_fetch(&t->model_refs, 1, __ATOMIC_RELEASE) < 0)
		model_violation("put_task_struct",
				"a reference dropped that was not taken");
}

#endif /* _MODEL_LINUX_SCHED_TASK_H */
