/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/vmalloc.h: vzalloc always maps a block
 * of its own (is_vmalloc_addr knows it), unlike kvzalloc, which may take
 * small blocks from the slab allocator. The runtime checks the contexts.
 */
#ifndef _MODEL_LINUX_VMALLOC_H
#define _MODEL_LINUX_VMALLOC_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <model/abi.h>

static __always_inline void *vzalloc(unsigned long size)
{
	return model_vzalloc(size);
}

static __always_inline void vfree(const void *addr)
{
	model_vfree(addr);
}

#endif /* _MODEL_LINUX_VMALLOC_H */
