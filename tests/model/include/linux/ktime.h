/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/ktime.h and the CLOCK_MONOTONIC readers
 * of include/linux/timekeeping.h: ktime_t is signed nanoseconds, and
 * ktime_get() is the host's monotonic clock (the same one jiffies and
 * ktime_get_mono_fast_ns() follow in the model).
 */
#ifndef _MODEL_LINUX_KTIME_H
#define _MODEL_LINUX_KTIME_H

#include <linux/time64.h>
#include <linux/timekeeping.h>
#include <linux/types.h>

typedef s64 ktime_t;

#define KTIME_MAX ((s64) ~((u64)1 << 63))

static inline ktime_t ns_to_ktime(u64 ns)
{
	return (ktime_t)ns;
}

static inline s64 ktime_to_ns(const ktime_t kt)
{
	return kt;
}

static inline int ktime_compare(const ktime_t a, const ktime_t b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

#define ktime_add_ns(kt, nsval) ((kt) + (s64)(nsval))
#define ktime_sub(a, b) ((a) - (b))
#define ktime_add(a, b) ((a) + (b))

static inline ktime_t ktime_get(void)
{
	return (ktime_t)ktime_get_mono_fast_ns();
}

static inline u64 ktime_get_ns(void)
{
	return ktime_get_mono_fast_ns();
}

#endif /* _MODEL_LINUX_KTIME_H */
