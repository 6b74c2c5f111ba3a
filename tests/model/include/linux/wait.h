/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/wait.h: wait queue heads, wait_event()
 * and wake_up*(), on the model's scheduler (model_task.cc). A waiter is
 * queued by its task (a task waits on one queue at a time); wake_up() wakes
 * the first exclusive-less waiter, wake_up_all() every one. Waking is
 * allowed from any context but NMI, as in the kernel.
 */
#ifndef _MODEL_LINUX_WAIT_H
#define _MODEL_LINUX_WAIT_H

#include <linux/sched.h>
#include <linux/sched/signal.h>

typedef struct model_wait_queue wait_queue_head_t;

#define init_waitqueue_head(wq) ((wq)->first = NULL)
#define DECLARE_WAIT_QUEUE_HEAD(name) wait_queue_head_t name = {NULL}

#define wake_up(wq) model_wake_up_queue((wq), 1)
#define wake_up_all(wq) model_wake_up_queue((wq), 0)

#define wait_event(wq, condition)                                              \
	do {                                                                   \
		might_sleep();                                                 \
		for (;;) {                                                     \
			model_wait_prepare(&(wq), TASK_UNINTERRUPTIBLE);       \
			if (condition)                                         \
				break;                                         \
			schedule();                                            \
		}                                                              \
		model_wait_finish(&(wq));                                      \
	} while (0)

#define wait_event_interruptible(wq, condition)                                \
	({                                                                     \
		int __ret = 0;                                                 \
		might_sleep();                                                 \
		for (;;) {                                                     \
			model_wait_prepare(&(wq), TASK_INTERRUPTIBLE);         \
			if (condition)                                         \
				break;                                         \
			if (signal_pending(current)) {                         \
				__ret = -ERESTARTSYS;                          \
				break;                                         \
			}                                                      \
			schedule();                                            \
		}                                                              \
		model_wait_finish(&(wq));                                      \
		__ret;                                                         \
	})

#endif /* _MODEL_LINUX_WAIT_H */
