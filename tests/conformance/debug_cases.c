// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/debug.h. Failing VERIFYs panic, so the failure
 * paths are exercised only in the model (tests/model), where assfail is
 * caught; here: passing checks evaluate their argument exactly once, and
 * ASSERT follows DEBUG.
 */
#include <sys/debug.h>
#include <sys/types.h>

#include "sctest.h"

SCTEST_CASE(debug, verify_evaluates_once)
{
	int n = 0;
	uint64_t big = 1ULL << 40;

	VERIFY(++n == 1);
	SCT_EQ(n, 1);
	VERIFY3U(big, ==, 1ULL << 40);
	VERIFY3S(-1, <, 0);
	VERIFY3P(&n, !=, NULL);
	VERIFY0(n - 1);
	VERIFY3U(n++, ==, 1);
	SCT_EQ(n, 2);
}

SCTEST_CASE(debug, assert_follows_debug)
{
	int n = 0;

	ASSERT(++n == 1);
#ifdef DEBUG
	SCT_EQ(n, 1);
#else
	SCT_EQ(n, 0);
#endif
}

SCTEST_FAMILY(debug,
	      SCTEST_ENTRY(debug, verify_evaluates_once, SCTEST_ANY),
	      SCTEST_ENTRY(debug, assert_follows_debug, SCTEST_ANY));
