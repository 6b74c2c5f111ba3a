/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/sysmacros.h: MIN, MAX, ABS, the power-of-two alignment family (P2*),
 * howmany, roundup, offsetof, ARRAY_SIZE and NBBY; the BT_* bit macros
 * (sys/bitmap.h on illumos) come along, since ported code often expects them
 * after including only this header.
 *
 * Macros only: usable in any context. Like illumos's, they evaluate their
 * arguments more than once, so arguments must have no side effects.
 *
 * P2* take a power-of-two alignment and compute in the usual arithmetic
 * conversion of their operands, as on illumos. Mixing widths truncates:
 * P2ALIGN(x64, align32) computes -(align32) in 32 bits and so clears the
 * upper half of x64; use the _TYPED forms to name the type to compute in.
 */
#ifndef _SOLCOMPAT_SYS_SYSMACROS_H
#define _SOLCOMPAT_SYS_SYSMACROS_H

#include <sys/bitmap.h>
#include <sys/types.h>

#define NBBY 8 /* bits per byte */

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) < (b) ? (b) : (a))
#define ABS(a) ((a) < 0 ? -(a) : (a))
/* -1, 0 or 1 by the sign of a. */
#define SIGNOF(a) ((a) < 0 ? -1 : (a) > 0)

/* How many y-sized pieces hold x; x rounded up to a multiple of y. */
#define howmany(x, y) (((x) + ((y) - 1)) / (y))
#define roundup(x, y) (howmany((x), (y)) * (y))

/* Is x a power of two? (Also true for 0, as on illumos.) */
#define ISP2(x) (((x) & ((x) - 1)) == 0)
/* Is the address or value v a multiple of the power of two a? */
#define IS_P2ALIGNED(v, a) ((((uintptr_t)(v)) & ((uintptr_t)(a) - 1)) == 0)

/* x rounded down to a multiple of align. */
#define P2ALIGN(x, align) ((x) & -(align))
/* How far x is past the last multiple of align. */
#define P2PHASE(x, align) ((x) & ((align) - 1))
/* How far x is before the next multiple of align (0 if aligned). */
#define P2NPHASE(x, align) (-(x) & ((align) - 1))
/* x rounded up to a multiple of align. */
#define P2ROUNDUP(x, align) (-(-(x) & -(align)))
/* The first multiple of align above x (x + 1 rounded up). */
#define P2END(x, align) (-(~(x) & -(align)))
/* The smallest value >= x that is phase past a multiple of align. */
#define P2PHASEUP(x, align, phase) ((phase) - (((phase) - (x)) & -(align)))
/* Do x and y lie in different align-sized blocks? */
#define P2CROSS(x, y, align) (((x) ^ (y)) > (align) - 1)
/* Does [off, off + len) cross a multiple of align? */
#define P2BOUNDARY(off, len, align)                                            \
	(((off) ^ ((off) + (len) - 1)) > (align) - 1)
/* Do x and y have the same highest set bit? */
#define P2SAMEHIGHBIT(x, y) (((x) ^ (y)) < ((x) & (y)))

/* The same, computed in an explicit type. */
#define P2ALIGN_TYPED(x, align, type) ((type)(x) & -(type)(align))
#define P2PHASE_TYPED(x, align, type) ((type)(x) & ((type)(align) - 1))
#define P2NPHASE_TYPED(x, align, type) (-(type)(x) & ((type)(align) - 1))
#define P2ROUNDUP_TYPED(x, align, type) (-(-(type)(x) & -(type)(align)))
#define P2END_TYPED(x, align, type) (-(~(type)(x) & -(type)(align)))
#define P2PHASEUP_TYPED(x, align, phase, type)                                 \
	((type)(phase) - (((type)(phase) - (type)(x)) & -(type)(align)))
#define P2CROSS_TYPED(x, y, align, type)                                       \
	(((type)(x) ^ (type)(y)) > (type)(align) - 1)
#define P2SAMEHIGHBIT_TYPED(x, y, type)                                        \
	(((type)(x) ^ (type)(y)) < ((type)(x) & (type)(y)))

#ifndef offsetof
#define offsetof(type, member) __builtin_offsetof(type, member)
#endif

/* Elements in an array (not a pointer). */
#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))

#endif /* _SOLCOMPAT_SYS_SYSMACROS_H */
