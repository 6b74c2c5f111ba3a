// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/sysmacros.h and the BT_* macros of sys/bitmap.h.
 * Macros only, so any context. Operands go through volatile variables so the
 * compiler cannot fold the whole case away.
 */
#include <sys/bitmap.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include "sctest.h"

SCTEST_CASE(sysmacros, min_max_abs)
{
	volatile int a = -7, b = 3;
	volatile int64_t big = -(1LL << 40);
	volatile uint32_t u = 5;

	SCT_EQ(MIN(a, b), -7);
	SCT_EQ(MAX(a, b), 3);
	SCT_EQ(MIN(b, b), 3);
	SCT_EQ(ABS(a), 7);
	SCT_EQ(ABS(b), 3);
	SCT_EQ(ABS(big), 1LL << 40);
	SCT_EQ(MAX(u, 9u), 9);
	SCT_EQ(SIGNOF(a), -1);
	SCT_EQ(SIGNOF(b), 1);
	SCT_EQ(SIGNOF(a - a), 0);
}

SCTEST_CASE(sysmacros, howmany_roundup)
{
	volatile unsigned long x = 10, y = 4, zero = 0;

	SCT_EQ(howmany(x, y), 3);
	SCT_EQ(howmany(8ul, y), 2);
	SCT_EQ(howmany(zero, y), 0);
	SCT_EQ(roundup(x, y), 12);
	SCT_EQ(roundup(12ul, y), 12);
	SCT_EQ(roundup(x, 3ul), 12); /* not only powers of two */
	SCT_EQ(roundup(zero, y), 0);
}

SCTEST_CASE(sysmacros, power_of_two_alignment)
{
	volatile uint64_t x = 0x1234;
	volatile uint64_t align = 0x100;
	volatile uint64_t top = 0xfffffffffffff001ull;
	volatile int neg = -5;

	SCT_EQ(P2ALIGN(x, align), 0x1200);
	SCT_EQ(P2ALIGN(0x1200ull, align), 0x1200);
	SCT_EQ(P2PHASE(x, align), 0x34);
	SCT_EQ(P2NPHASE(x, align), 0xcc);
	SCT_EQ(P2NPHASE(0x1200ull, align), 0);
	SCT_EQ(P2ROUNDUP(x, align), 0x1300);
	SCT_EQ(P2ROUNDUP(0x1200ull, align), 0x1200);
	SCT_EQ(P2ROUNDUP((uint64_t)0, align), 0);
	SCT_EQ(P2ROUNDUP(top, 0x1000ull), 0); /* wraps, as on illumos */
	SCT_EQ(P2END(x, align), 0x1300);
	SCT_EQ(P2END(0x1200ull, align), 0x1300);
	SCT_EQ(P2PHASEUP(x, align, 0x10ull), 0x1310);
	SCT_EQ(P2PHASEUP(0x1210ull, align, 0x10ull), 0x1210);
	/* Signed operands round toward minus infinity. */
	SCT_EQ(P2ALIGN(neg, 4), -8);
	SCT_EQ(P2ROUNDUP(neg, 4), -4);
	/* 64-bit values keep their upper half with 64-bit alignments. */
	SCT_EQ(P2ALIGN(1ull << 40 | 0x17, 16ull), 1ull << 40 | 0x10);
	SCT_EQ(P2ALIGN_TYPED(1ull << 40 | 0x17, 16u, uint64_t),
	       1ull << 40 | 0x10);
	SCT_EQ(P2ROUNDUP_TYPED(0x11u, 16u, uint64_t), 0x20);
	SCT_EQ(P2PHASE_TYPED(x, 16u, uint64_t), 4);
	SCT_EQ(P2NPHASE_TYPED(x, 16u, uint64_t), 12);
	SCT_EQ(P2END_TYPED(x, 16u, uint64_t), 0x1240);
}

SCTEST_CASE(sysmacros, power_of_two_predicates)
{
	volatile uint64_t x = 0x1234;
	volatile uintptr_t p = 0x1000;

	SCT_CHECK(ISP2(1u));
	SCT_CHECK(ISP2(0x80000000u));
	SCT_CHECK(ISP2(1ull << 63));
	SCT_CHECK(ISP2(0u)); /* as on illumos */
	SCT_CHECK(!ISP2(3u));
	SCT_CHECK(!ISP2(x));
	SCT_CHECK(IS_P2ALIGNED(p, 0x1000));
	SCT_CHECK(IS_P2ALIGNED(p, 8));
	SCT_CHECK(!IS_P2ALIGNED(p + 4, 8));
	SCT_CHECK(IS_P2ALIGNED((void *)p, 16)); /* pointers too */
	SCT_CHECK(P2CROSS(0xffull, 0x100ull, 0x100ull));
	SCT_CHECK(!P2CROSS(0x100ull, 0x1ffull, 0x100ull));
	SCT_CHECK(P2CROSS_TYPED(0xff, 0x100, 0x100, uint64_t));
	SCT_CHECK(P2BOUNDARY(0xf0ull, 0x20ull, 0x100ull));
	SCT_CHECK(!P2BOUNDARY(0xe0ull, 0x20ull, 0x100ull));
	SCT_CHECK(P2SAMEHIGHBIT(0x40u, 0x7fu));
	SCT_CHECK(!P2SAMEHIGHBIT(0x40u, 0x80u));
	SCT_CHECK(P2SAMEHIGHBIT(x, 0x1fffull));
	SCT_CHECK(!P2SAMEHIGHBIT(x, 0x2000ull));
	SCT_CHECK(P2SAMEHIGHBIT_TYPED(0x40, 0x41, uint32_t));
}

