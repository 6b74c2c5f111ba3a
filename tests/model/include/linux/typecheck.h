/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/typecheck.h: the irqflags macros use it
 * so that "flags" must be an unsigned long, as in the kernel.
 */
#ifndef _MODEL_LINUX_TYPECHECK_H
#define _MODEL_LINUX_TYPECHECK_H

#define typecheck(type, x)                                                     \
	({                                                                     \
		type __dummy;                                                  \
		__typeof__(x) __dummy2;                                        \
		(void)(&__dummy == &__dummy2);                                 \
		1;                                                             \
	})

#endif /* _MODEL_LINUX_TYPECHECK_H */
