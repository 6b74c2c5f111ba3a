/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/hrtimer.h. Today the sleeping half only:
 * schedule_hrtimeout_range() on the model's scheduler (model_task.cc); the
 * slack is ignored (the host's timer slack is 1 us on CPU threads). Timer
 * objects (struct hrtimer), which linux/cyclic.c needs, are not modelled
 * yet (tests/model/CMakeLists.txt lists what the model covers).
 */
#ifndef _MODEL_LINUX_HRTIMER_H
#define _MODEL_LINUX_HRTIMER_H

#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/sched.h>

enum hrtimer_mode {
	HRTIMER_MODE_ABS = 0x00,
	HRTIMER_MODE_REL = 0x01,
};

/* 0 when the time was reached, -EINTR when woken before. */
static inline int schedule_hrtimeout_range(ktime_t *expires, u64 delta,
					   const enum hrtimer_mode mode)
{
	s64 ns = mode == HRTIMER_MODE_ABS ? *expires - ktime_get() : *expires;

	(void)delta;
	if (ns < 0)
		ns = 0;
	return model_schedule(ns, "schedule_hrtimeout_range") ? -EINTR : 0;
}

static inline int schedule_hrtimeout(ktime_t *expires,
				     const enum hrtimer_mode mode)
{
	return schedule_hrtimeout_range(expires, 0, mode);
}

#endif /* _MODEL_LINUX_HRTIMER_H */