struct sysmacros_sample {
	char c;
	uint64_t wide;
	int tail[5];
};

SCTEST_CASE(sysmacros, offsetof_array_size_nbby)
{
	struct sysmacros_sample s[3];

	SCT_EQ(offsetof(struct sysmacros_sample, c), 0);
	SCT_EQ(offsetof(struct sysmacros_sample, wide), 8);
	SCT_EQ(offsetof(struct sysmacros_sample, tail), 16);
	SCT_EQ(ARRAY_SIZE(s), 3);
	SCT_EQ(ARRAY_SIZE(s[0].tail), 5);
	SCT_EQ(NBBY, 8);
	SCT_EQ(sizeof(uint64_t) * NBBY, 64);
}

SCTEST_CASE(sysmacros, bitmap_macros)
{
	ulong_t map[BT_BITOUL(130)] = { 0 };
	uint_t map32[BT_BITOUL32(40)] = { 0 };
	volatile ulong_t word = 0;
	int result = 7;

	SCT_EQ(BT_NBIPUL, 64);
	SCT_EQ(BT_ULSHIFT, 6);
	SCT_EQ(BT_ULMASK, 63);
	SCT_EQ(BT_BITOUL(130), 3);
	SCT_EQ(BT_BITOUL(128), 2);
	SCT_EQ(BT_SIZEOFMAP(130), 24);
	SCT_EQ(BT_BIW(65), 2);
	SCT_EQ(BT_TEST(map, 129), 0);
	BT_SET(map, 129);
	BT_SET(map, 0);
	BT_SET(map, 63);
	SCT_EQ(BT_TEST(map, 129), 1);
	SCT_EQ(BT_TEST(map, 128), 0);
	SCT_EQ(map[2], 2);
	SCT_EQ(map[0], 0x8000000000000001ull);
	BT_CLEAR(map, 0);
	SCT_EQ(map[0], 0x8000000000000000ull);
	if (map[1] == 0)
		BT_SET(map, 64); /* an expression: if/else parses */
	else
		BT_CLEAR(map, 64);
	SCT_EQ(map[1], 1);
	BT_ATOMIC_SET(map, 70);
	SCT_EQ(map[1], 0x41);
	BT_ATOMIC_CLEAR(map, 64);
	SCT_EQ(map[1], 0x40);
	BT_ATOMIC_SET_EXCL(&word, 3, result);
	SCT_EQ(result, 0);
	BT_ATOMIC_SET_EXCL(&word, 3, result);
	SCT_EQ(result, -1);
	SCT_EQ(word, 8);
	BT_ATOMIC_CLEAR_EXCL(&word, 3, result);
	SCT_EQ(result, 0);
	BT_ATOMIC_CLEAR_EXCL(&word, 3, result);
	SCT_EQ(result, -1);
	SCT_EQ(word, 0);
	SCT_EQ(BT_BITOUL32(40), 2);
	SCT_EQ(BT_SIZEOFMAP32(40), 8);
	BT_SET32(map32, 33);
	SCT_EQ(map32[1], 2);
	SCT_EQ(BT_TEST32(map32, 33), 1);
	BT_CLEAR32(map32, 33);
	SCT_EQ(BT_TEST32(map32, 33), 0);
}

SCTEST_FAMILY(sysmacros,
	      SCTEST_ENTRY(sysmacros, min_max_abs, SCTEST_ANY),
	      SCTEST_ENTRY(sysmacros, howmany_roundup, SCTEST_ANY),
	      SCTEST_ENTRY(sysmacros, power_of_two_alignment, SCTEST_ANY),
	      SCTEST_ENTRY(sysmacros, power_of_two_predicates, SCTEST_ANY),
	      SCTEST_ENTRY(sysmacros, offsetof_array_size_nbby, SCTEST_ANY),
	      SCTEST_ENTRY(sysmacros, bitmap_macros, SCTEST_ANY));
