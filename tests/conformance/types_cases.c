// SPDX-License-Identifier: GPL-2.0
/* Conformance cases for sys/types.h: the LP64 layouts ABI.md promises. */
#include <sys/types.h>

#include "sctest.h"

SCTEST_CASE(types, fixed_width_sizes)
{
	SCT_EQ(sizeof(int8_t), 1);
	SCT_EQ(sizeof(uint16_t), 2);
	SCT_EQ(sizeof(int32_t), 4);
	SCT_EQ(sizeof(uint64_t), 8);
	SCT_EQ(sizeof(uintptr_t), sizeof(void *));
	SCT_EQ(sizeof(size_t), 8);
	SCT_EQ(sizeof(ulong_t), 8);
}

SCTEST_CASE(types, solaris_types)
{
	SCT_EQ(sizeof(hrtime_t), 8);
	SCT_EQ(sizeof(boolean_t), 4);
	SCT_EQ(B_TRUE, 1);
	SCT_EQ(B_FALSE, 0);
	SCT_EQ(sizeof(processorid_t), 4);
	SCT_EQ(sizeof(caddr_t), 8);
	SCT_LT((int8_t)-1, 0);
	SCT_GT((uint8_t)-1, 0);
	SCT_LT((hrtime_t)-1, 0);
}

SCTEST_FAMILY(types,
	      SCTEST_ENTRY(types, fixed_width_sizes, SCTEST_PROCESS),
	      SCTEST_ENTRY(types, solaris_types, SCTEST_PROCESS));
