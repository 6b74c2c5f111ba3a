/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/minmax.h: min/max without the kernel's
 * compile-time type checks (the kernel build keeps those).
 */
#ifndef _MODEL_LINUX_MINMAX_H
#define _MODEL_LINUX_MINMAX_H

#define min_t(type, x, y)                                                      \
	({                                                                     \
		type __x = (x);                                                \
		type __y = (y);                                                \
		__x < __y ? __x : __y;                                         \
	})
#define max_t(type, x, y)                                                      \
	({                                                                     \
		type __x = (x);                                                \
		type __y = (y);                                                \
		__x > __y ? __x : __y;                                         \
	})
#define min(x, y) min_t(__typeof__((x) + (y)), x, y)
#define max(x, y) max_t(__typeof__((x) + (y)), x, y)

#define clamp(val, lo, hi) min(max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)

#endif /* _MODEL_LINUX_MINMAX_H */
