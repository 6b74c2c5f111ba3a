// SPDX-License-Identifier: GPL-2.0
/* Fixture for semantic-patches/backport/vm_flags_helpers.cocci. */
#include <linux/mm.h>

struct fixture_mapping {
	struct vm_area_struct *vma;
	bool io;
};

void fixture_vm_flags_mmap(struct vm_area_struct *vma);
void fixture_vm_flags_mmap(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	vm_flags_clear(vma, VM_MAYWRITE);
	vm_flags_clear(vma, VM_MAYWRITE | VM_MAYEXEC);
}

void fixture_vm_flags_other(struct fixture_mapping *m,
			    struct vm_area_struct **vmas);
void fixture_vm_flags_other(struct fixture_mapping *m,
			    struct vm_area_struct **vmas)
{
	vm_flags_init(m->vma, VM_READ);
	vm_flags_reset(*vmas, vmas[0]->vm_flags & ~VM_WRITE);
	vm_flags_reset_once(vmas[1], VM_READ | VM_SHARED);
	vm_flags_mod(m->vma, m->io ? VM_IO : VM_PFNMAP, VM_MAYWRITE);
	__vm_flags_mod(vmas[1], VM_IO, VM_MAYWRITE | VM_MAYEXEC);
}
