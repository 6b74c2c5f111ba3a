/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/atomic.h: the illumos atomic operations.
 *
 * Implemented inline with the compiler's __atomic builtins, which compile to
 * single lock-prefixed instructions on x86-64: no function call, so nothing a
 * probe can land on, which is what probe context needs (CONTRACTS.md 2.3).
 * All read-modify-write operations are sequentially consistent, as the
 * illumos implementations (lock-prefixed) are. The same code serves the
 * kernel and the userspace model.
 *
 * Return values: atomic_*_nv return the new value; atomic_cas_* and
 * atomic_swap_* return the old value; atomic_set_long_excl and
 * atomic_clear_long_excl return 0 on success, -1 if the bit was already in the
 * requested state.
 *
 * Context: Any context, for every function in this header.
 */
#ifndef _SOLCOMPAT_SYS_ATOMIC_H
#define _SOLCOMPAT_SYS_ATOMIC_H

#include <sys/types.h>

#define SOLCOMPAT_ATOMIC_OPS(name, type)                                       \
	static inline void atomic_inc_##name(volatile type *target)            \
	{                                                                      \
		__atomic_fetch_add(target, 1, __ATOMIC_SEQ_CST);               \
	}                                                                      \
	static inline void atomic_dec_##name(volatile type *target)            \
	{                                                                      \
		__atomic_fetch_sub(target, 1, __ATOMIC_SEQ_CST);               \
	}                                                                      \
	static inline type atomic_inc_##name##_nv(volatile type *target)       \
	{                                                                      \
		return __atomic_add_fetch(target, 1, __ATOMIC_SEQ_CST);        \
	}                                                                      \
	static inline type atomic_dec_##name##_nv(volatile type *target)       \
	{                                                                      \
		return __atomic_sub_fetch(target, 1, __ATOMIC_SEQ_CST);        \
	}                                                                      \
	static inline void atomic_or_##name(volatile type *target, type bits)  \
	{                                                                      \
		__atomic_fetch_or(target, bits, __ATOMIC_SEQ_CST);             \
	}                                                                      \
	static inline void atomic_and_##name(volatile type *target, type bits) \
	{                                                                      \
		__atomic_fetch_and(target, bits, __ATOMIC_SEQ_CST);            \
	}                                                                      \
	static inline type atomic_or_##name##_nv(volatile type *target,        \
						 type bits)                    \
	{                                                                      \
		return __atomic_or_fetch(target, bits, __ATOMIC_SEQ_CST);      \
	}                                                                      \
	static inline type atomic_and_##name##_nv(volatile type *target,       \
						  type bits)                   \
	{                                                                      \
		return __atomic_and_fetch(target, bits, __ATOMIC_SEQ_CST);     \
	}                                                                      \
	static inline type atomic_cas_##name(volatile type *target, type cmp,  \
					     type newval)                      \
	{                                                                      \
		__atomic_compare_exchange_n(target, &cmp, newval, 0,           \
					    __ATOMIC_SEQ_CST,                  \
					    __ATOMIC_SEQ_CST);                 \
		return cmp; /* on failure cmp holds the value seen */          \
	}                                                                      \
	static inline type atomic_swap_##name(volatile type *target,           \
					      type newval)                     \
	{                                                                      \
		return __atomic_exchange_n(target, newval, __ATOMIC_SEQ_CST);  \
	}

#define SOLCOMPAT_ATOMIC_ADD(name, type, deltatype)                            \
	static inline void atomic_add_##name(volatile type *target,            \
					     deltatype delta)                  \
	{                                                                      \
		__atomic_fetch_add(target, (type)delta, __ATOMIC_SEQ_CST);     \
	}                                                                      \
	static inline type atomic_add_##name##_nv(volatile type *target,       \
						  deltatype delta)             \
	{                                                                      \
		return __atomic_add_fetch(target, (type)delta,                 \
					  __ATOMIC_SEQ_CST);                   \
	}

SOLCOMPAT_ATOMIC_OPS(8, uint8_t)
SOLCOMPAT_ATOMIC_OPS(uchar, uchar_t)
SOLCOMPAT_ATOMIC_OPS(16, uint16_t)
SOLCOMPAT_ATOMIC_OPS(ushort, ushort_t)
SOLCOMPAT_ATOMIC_OPS(32, uint32_t)
SOLCOMPAT_ATOMIC_OPS(uint, uint_t)
SOLCOMPAT_ATOMIC_OPS(ulong, ulong_t)
SOLCOMPAT_ATOMIC_OPS(64, uint64_t)

SOLCOMPAT_ATOMIC_ADD(8, uint8_t, int8_t)
SOLCOMPAT_ATOMIC_ADD(char, uchar_t, signed char)
SOLCOMPAT_ATOMIC_ADD(16, uint16_t, int16_t)
SOLCOMPAT_ATOMIC_ADD(short, ushort_t, short)
SOLCOMPAT_ATOMIC_ADD(32, uint32_t, int32_t)
SOLCOMPAT_ATOMIC_ADD(int, uint_t, int)
SOLCOMPAT_ATOMIC_ADD(long, ulong_t, long)
SOLCOMPAT_ATOMIC_ADD(64, uint64_t, int64_t)

/* Context: Any context. */
static inline void *atomic_cas_ptr(volatile void *target, void *cmp,
				   void *newval)
{
	__atomic_compare_exchange_n((void *volatile *)target, &cmp, newval, 0,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return cmp;
}

/* Context: Any context. */
static inline void *atomic_swap_ptr(volatile void *target, void *newval)
{
	return __atomic_exchange_n((void *volatile *)target, newval,
				   __ATOMIC_SEQ_CST);
}

/* Context: Any context. */
static inline void atomic_add_ptr(volatile void *target, ssize_t delta)
{
	__atomic_fetch_add((volatile uintptr_t *)target, (uintptr_t)delta,
			   __ATOMIC_SEQ_CST);
}

/* Context: Any context. */
static inline void *atomic_add_ptr_nv(volatile void *target, ssize_t delta)
{
	return (void *)__atomic_add_fetch((volatile uintptr_t *)target,
					  (uintptr_t)delta, __ATOMIC_SEQ_CST);
}

/* Context: Any context. */
static inline int atomic_set_long_excl(volatile ulong_t *target, uint_t bit)
{
	ulong_t mask = 1UL << bit;

	return (__atomic_fetch_or(target, mask, __ATOMIC_SEQ_CST) & mask) ? -1
									  : 0;
}

/* Context: Any context. */
static inline int atomic_clear_long_excl(volatile ulong_t *target, uint_t bit)
{
	ulong_t mask = 1UL << bit;

	return (__atomic_fetch_and(target, ~mask, __ATOMIC_SEQ_CST) & mask) ? 0
									    : -1;
}

/* Memory barriers: the illumos membar_* family. Context: Any context. */
static inline void membar_enter(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Context: Any context. */
static inline void membar_exit(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Context: Any context. */
static inline void membar_producer(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

/* Context: Any context. */
static inline void membar_consumer(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

/* Context: Any context. */
static inline void membar_sync(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

#endif /* _SOLCOMPAT_SYS_ATOMIC_H */
