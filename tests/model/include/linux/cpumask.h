/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for the parts of include/linux/cpumask.h that linux/ uses.
 * Possible CPUs: MODEL_MAX_CPUS (nr_cpu_ids). Online: the simulated CPUs a
 * test has started (a test may change how many; that is hotplug).
 */
#ifndef _MODEL_LINUX_CPUMASK_H
#define _MODEL_LINUX_CPUMASK_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/string.h>
#include <linux/types.h>
#include <model/abi.h>

extern unsigned int nr_cpu_ids;

/* include/linux/cpumask.h: struct cpumask, cpumask_bits, cpu_online_mask. */
struct cpumask {
	unsigned long bits[MODEL_CPUMASK_LONGS];
};
#define cpumask_bits(maskp) ((maskp)->bits)
#define cpu_online_mask ((const struct cpumask *)model_cpu_online_bits)

static __always_inline bool cpu_online(unsigned int cpu)
{
	return cpu < MODEL_MAX_CPUS && ((model_cpu_online_mask() >> cpu) & 1);
}

/* Possible CPUs: every id below nr_cpu_ids. */
static __always_inline bool cpu_possible(unsigned int cpu)
{
	return cpu < nr_cpu_ids;
}

static __always_inline unsigned int num_online_cpus(void)
{
	return (unsigned int)__builtin_popcountl(model_cpu_online_mask());
}

#define for_each_possible_cpu(cpu)                                             \
	for ((cpu) = 0; (cpu) < (int)nr_cpu_ids; (cpu)++)
#define for_each_present_cpu(cpu) for_each_possible_cpu(cpu)
#define for_each_online_cpu(cpu)                                               \
	for ((cpu) = 0; (cpu) < (int)nr_cpu_ids; (cpu)++)                      \
		if (!cpu_online(cpu)) {                                        \
		} else

#endif /* _MODEL_LINUX_CPUMASK_H */
