/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/vmem.h: resource arenas (prefixed ABI). The Solaris names are in
 * sys/vmem.h; the design is in the Big Theory Statement of linux/vmem.c.
 */
#ifndef _SOLCOMPAT_IMPL_VMEM_H
#define _SOLCOMPAT_IMPL_VMEM_H

#include <impl/types.h>

/* Per-allocation flags; the values are illumos's. ABI: never change. */
#define SOLCOMPAT_VM_SLEEP 0x00000000
#define SOLCOMPAT_VM_NOSLEEP 0x00000001
#define SOLCOMPAT_VM_PANIC 0x00000002
#define SOLCOMPAT_VM_PUSHPAGE 0x00000004
#define SOLCOMPAT_VM_KMFLAGS 0x000000ff
#define SOLCOMPAT_VM_BESTFIT 0x00000100
#define SOLCOMPAT_VM_FIRSTFIT 0x00000200
#define SOLCOMPAT_VM_NEXTFIT 0x00000400
#define SOLCOMPAT_VM_ABORT 0x00002000
#define SOLCOMPAT_VM_ENDALLOC 0x00004000
#define SOLCOMPAT_VM_FLAGS 0x0000ffff

/* Arena creation flags. */
#define SOLCOMPAT_VMC_POPULATOR 0x00010000
#define SOLCOMPAT_VMC_NO_QCACHE 0x00020000
#define SOLCOMPAT_VMC_IDENTIFIER 0x00040000
#define SOLCOMPAT_VMC_FLAGS 0xffff0000

/* Segment types for solcompat_vmem_size(). */
#define SOLCOMPAT_VMEM_ALLOC 0x01
#define SOLCOMPAT_VMEM_FREE 0x02

typedef struct solcompat_vmem solcompat_vmem_t;
typedef void *(solcompat_vmem_alloc_t)(solcompat_vmem_t *, solcompat_size_t,
				       int);
typedef void(solcompat_vmem_free_t)(solcompat_vmem_t *, void *,
				    solcompat_size_t);

/*
 * Create an arena managing [base, base + size) in units of quantum (a power
 * of two). With a source, the arena imports spans from it through afunc and
 * gives wholly free imported spans back through ffunc. qcache_max is
 * accepted and ignored. Returns NULL (reported) on bad arguments or outside
 * process context.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C solcompat_vmem_t *
solcompat_vmem_create(const char *name, void *base, solcompat_size_t size,
		      solcompat_size_t quantum, solcompat_vmem_alloc_t *afunc,
		      solcompat_vmem_free_t *ffunc, solcompat_vmem_t *source,
		      solcompat_size_t qcache_max, int vmflag);

/*
 * Destroy an arena. Outstanding allocations are reported and leaked.
 * Context: Process context. May sleep.
 */
SOLCOMPAT_EXTERN_C void solcompat_vmem_destroy(solcompat_vmem_t *vmp);

/*
 * Allocate size bytes (rounded up to the quantum) with the policy in vmflag
 * (VM_BESTFIT, VM_FIRSTFIT, VM_NEXTFIT; default instant fit). VM_SLEEP
 * waits for space, and is reported and served as VM_NOSLEEP where the
 * caller may not sleep. NMI and probe context are reported: NULL.
 * Context: Process, atomic or hardirq context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_vmem_alloc(solcompat_vmem_t *vmp,
					      solcompat_size_t size,
					      int vmflag);

/*
 * Constrained allocation: the address is phase modulo align, does not cross
 * a multiple of nocross, and lies in [minaddr, maxaddr) (NULL: no bound).
 * Context: Process, atomic or hardirq context.
 */
SOLCOMPAT_EXTERN_C void *
solcompat_vmem_xalloc(solcompat_vmem_t *vmp, solcompat_size_t size,
		      solcompat_size_t align, solcompat_size_t phase,
		      solcompat_size_t nocross, void *minaddr, void *maxaddr,
		      int vmflag);

/*
 * Free a segment from solcompat_vmem_alloc or solcompat_vmem_xalloc. An
 * address that is not allocated, or a size that differs, is reported.
 * Context: Process, atomic or hardirq context.
 */
SOLCOMPAT_EXTERN_C void solcompat_vmem_free(solcompat_vmem_t *vmp, void *addr,
					    solcompat_size_t size);

/*
 * Add the span [vaddr, vaddr + size) to an arena. Returns vaddr, or NULL.
 * Context: Process, atomic or hardirq context.
 */
SOLCOMPAT_EXTERN_C void *solcompat_vmem_add(solcompat_vmem_t *vmp, void *vaddr,
					    solcompat_size_t size, int vmflag);

/*
 * Non-zero when [vaddr, vaddr + size) lies inside one span of the arena.
 * Context: Process, atomic or hardirq context.
 */
SOLCOMPAT_EXTERN_C int solcompat_vmem_contains(solcompat_vmem_t *vmp,
					       void *vaddr,
					       solcompat_size_t size);

/*
 * Bytes allocated (SOLCOMPAT_VMEM_ALLOC) and/or free (SOLCOMPAT_VMEM_FREE).
 * Context: Process, atomic or hardirq context.
 */
SOLCOMPAT_EXTERN_C solcompat_size_t solcompat_vmem_size(solcompat_vmem_t *vmp,
							int typemask);

#endif /* _SOLCOMPAT_IMPL_VMEM_H */
