/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the parts of include/linux/sched/mm.h that linux/
 * uses: the memalloc_noio scope. The model has no I/O to avoid; the scope
 * nests and is per task, which the flags word returned and restored keeps.
 */
#ifndef _MODEL_LINUX_SCHED_MM_H
#define _MODEL_LINUX_SCHED_MM_H

#include <linux/compiler.h>

static __always_inline unsigned int memalloc_noio_save(void)
{
	return 0;
}

static __always_inline void memalloc_noio_restore(unsigned int flags)
{
	(void)flags;
}

#endif /* _MODEL_LINUX_SCHED_MM_H */
