/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the parts of include/linux/mm.h (and slab.h's kv*
 * family, asm/page.h's PAGE_SIZE) that linux/ uses. kvmalloc tries the
 * slab allocator for small blocks and maps big ones on their own when the
 * flags allow blocking, as the kernel's falls back to vmalloc; kvfree and
 * is_vmalloc_addr tell the two apart. The runtime checks the contexts.
 */
#ifndef _MODEL_LINUX_MM_H
#define _MODEL_LINUX_MM_H

#include <linux/compiler.h>
#include <linux/gfp_types.h>
#include <linux/slab.h>
#include <linux/types.h>
#include <model/abi.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

/*
 * The kernel's direct map, from PAGE_OFFSET to high_memory: in the model,
 * the one reservation that holds every CPU's slab pool. Vmalloc space,
 * VMALLOC_START to VMALLOC_END: in the model, the span from the lowest to
 * the highest vmalloc mapping made so far (a range, as the kernel's; empty
 * before the first).
 */
#define PAGE_OFFSET model_direct_map_start()
#define high_memory ((void *)model_direct_map_end())
#define VMALLOC_START model_vmalloc_start()
#define VMALLOC_END model_vmalloc_end()

static __always_inline void *kvmalloc(size_t size, gfp_t flags)
{
	return model_kvmalloc(size, flags, gfpflags_allow_blocking(flags),
			      !!(flags & __GFP_ZERO));
}

static __always_inline void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc(size, flags | __GFP_ZERO);
}

static __always_inline void kvfree(const void *addr)
{
	model_kvfree(addr);
}

static __always_inline bool is_vmalloc_addr(const void *addr)
{
	return model_is_vmalloc_addr(addr) != 0;
}

#endif /* _MODEL_LINUX_MM_H */
