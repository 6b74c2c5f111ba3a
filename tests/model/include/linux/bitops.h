/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the parts of include/linux/bitops.h (and the
 * asm-generic/bitsperlong.h and linux/bits.h it pulls in) that linux/ uses.
 */
#ifndef _MODEL_LINUX_BITOPS_H
#define _MODEL_LINUX_BITOPS_H

#include <linux/compiler.h>

#define BITS_PER_LONG 64
#define BITS_PER_BYTE 8
#define BIT(nr) (1UL << (nr))
#define DIV_ROUND_UP_BITS(n, d) (((n) + (d)-1) / (d))
#define BITS_TO_LONGS(nr) DIV_ROUND_UP_BITS(nr, BITS_PER_BYTE * sizeof(long))

/* The index of the most significant set bit, 1-based; 0 for 0. */
static __always_inline int fls64(unsigned long long x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static __always_inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

/* The index of the least significant set bit, 0-based; undefined for 0. */
static __always_inline unsigned long __ffs(unsigned long word)
{
	return (unsigned long)__builtin_ctzl(word);
}

static __always_inline unsigned long __fls(unsigned long word)
{
	return 63UL - (unsigned long)__builtin_clzl(word);
}

/* The index of the first zero bit; undefined when there is none. */
static __always_inline unsigned long ffz(unsigned long word)
{
	return __ffs(~word);
}

/* Atomic bit operations on an array of longs (fully ordered, as x86's). */
static __always_inline bool test_and_set_bit(long nr, volatile unsigned long *addr)
{
	unsigned long mask = 1UL << (nr % BITS_PER_LONG);

	return (__atomic_fetch_or(&addr[nr / BITS_PER_LONG], mask,
				  __ATOMIC_SEQ_CST) & mask) != 0;
}

static __always_inline bool test_and_clear_bit(long nr,
					       volatile unsigned long *addr)
{
	unsigned long mask = 1UL << (nr % BITS_PER_LONG);

	return (__atomic_fetch_and(&addr[nr / BITS_PER_LONG], ~mask,
				   __ATOMIC_SEQ_CST) & mask) != 0;
}

static __always_inline void set_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_or(&addr[nr / BITS_PER_LONG], 1UL << (nr % BITS_PER_LONG),
			  __ATOMIC_SEQ_CST);
}

static __always_inline void clear_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(&addr[nr / BITS_PER_LONG],
			   ~(1UL << (nr % BITS_PER_LONG)), __ATOMIC_SEQ_CST);
}

/* Release ordering: writes before it are seen by whoever sets the bit. */
static __always_inline void clear_bit_unlock(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(&addr[nr / BITS_PER_LONG],
			   ~(1UL << (nr % BITS_PER_LONG)), __ATOMIC_RELEASE);
}

static __always_inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return (__atomic_load_n(&addr[nr / BITS_PER_LONG], __ATOMIC_RELAXED) >>
		(nr % BITS_PER_LONG)) & 1;
}

static __always_inline int hweight_long(unsigned long w)
{
	return __builtin_popcountl(w);
}

#endif /* _MODEL_LINUX_BITOPS_H */
