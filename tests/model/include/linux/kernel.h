/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/kernel.h: what it pulls in (printk,
 * panic, limits, min/max, va_list) and might_sleep().
 *
 * might_sleep() always checks here, as CONFIG_DEBUG_ATOMIC_SLEEP does in the
 * kernel (Debian's kernels have it off, which is why the model exists): a
 * call that may sleep from atomic, interrupt or NMI context, or with
 * interrupts disabled, is a test failure naming the function that called
 * might_sleep() and the context.
 */
#ifndef _MODEL_LINUX_KERNEL_H
#define _MODEL_LINUX_KERNEL_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/panic.h>
#include <linux/printk.h>
#include <linux/stdarg.h>
#include <linux/types.h>
#include <model/abi.h>

/* lib/vsprintf.c; the model links the host C library's, which agrees on
 * the conversions linux/ uses with it (%s, %d, %u, %lu). */
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
__printf(3, 0) int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);

/* lib/kstrtox.c: base 0 takes 0x (hex) and 0 (octal) prefixes. 0 or
 * -EINVAL/-ERANGE (-22/-34). */
static inline int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long v = 0;
	int any = 0;

	if (base == 0) {
		base = 10;
		if (s[0] == '0') {
			base = (s[1] == 'x' || s[1] == 'X') ? 16 : 8;
			s += base == 16 ? 2 : 1;
			any = base == 8;
		}
	}
	for (; *s && *s != '\n'; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			d = (unsigned int)((*s | 0x20) - 'a' + 10);
		else
			return -22;
		if (d >= base)
			return -22;
		if (__builtin_mul_overflow(v, base, &v) ||
		    __builtin_add_overflow(v, d, &v))
			return -34;
		any = 1;
	}
	if (!any)
		return -22;
	*res = v;
	return 0;
}

/* include/linux/container_of.h */
#define container_of(ptr, type, member)                                        \
	((type *)(void *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define _RET_IP_ ((unsigned long)__builtin_return_address(0))

#define might_sleep() model_might_sleep(__FILE__, __LINE__, __func__)
#define might_sleep_if(cond)                                                   \
	do {                                                                   \
		if (cond)                                                      \
			might_sleep();                                         \
	} while (0)

/* include/linux/align.h and math.h. */
#define ALIGN(x, a) (((x) + ((__typeof__(x))(a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define PTR_ALIGN(p, a) ((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))
#define DIV_ROUND_UP_ULL(ll, d)                                                \
	((unsigned long long)(((unsigned long long)(ll) + (d)-1) / (d)))
#define round_up(x, y) ((((x)-1) | ((__typeof__(x))((y)-1))) + 1)

#endif /* _MODEL_LINUX_KERNEL_H */
