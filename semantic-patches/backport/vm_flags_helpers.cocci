// SPDX-License-Identifier: GPL-2.0
/// Write vma->vm_flags directly, as kernels before 6.3 require, instead of
/// through vm_flags_init/reset/reset_once/set/clear/mod() and __vm_flags_mod().
///
// Kernel: 6.3, "mm: introduce vma->vm_flags wrapper functions" (vm_flags
//   became const and is written only through the helpers since).
// Probe: probes/vm_flags_helpers.c (feature vm_flags_helpers)
// Direction: backport, applied when the probe says "no".
// Confidence: High
// Comments: The helpers also take the per-VMA lock (vma_start_write(),
//   6.4); kernels before 6.3 have no per-VMA locks, and the mmap lock held
//   for writing, which the helpers' callers hold anyway, is what protects
//   vm_flags there. Each helper becomes the plain assignment it wraps; the
//   mod forms name the vma twice, so they suit a vma expression without
//   side effects, which is what callers pass.
//   spatch parenthesises a bound expression where precedence needs it
//   (~(A | B), (*pp)->vm_flags), which the fixture pins down. The result
//   names no helper, so the rule is idempotent.
// Options: --include-headers
// Requires: 1.1.1

virtual patch

@depends on patch@
expression vma, flags, set, clear;
identifier reset = {vm_flags_init, vm_flags_reset};
identifier mod = {vm_flags_mod, __vm_flags_mod};
@@
(
- vm_flags_set(vma, flags)
+ vma->vm_flags |= flags
|
- vm_flags_clear(vma, flags)
+ vma->vm_flags &= ~flags
|
- reset(vma, flags)
+ vma->vm_flags = flags
|
- vm_flags_reset_once(vma, flags)
+ WRITE_ONCE(vma->vm_flags, flags)
|
- mod(vma, set, clear)
+ vma->vm_flags = (vma->vm_flags | set) & ~clear
)
