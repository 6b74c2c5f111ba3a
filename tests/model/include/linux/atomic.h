/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/atomic.h (atomic_t, atomic_long_t) on the
 * compiler's __atomic builtins. Orderings follow
 * Documentation/atomic_t.txt: plain read/set and void RMW operations are
 * unordered (relaxed), value-returning RMW operations are fully ordered,
 * _acquire/_release variants as named.
 */
#ifndef _MODEL_LINUX_ATOMIC_H
#define _MODEL_LINUX_ATOMIC_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <asm/barrier.h>
#include <asm/cmpxchg.h>

#define ATOMIC_INIT(i)                                                         \
	{                                                                      \
		(i)                                                            \
	}
#define ATOMIC_LONG_INIT(i)                                                    \
	{                                                                      \
		(i)                                                            \
	}

typedef struct {
	long counter;
} atomic_long_t;

#define MODEL_ATOMIC_OPS(prefix, atype, ctype)                                 \
	static __always_inline ctype prefix##_read(const atype *v)             \
	{                                                                      \
		return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);         \
	}                                                                      \
	static __always_inline ctype prefix##_read_acquire(const atype *v)     \
	{                                                                      \
		return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE);         \
	}                                                                      \
	static __always_inline void prefix##_set(atype *v, ctype i)            \
	{                                                                      \
		__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);            \
	}                                                                      \
	static __always_inline void prefix##_set_release(atype *v, ctype i)    \
	{                                                                      \
		__atomic_store_n(&v->counter, i, __ATOMIC_RELEASE);            \
	}                                                                      \
	static __always_inline void prefix##_add(ctype i, atype *v)            \
	{                                                                      \
		__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);          \
	}                                                                      \
	static __always_inline void prefix##_sub(ctype i, atype *v)            \
	{                                                                      \
		__atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED);          \
	}                                                                      \
	static __always_inline void prefix##_inc(atype *v)                     \
	{                                                                      \
		prefix##_add(1, v);                                            \
	}                                                                      \
	static __always_inline void prefix##_dec(atype *v)                     \
	{                                                                      \
		prefix##_sub(1, v);                                            \
	}                                                                      \
	static __always_inline ctype prefix##_add_return(ctype i, atype *v)    \
	{                                                                      \
		return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);   \
	}                                                                      \
	static __always_inline ctype prefix##_sub_return(ctype i, atype *v)    \
	{                                                                      \
		return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST);   \
	}                                                                      \
	static __always_inline ctype prefix##_dec_return_release(atype *v)     \
	{                                                                      \
		return __atomic_sub_fetch(&v->counter, 1, __ATOMIC_RELEASE);   \
	}                                                                      \
	static __always_inline ctype prefix##_inc_return(atype *v)             \
	{                                                                      \
		return prefix##_add_return(1, v);                              \
	}                                                                      \
	static __always_inline ctype prefix##_dec_return(atype *v)             \
	{                                                                      \
		return prefix##_sub_return(1, v);                              \
	}                                                                      \
	static __always_inline bool prefix##_dec_and_test(atype *v)            \
	{                                                                      \
		return prefix##_sub_return(1, v) == 0;                         \
	}                                                                      \
	static __always_inline ctype prefix##_cmpxchg_acquire(                 \
		atype *v, ctype old, ctype new)                                \
	{                                                                      \
		__atomic_compare_exchange_n(&v->counter, &old, new, 0,         \
					    __ATOMIC_ACQUIRE,                  \
					    __ATOMIC_ACQUIRE);                 \
		return old;                                                    \
	}                                                                      \
	static __always_inline ctype prefix##_dec_if_positive(atype *v)        \
	{                                                                      \
		ctype c = prefix##_read(v);                                    \
		do {                                                           \
			if (c <= 0)                                            \
				return c - 1;                                  \
		} while (!__atomic_compare_exchange_n(&v->counter, &c, c - 1,  \
						      0, __ATOMIC_SEQ_CST,     \
						      __ATOMIC_SEQ_CST));      \
		return c - 1;                                                  \
	}                                                                      \
	static __always_inline ctype prefix##_xchg(atype *v, ctype i)          \
	{                                                                      \
		return __atomic_exchange_n(&v->counter, i, __ATOMIC_SEQ_CST);  \
	}                                                                      \
	static __always_inline ctype prefix##_cmpxchg(atype *v, ctype old,     \
						      ctype new)               \
	{                                                                      \
		__atomic_compare_exchange_n(&v->counter, &old, new, 0,         \
					    __ATOMIC_SEQ_CST,                  \
					    __ATOMIC_SEQ_CST);                 \
		return old;                                                    \
	}

MODEL_ATOMIC_OPS(atomic, atomic_t, int)
MODEL_ATOMIC_OPS(atomic64, atomic64_t, s64)
MODEL_ATOMIC_OPS(atomic_long, atomic_long_t, long)

#endif /* _MODEL_LINUX_ATOMIC_H */
