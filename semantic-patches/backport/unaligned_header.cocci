// SPDX-License-Identifier: GPL-2.0
/// Include <asm/unaligned.h>, the home of get/put_unaligned*() before 6.12,
/// instead of <linux/unaligned.h>.
///
// Kernel: 6.12, "move asm/unaligned.h to linux/unaligned.h" (the old path
//   is removed in the same release).
// Probe: probes/linux_unaligned_h.c (feature linux_unaligned_h)
// Direction: backport, applied when the probe says "no".
// Confidence: High
// Comments: Both headers declare the same helpers, so the include line is
//   all that changes. An include that is already <asm/unaligned.h> is left
//   alone, which makes the rule idempotent.
// Options: --include-headers
// Requires: 1.1.1

virtual patch

@depends on patch@
@@
- #include <linux/unaligned.h>
+ #include <asm/unaligned.h>
