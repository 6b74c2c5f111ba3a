/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/slab.h: kmalloc and friends.
 *
 * The allocator behind it (tests/model/model_alloc.cc) enforces the rules a
 * stock kernel only sometimes catches:
 *   - any kmalloc or kfree in NMI context is a violation (the slab allocator
 *     takes locks and is not NMI-safe); kmalloc there returns NULL;
 *   - an allocation that may sleep (GFP_KERNEL) is a violation in atomic or
 *     interrupt context or with interrupts off (might_sleep_if in the
 *     kernel's slab_pre_alloc_hook); it is still served, without sleeping;
 *   - kfree of a pointer kmalloc did not return, or twice, is a violation.
 * Memory comes from per-CPU pools with interrupts masked around them, so it
 * is safe in hardirq context, where libc's malloc is not.
 */
#ifndef _MODEL_LINUX_SLAB_H
#define _MODEL_LINUX_SLAB_H

#include <linux/compiler.h>
#include <linux/gfp_types.h>
#include <linux/types.h>
#include <model/abi.h>

#define ZERO_SIZE_PTR MODEL_ZERO_SIZE_PTR
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

static __always_inline void *kmalloc(size_t size, gfp_t flags)
{
	return model_kmalloc(size, flags, gfpflags_allow_blocking(flags),
			     !!(flags & __GFP_ZERO), "kmalloc");
}

static __always_inline void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

static __always_inline void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return kmalloc(bytes, flags);
}

static __always_inline void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

static __always_inline void kfree(const void *objp)
{
	model_kfree(objp, "kfree");
}

/* mm/util.c: a kmalloc'd formatted string. */
__printf(2, 3) char *kasprintf(gfp_t gfp, const char *fmt, ...);

#endif /* _MODEL_LINUX_SLAB_H */
