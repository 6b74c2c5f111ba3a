/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/kthread.h: kernel threads are tasks of
 * the model's scheduler (model_task.cc), each a host thread that runs only
 * while it holds a simulated CPU. Created stopped; kthread_run() wakes it.
 */
#ifndef _MODEL_LINUX_KTHREAD_H
#define _MODEL_LINUX_KTHREAD_H

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/sched.h>

#define kthread_create(fn, data, fmt, ...)                                     \
	({                                                                     \
		char __name[MODEL_TASK_COMM_LEN];                              \
		struct task_struct *__t;                                       \
		snprintf(__name, sizeof(__name), fmt, ##__VA_ARGS__);          \
		__t = model_kthread_create((fn), (data), __name);              \
		__t ? __t : ERR_PTR(-ENOMEM);                                  \
	})

#define kthread_run(fn, data, fmt, ...)                                        \
	({                                                                     \
		struct task_struct *__k =                                      \
			kthread_create(fn, data, fmt, ##__VA_ARGS__);          \
		if (!IS_ERR(__k))                                              \
			wake_up_process(__k);                                  \
		__k;                                                           \
	})

#define kthread_should_stop() (model_kthread_should_stop() != 0)
#define kthread_stop(p) model_kthread_stop(p)

#endif /* _MODEL_LINUX_KTHREAD_H */
