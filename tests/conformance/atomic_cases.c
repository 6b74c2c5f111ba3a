// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/atomic.h (CONTRACTS.md: atomic_cas_* return the
 * old value; atomic_*_nv return the new value). Any context.
 */
#include <sys/atomic.h>
#include <sys/types.h>

#include "sctest.h"

SCTEST_CASE(atomic, cas_returns_old_value)
{
	volatile uint32_t v32 = 5;
	volatile uint64_t v64 = 1ULL << 40;
	volatile ulong_t vl = 7;
	int a, b;
	void *volatile p = &a;

	SCT_EQ(atomic_cas_32(&v32, 5, 9), 5);
	SCT_EQ(v32, 9);
	SCT_EQ(atomic_cas_32(&v32, 5, 11), 9); /* mismatch: unchanged */
	SCT_EQ(v32, 9);
	SCT_EQ(atomic_cas_64(&v64, 1ULL << 40, 3), 1ULL << 40);
	SCT_EQ(v64, 3);
	SCT_EQ(atomic_cas_ulong(&vl, 7, 8), 7);
	SCT_CHECK(atomic_cas_ptr(&p, &a, &b) == &a);
	SCT_CHECK(p == &b);
	SCT_CHECK(atomic_cas_ptr(&p, &a, NULL) == &b);
	SCT_CHECK(p == &b);
}

SCTEST_CASE(atomic, nv_returns_new_value)
{
	volatile uint32_t v32 = 0;
	volatile uint64_t v64 = 10;
	volatile uint8_t v8 = 255;
	volatile uint_t vu = 0xf0;

	SCT_EQ(atomic_inc_32_nv(&v32), 1);
	SCT_EQ(atomic_dec_32_nv(&v32), 0);
	SCT_EQ(atomic_dec_32_nv(&v32), 0xffffffffu);
	SCT_EQ(atomic_add_64_nv(&v64, -4), 6);
	SCT_EQ(atomic_add_64_nv(&v64, 100), 106);
	SCT_EQ(atomic_inc_8_nv(&v8), 0); /* wraps */
	SCT_EQ(atomic_or_uint_nv(&vu, 0x0f), 0xff);
	SCT_EQ(atomic_and_uint_nv(&vu, 0x3c), 0x3c);
	atomic_add_32(&v32, 2);
	SCT_EQ(v32, 1);
	atomic_inc_64(&v64);
	atomic_dec_64(&v64);
	SCT_EQ(v64, 106);
}

SCTEST_CASE(atomic, swap_and_bits)
{
	volatile uint32_t v32 = 3;
	volatile ulong_t bits = 0;
	char buf[4];
	void *volatile p = buf;

	SCT_EQ(atomic_swap_32(&v32, 4), 3);
	SCT_EQ(v32, 4);
	SCT_CHECK(atomic_swap_ptr(&p, NULL) == buf);
	SCT_CHECK(p == NULL);
	SCT_EQ(atomic_set_long_excl(&bits, 3), 0);
	SCT_EQ(atomic_set_long_excl(&bits, 3), -1);
	SCT_EQ(bits, 8);
	SCT_EQ(atomic_clear_long_excl(&bits, 3), 0);
	SCT_EQ(atomic_clear_long_excl(&bits, 3), -1);
	SCT_EQ(bits, 0);
	p = buf;
	SCT_CHECK(atomic_add_ptr_nv(&p, 2) == buf + 2);
	membar_producer();
	membar_consumer();
	membar_enter();
	membar_exit();
	membar_sync();
}

SCTEST_FAMILY(atomic,
	      SCTEST_ENTRY(atomic, cas_returns_old_value, SCTEST_ANY),
	      SCTEST_ENTRY(atomic, nv_returns_new_value, SCTEST_ANY),
	      SCTEST_ENTRY(atomic, swap_and_bits, SCTEST_ANY));
