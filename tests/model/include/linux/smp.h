/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/smp.h: the CPU id and asynchronous
 * single-CPU function calls (IPIs).
 *
 * smp_processor_id() checks, as CONFIG_DEBUG_PREEMPT does, that the caller
 * cannot migrate (preemption or interrupts off): the model's CPUs never
 * migrate, but the kernel's do, so the bug is real even where the model
 * would get away with it. raw_smp_processor_id() does not check.
 *
 * smp_call_function_single_async() sends a model IPI: the csd's function runs
 * in hardirq context on the target CPU (a signal to its thread), or at once
 * with interrupts off when the target is the caller's own CPU, as in the
 * kernel. As in the kernel, the csd is released before its function runs, so
 * the function may send it again; while it is in flight, -EBUSY.
 */
#ifndef _MODEL_LINUX_SMP_H
#define _MODEL_LINUX_SMP_H

#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/irqflags.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <asm/barrier.h>
#include <asm/processor.h>
#include <model/abi.h>

typedef void (*smp_call_func_t)(void *info);

struct __call_single_data {
	struct model_csd model;
};
typedef struct __call_single_data call_single_data_t;

#define INIT_CSD(_csd, _func, _info)                                           \
	do {                                                                   \
		(_csd)->model =                                                \
			(struct model_csd){.func = (_func), .info = (_info)};  \
	} while (0)

static __always_inline int
smp_call_function_single_async(int cpu, call_single_data_t *csd)
{
	return model_smp_call_async(cpu, &csd->model);
}

static __always_inline int raw_smp_processor_id(void)
{
	return model_this_cpu_id();
}

static __always_inline int smp_processor_id(void)
{
	if (unlikely(preempt_count() == 0 && !irqs_disabled()))
		model_smp_processor_id_preemptible();
	return model_this_cpu_id();
}

#define get_cpu()                                                              \
	({                                                                     \
		preempt_disable();                                             \
		smp_processor_id();                                            \
	})
#define put_cpu() preempt_enable()

#endif /* _MODEL_LINUX_SMP_H */
