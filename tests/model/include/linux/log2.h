/* SPDX-License-Identifier: GPL-2.0 */
/* Model stand-in for the parts of include/linux/log2.h that linux/ uses. */
#ifndef _MODEL_LINUX_LOG2_H
#define _MODEL_LINUX_LOG2_H

#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/types.h>

static __always_inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

static __always_inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1UL : 1UL << fls64(n - 1);
}

static __always_inline unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (fls64(n) - 1);
}

static __always_inline int ilog2(unsigned long n)
{
	return fls64(n) - 1;
}

/* ceil(log2(n)); 0 for n <= 1 (include/linux/log2.h). */
#define order_base_2(n) ((n) > 1 ? ilog2((n)-1) + 1 : 0)

#endif /* _MODEL_LINUX_LOG2_H */
