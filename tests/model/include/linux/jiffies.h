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
#define TICK_NSEC ((NSEC_PER_SEC + HZ / 2) / HZ)
#define INITIAL_JIFFIES ((unsigned long)(unsigned int)(-300 * HZ))

u64 get_jiffies_64(void);
/*
 * The kernel's jiffies is a variable the tick advances. The model's is
 * per thread (no data race for ThreadSanitizer to see) and brought up to
 * date where the kernel's tick could have run: every interrupt, every
 * return from schedule(), cpu_relax() and udelay() (model_jiffies_refresh).
 */
extern __thread volatile unsigned long jiffies;
void model_jiffies_refresh(void);

#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)

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
