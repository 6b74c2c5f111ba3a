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

/*
 * Marked accesses: relaxed atomics, which compile to the same single load
 * or store as the kernel's volatile accesses and which ThreadSanitizer
 * knows are intentional (the kernel memory model does not call a race
 * between marked accesses a data race; TSan would, for volatile).
 */
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)                                                     \
	do {                                                                   \
		__atomic_store_n(&(x), (val), __ATOMIC_RELAXED);               \
	} while (0)

#endif /* _MODEL_LINUX_COMPILER_H */
