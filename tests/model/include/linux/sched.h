/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/sched.h: task states, `current`, and the
 * sleeping and waking calls, on the model's scheduler (model_task.cc). Each
 * sleeping call checks the context first, as the kernel's might_sleep() and
 * "scheduling while atomic" checks do.
 */
#ifndef _MODEL_LINUX_SCHED_H
#define _MODEL_LINUX_SCHED_H

#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <asm/barrier.h>
#include <asm/processor.h>
#include <model/abi.h>

#define TASK_RUNNING MODEL_TASK_RUNNING
#define TASK_INTERRUPTIBLE MODEL_TASK_INTERRUPTIBLE
#define TASK_UNINTERRUPTIBLE MODEL_TASK_UNINTERRUPTIBLE
#define TASK_WAKEKILL MODEL_TASK_WAKEKILL
#define TASK_NOLOAD MODEL_TASK_NOLOAD
#define TASK_KILLABLE (TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_IDLE (TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_NORMAL MODEL_TASK_NORMAL

#define MAX_SCHEDULE_TIMEOUT LONG_MAX

/* The task this thread runs (struct task_struct is in model/abi.h). */
#define TASK_COMM_LEN MODEL_TASK_COMM_LEN
#define current model_current()

#define __set_current_state(s) WRITE_ONCE(current->__state, (s))
#define set_current_state(s)                                                   \
	do {                                                                   \
		WRITE_ONCE(current->__state, (s));                             \
		smp_mb();                                                      \
	} while (0)

static inline void schedule(void)
{
	model_schedule(-1, "schedule");
}

/* Jiffies are 4 ms (HZ 250); returns the jiffies left, as the kernel's. */
static inline long model_schedule_jiffies(long timeout, const char *api)
{
	long long left;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		model_schedule(-1, api);
		return MAX_SCHEDULE_TIMEOUT;
	}
	if (timeout < 0) {
		model_violation(api, "negative timeout %ld", timeout);
		timeout = 0;
	}
	left = model_schedule((long long)timeout * (NSEC_PER_SEC / HZ), api);
	return (long)((left + (NSEC_PER_SEC / HZ) - 1) / (NSEC_PER_SEC / HZ));
}

#define schedule_timeout(t) model_schedule_jiffies((t), "schedule_timeout")
#define schedule_timeout_uninterruptible(t)                                    \
	({                                                                     \
		__set_current_state(TASK_UNINTERRUPTIBLE);                     \
		model_schedule_jiffies((t),                                    \
				       "schedule_timeout_uninterruptible");    \
	})
#define schedule_timeout_interruptible(t)                                      \
	({                                                                     \
		__set_current_state(TASK_INTERRUPTIBLE);                       \
		model_schedule_jiffies((t), "schedule_timeout_interruptible"); \
	})

static inline int wake_up_process(struct task_struct *p)
{
	return model_wake_up_state(p, TASK_NORMAL);
}

static inline int wake_up_state(struct task_struct *p, unsigned int state)
{
	return model_wake_up_state(p, state);
}

#define need_resched() (model_need_resched() != 0)
#define cond_resched() model_yield("cond_resched")
#define yield() model_yield("yield")

static inline int task_curr(const struct task_struct *p)
{
	return READ_ONCE(p->on_cpu);
}

#endif /* _MODEL_LINUX_SCHED_H */
