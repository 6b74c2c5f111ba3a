/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for arch/x86/include/asm/cmpxchg.h: xchg and cmpxchg on
 * any scalar, fully ordered as the lock-prefixed x86 instructions are.
 */
#ifndef _MODEL_ASM_CMPXCHG_H
#define _MODEL_ASM_CMPXCHG_H

#define xchg(ptr, v) __atomic_exchange_n((ptr), (v), __ATOMIC_SEQ_CST)

#define cmpxchg(ptr, old, new)                                                 \
	({                                                                     \
		__typeof__(*(ptr)) __old = (old);                              \
		__atomic_compare_exchange_n((ptr), &__old, (new), 0,           \
					    __ATOMIC_SEQ_CST,                  \
					    __ATOMIC_SEQ_CST);                 \
		__old;                                                         \
	})

/* true on success; on failure *oldp is updated to the current value. */
#define try_cmpxchg(ptr, oldp, new)                                            \
	__atomic_compare_exchange_n((ptr), (oldp), (new), 0, __ATOMIC_SEQ_CST, \
				    __ATOMIC_SEQ_CST)

#endif /* _MODEL_ASM_CMPXCHG_H */
