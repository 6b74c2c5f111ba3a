// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe: vm_flags_helpers
 *
 * Kernel:   6.3, "mm: introduce vma->vm_flags wrapper functions"; from then
 *           on vma->vm_flags is const and written only through
 *           vm_flags_init/reset/set/clear/mod().
 * Yes:      vm_flags_set() and vm_flags_clear() exist.
 * Selects:  backport/vm_flags_helpers when "no".
 */
#include <linux/mm.h>

void solcompat_probe_vm_flags_helpers(struct vm_area_struct *vma);
void solcompat_probe_vm_flags_helpers(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_IO);
	vm_flags_clear(vma, VM_MAYWRITE);
}
