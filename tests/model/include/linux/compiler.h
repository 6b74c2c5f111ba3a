/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/compiler.h and asm-generic/rwonce.h:
 * branch hints, the compiler barrier and READ_ONCE/WRITE_ONCE.
 *
 * barrier() matters more here than usual: the model's interrupts are
 * signals on the same thread, so "the compiler did not keep it in a
 * register" is exactly what makes a store visible to an interrupt handler,
 * as on a real CPU.
 */
#ifndef _MODEL_LINUX_COMPILER_H
#define _MODEL_LINUX_COMPILER_H

#include <linux/types.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define barrier() __asm__ __volatile__("" : : : "memory")

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)                                                     \
	do {                                                                   \
		*(volatile __typeof__(x) *)&(x) = (val);                       \
	} while (0)

#endif /* _MODEL_LINUX_COMPILER_H */
