/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/sched/signal.h: signal_pending(). A test
 * makes a signal pending with model_signal_task() (the runner's
 * sctest_signal_self/sctest_thread_signal).
 */
#ifndef _MODEL_LINUX_SCHED_SIGNAL_H
#define _MODEL_LINUX_SCHED_SIGNAL_H

#include <linux/sched.h>

static inline int signal_pending(struct task_struct *p)
{
	return READ_ONCE(p->model_sigpending) != 0;
}

static inline int fatal_signal_pending(struct task_struct *p)
{
	(void)p;
	return 0;
}

#endif /* _MODEL_LINUX_SCHED_SIGNAL_H */
