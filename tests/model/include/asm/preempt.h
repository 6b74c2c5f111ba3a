/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for arch/x86/include/asm/preempt.h: the per-CPU preempt
 * count. x86 changes it with one %gs-relative instruction, which an
 * interrupt cannot split; here a signal can land between the load and the
 * store, which is harmless because every interrupt returns with the count
 * it found (the model checks exactly that on each return).
 */
#ifndef _MODEL_ASM_PREEMPT_H
#define _MODEL_ASM_PREEMPT_H

#include <linux/compiler.h>
#include <model/abi.h>

static __always_inline int preempt_count(void)
{
	return (int)READ_ONCE(model_cpu_self.preempt_count);
}

static __always_inline void __preempt_count_add(int val)
{
	barrier();
	model_cpu_self.preempt_count += val;
	barrier();
}

static __always_inline void __preempt_count_sub(int val)
{
	barrier();
	model_cpu_self.preempt_count -= val;
	barrier();
}

#endif /* _MODEL_ASM_PREEMPT_H */
