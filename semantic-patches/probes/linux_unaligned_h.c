// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe: linux_unaligned_h
 *
 * Kernel:   6.12, "move asm/unaligned.h to linux/unaligned.h"; the old
 *           header is gone in the same release.
 * Yes:      <linux/unaligned.h> exists (the spelling linux/ is written in).
 * Selects:  backport/unaligned_header when "no".
 */
#include <linux/types.h>
#include <linux/unaligned.h>

u32 solcompat_probe_linux_unaligned_h(const void *p);
u32 solcompat_probe_linux_unaligned_h(const void *p)
{
	return get_unaligned_le32(p);
}
