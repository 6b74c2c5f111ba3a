/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/bitmap.h: the BT_* macros over bitmaps stored as arrays of ulong_t
 * (or of uint_t for the *32 forms). Bit i lives in word i / 64, at bit
 * i % 64 of that word.
 *
 * Macros only, no functions: usable in any context. Unlike illumos, BT_SET
 * and BT_CLEAR are expressions, so "if (c) BT_SET(m, i); else ..." parses.
 * The bt_* search functions of illumos's bitmap.c are not provided.
 */
#ifndef _SOLCOMPAT_SYS_BITMAP_H
#define _SOLCOMPAT_SYS_BITMAP_H

#include <sys/atomic.h>
#include <sys/types.h>

#define BT_ULSHIFT 6			/* log2(bits per ulong_t) */
#define BT_NBIPUL (1UL << BT_ULSHIFT)	/* bits per ulong_t */
#define BT_ULMASK (BT_NBIPUL - 1)	/* bit index within its word */

/* The word holding bit bitindex, as an lvalue; the mask of that bit in it. */
#define BT_WIM(bitmap, bitindex) ((bitmap)[(bitindex) >> BT_ULSHIFT])
#define BT_BIW(bitindex) (1UL << ((bitindex) & BT_ULMASK))

/* Words, and bytes, needed for a map of nbits bits. */
#define BT_BITOUL(nbits) (((nbits) + BT_NBIPUL - 1) / BT_NBIPUL)
#define BT_SIZEOFMAP(nbits) (BT_BITOUL(nbits) * sizeof(ulong_t))

/* 1 if the bit is set, else 0. */
#define BT_TEST(bitmap, bitindex)                                              \
	((BT_WIM((bitmap), (bitindex)) & BT_BIW(bitindex)) != 0)
#define BT_SET(bitmap, bitindex)                                               \
	((void)(BT_WIM((bitmap), (bitindex)) |= BT_BIW(bitindex)))
#define BT_CLEAR(bitmap, bitindex)                                             \
	((void)(BT_WIM((bitmap), (bitindex)) &= ~BT_BIW(bitindex)))

/* Atomic forms: one lock-prefixed instruction on the word. */
#define BT_ATOMIC_SET(bitmap, bitindex)                                        \
	atomic_or_ulong(&BT_WIM((bitmap), (bitindex)), BT_BIW(bitindex))
#define BT_ATOMIC_CLEAR(bitmap, bitindex)                                      \
	atomic_and_ulong(&BT_WIM((bitmap), (bitindex)), ~BT_BIW(bitindex))
/* result = 0 if this call changed the bit, -1 if it already had that value. */
#define BT_ATOMIC_SET_EXCL(bitmap, bitindex, result)                           \
	((result) = atomic_set_long_excl(&BT_WIM((bitmap), (bitindex)),        \
					 (uint_t)((bitindex) & BT_ULMASK)))
#define BT_ATOMIC_CLEAR_EXCL(bitmap, bitindex, result)                         \
	((result) = atomic_clear_long_excl(&BT_WIM((bitmap), (bitindex)),      \
					   (uint_t)((bitindex) & BT_ULMASK)))

/* The same over uint_t words. */
#define BT_ULSHIFT32 5
#define BT_NBIPUL32 (1U << BT_ULSHIFT32)
#define BT_ULMASK32 (BT_NBIPUL32 - 1)
#define BT_WIM32(bitmap, bitindex) ((bitmap)[(bitindex) >> BT_ULSHIFT32])
#define BT_BIW32(bitindex) (1U << ((bitindex) & BT_ULMASK32))
#define BT_BITOUL32(nbits) (((nbits) + BT_NBIPUL32 - 1) / BT_NBIPUL32)
#define BT_SIZEOFMAP32(nbits) (BT_BITOUL32(nbits) * sizeof(uint_t))
#define BT_TEST32(bitmap, bitindex)                                            \
	((BT_WIM32((bitmap), (bitindex)) & BT_BIW32(bitindex)) != 0)
#define BT_SET32(bitmap, bitindex)                                             \
	((void)(BT_WIM32((bitmap), (bitindex)) |= BT_BIW32(bitindex)))
#define BT_CLEAR32(bitmap, bitindex)                                           \
	((void)(BT_WIM32((bitmap), (bitindex)) &= ~BT_BIW32(bitindex)))

#endif /* _SOLCOMPAT_SYS_BITMAP_H */
