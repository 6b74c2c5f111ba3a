/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/percpu.h and percpu-defs.h.
 *
 * A per-CPU variable is an array with one element per possible CPU
 * (MODEL_MAX_CPUS), indexed by the id of the simulated CPU the caller runs
 * on; &var is then a pointer to that array, which is what per_cpu_ptr()
 * indexes. Simulated CPUs never migrate (one thread each), so reading the id
 * and then the element is as safe as the kernel's single instruction.
 *
 * this_cpu_add/inc/dec/cmpxchg are single instructions on x86 and so safe
 * against an interrupt on the same CPU; the model uses compiler atomics for
 * them, which are too (and keep ThreadSanitizer informed).
 */
#ifndef _MODEL_LINUX_PERCPU_H
#define _MODEL_LINUX_PERCPU_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <model/abi.h>

#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name[MODEL_MAX_CPUS]
#define DEFINE_PER_CPU(type, name) __typeof__(type) name[MODEL_MAX_CPUS]

/* The caller's CPU id; only simulated CPUs have per-CPU data. */
static __always_inline int model_this_cpu_id(void)
{
	int cpu = model_cpu_self.cpu;

	if (unlikely(cpu < 0))
		model_not_a_cpu("this_cpu_*");
	return cpu;
}

#define per_cpu(var, cpu) ((var)[(cpu)])
#define per_cpu_ptr(ptr, cpu) (&(*(ptr))[(cpu)])
#define this_cpu_ptr(ptr) per_cpu_ptr(ptr, model_this_cpu_id())
#define raw_cpu_ptr(ptr) this_cpu_ptr(ptr)

#define this_cpu_read(pcp) READ_ONCE((pcp)[model_this_cpu_id()])
#define this_cpu_write(pcp, val) WRITE_ONCE((pcp)[model_this_cpu_id()], (val))
#define this_cpu_add(pcp, val)                                                 \
	((void)__atomic_fetch_add(&(pcp)[model_this_cpu_id()], (val),          \
				  __ATOMIC_RELAXED))
#define this_cpu_sub(pcp, val)                                                 \
	((void)__atomic_fetch_sub(&(pcp)[model_this_cpu_id()], (val),          \
				  __ATOMIC_RELAXED))
#define this_cpu_inc(pcp) this_cpu_add(pcp, 1)
#define this_cpu_dec(pcp) this_cpu_sub(pcp, 1)
#define this_cpu_add_return(pcp, val)                                          \
	__atomic_add_fetch(&(pcp)[model_this_cpu_id()], (val), __ATOMIC_RELAXED)
#define this_cpu_inc_return(pcp) this_cpu_add_return(pcp, 1)
#define this_cpu_dec_return(pcp) this_cpu_add_return(pcp, -1)
#define this_cpu_cmpxchg(pcp, oval, nval)                                      \
	({                                                                     \
		__typeof__((pcp)[0]) __old = (oval);                           \
		__atomic_compare_exchange_n(                                   \
			&(pcp)[model_this_cpu_id()], &__old, (nval), 0,        \
			__ATOMIC_RELAXED, __ATOMIC_RELAXED);                   \
		__old;                                                         \
	})

#endif /* _MODEL_LINUX_PERCPU_H */
