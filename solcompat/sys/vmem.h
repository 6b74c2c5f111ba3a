/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/vmem.h: resource arenas (vmem_create, vmem_alloc, vmem_xalloc, ...),
 * including identifier arenas (VMC_IDENTIFIER). The design is in the Big
 * Theory Statement of linux/vmem.c.
 */
#ifndef _SOLCOMPAT_SYS_VMEM_H
#define _SOLCOMPAT_SYS_VMEM_H

#include <sys/types.h>
#include <impl/vmem.h>

#define VM_SLEEP SOLCOMPAT_VM_SLEEP
#define VM_NOSLEEP SOLCOMPAT_VM_NOSLEEP
#define VM_PANIC SOLCOMPAT_VM_PANIC
#define VM_PUSHPAGE SOLCOMPAT_VM_PUSHPAGE
#define VM_KMFLAGS SOLCOMPAT_VM_KMFLAGS
#define VM_BESTFIT SOLCOMPAT_VM_BESTFIT
#define VM_FIRSTFIT SOLCOMPAT_VM_FIRSTFIT
#define VM_NEXTFIT SOLCOMPAT_VM_NEXTFIT
#define VM_ABORT SOLCOMPAT_VM_ABORT
#define VM_ENDALLOC SOLCOMPAT_VM_ENDALLOC
#define VM_FLAGS SOLCOMPAT_VM_FLAGS

#define VMC_POPULATOR SOLCOMPAT_VMC_POPULATOR
#define VMC_NO_QCACHE SOLCOMPAT_VMC_NO_QCACHE
#define VMC_IDENTIFIER SOLCOMPAT_VMC_IDENTIFIER
#define VMC_FLAGS SOLCOMPAT_VMC_FLAGS

#define VMEM_ALLOC SOLCOMPAT_VMEM_ALLOC
#define VMEM_FREE SOLCOMPAT_VMEM_FREE

typedef solcompat_vmem_t vmem_t;
typedef solcompat_vmem_alloc_t vmem_alloc_t;
typedef solcompat_vmem_free_t vmem_free_t;

/*
 * Create an arena of [base, base + size) in units of quantum, optionally
 * importing from source through afunc/ffunc.
 * Context: Process context. May sleep.
 */
static inline vmem_t *vmem_create(const char *name, void *base, size_t size,
				  size_t quantum, vmem_alloc_t *afunc,
				  vmem_free_t *ffunc, vmem_t *source,
				  size_t qcache_max, int vmflag)
{
	return solcompat_vmem_create(name, base, size, quantum, afunc, ffunc,
				     source, qcache_max, vmflag);
}

/*
 * Destroy an arena. With segments still allocated it is reported and left
 * in place (their vmem_free stays safe; destroy it again once they are).
 * Context: Process context. May sleep.
 */
static inline void vmem_destroy(vmem_t *vmp)
{
	solcompat_vmem_destroy(vmp);
}

/*
 * Allocate size bytes (a multiple of the quantum after rounding up).
 * Context: Process, atomic or hardirq context.
 */
static inline void *vmem_alloc(vmem_t *vmp, size_t size, int vmflag)
{
	return solcompat_vmem_alloc(vmp, size, vmflag);
}

/*
 * Constrained allocation (alignment, phase, boundary, address range).
 * Context: Process, atomic or hardirq context.
 */
static inline void *vmem_xalloc(vmem_t *vmp, size_t size, size_t align,
				size_t phase, size_t nocross, void *minaddr,
				void *maxaddr, int vmflag)
{
	return solcompat_vmem_xalloc(vmp, size, align, phase, nocross, minaddr,
				     maxaddr, vmflag);
}

/*
 * Free a segment from vmem_alloc.
 * Context: Process, atomic or hardirq context.
 */
static inline void vmem_free(vmem_t *vmp, void *addr, size_t size)
{
	solcompat_vmem_free(vmp, addr, size);
}

/*
 * Free a segment from vmem_xalloc.
 * Context: Process, atomic or hardirq context.
 */
static inline void vmem_xfree(vmem_t *vmp, void *addr, size_t size)
{
	solcompat_vmem_free(vmp, addr, size);
}

/*
 * Add a span to an arena; returns vaddr or NULL.
 * Context: Process, atomic or hardirq context.
 */
static inline void *vmem_add(vmem_t *vmp, void *vaddr, size_t size,
			     int vmflag)
{
	return solcompat_vmem_add(vmp, vaddr, size, vmflag);
}

/*
 * Non-zero if [vaddr, vaddr + size) is inside one span of the arena.
 * Context: Process, atomic or hardirq context.
 */
static inline int vmem_contains(vmem_t *vmp, void *vaddr, size_t size)
{
	return solcompat_vmem_contains(vmp, vaddr, size);
}

/*
 * Bytes allocated and/or free, by VMEM_ALLOC | VMEM_FREE.
 * Context: Process, atomic or hardirq context.
 */
static inline size_t vmem_size(vmem_t *vmp, int typemask)
{
	return solcompat_vmem_size(vmp, typemask);
}

#endif /* _SOLCOMPAT_SYS_VMEM_H */
