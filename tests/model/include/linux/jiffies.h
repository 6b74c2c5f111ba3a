/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/jiffies.h. HZ is 250, as on Debian's
 * kernels; jiffies start at the kernel's INITIAL_JIFFIES (five minutes
 * before wrapping) and advance with the host's monotonic clock.
 */
#ifndef _MODEL_LINUX_JIFFIES_H
#define _MODEL_LINUX_JIFFIES_H

#include <linux/time64.h>
#include <linux/types.h>

#define HZ 250
#define INITIAL_JIFFIES ((unsigned long)(unsigned int)(-300 * HZ))

u64 get_jiffies_64(void);

static inline unsigned long usecs_to_jiffies(const unsigned int u)
{
	return ((unsigned long)u + (USEC_PER_SEC / HZ) - 1) /
	       (USEC_PER_SEC / HZ);
}

static inline unsigned int jiffies_to_usecs(const unsigned long j)
{
	return (unsigned int)(j * (USEC_PER_SEC / HZ));
}

static inline unsigned long msecs_to_jiffies(const unsigned int m)
{
	return ((unsigned long)m + (MSEC_PER_SEC / HZ) - 1) /
	       (MSEC_PER_SEC / HZ);
}

#endif /* _MODEL_LINUX_JIFFIES_H */
