/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the sleeping calls of include/linux/sched.h. They sleep
 * on the host (the simulated CPU idles meanwhile, still taking interrupts)
 * and check might_sleep() first, as the kernel's do.
 */
#ifndef _MODEL_LINUX_SCHED_H
#define _MODEL_LINUX_SCHED_H

#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <asm/processor.h>
#include <model/abi.h>

#define schedule_timeout_uninterruptible(t)                                    \
	model_schedule_timeout((t), "schedule_timeout_uninterruptible")
#define schedule_timeout_interruptible(t)                                      \
	model_schedule_timeout((t), "schedule_timeout_interruptible")
#define schedule_timeout(t) model_schedule_timeout((t), "schedule_timeout")
#define cond_resched() ((void)model_schedule_timeout(0, "cond_resched"))

/* The task this CPU runs (struct task_struct is in model/abi.h). */
#define TASK_COMM_LEN MODEL_TASK_COMM_LEN
#define current model_current()

#endif /* _MODEL_LINUX_SCHED_H */
