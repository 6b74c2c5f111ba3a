/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for arch/x86/include/asm/processor.h: cpu_relax().
 *
 * The simulated CPUs are threads on fewer host cores, so a CPU spinning for
 * another one must also give the host scheduler a chance to run it: every
 * 64th call yields (model_cpu_relax_yield). On a real machine the other CPU
 * runs in parallel and pause alone is right.
 */
#ifndef _MODEL_ASM_PROCESSOR_H
#define _MODEL_ASM_PROCESSOR_H

#include <linux/compiler.h>
#include <model/abi.h>

static __always_inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
	if (unlikely((++model_cpu_relax_count & 63) == 0))
		model_cpu_relax_yield();
}

#endif /* _MODEL_ASM_PROCESSOR_H */
