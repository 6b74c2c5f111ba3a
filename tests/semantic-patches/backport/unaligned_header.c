// SPDX-License-Identifier: GPL-2.0
/* Fixture for semantic-patches/backport/unaligned_header.cocci. */
#include <linux/types.h>
#include <linux/unaligned.h>

u32 fixture_unaligned_header_read(const void *p);
u32 fixture_unaligned_header_read(const void *p)
{
	return get_unaligned_le32(p) + get_unaligned_be16(p);
}
