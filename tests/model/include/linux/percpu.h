/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/percpu.h and percpu-defs.h.
 *
 * A per-CPU variable lives in the model_percpu section (the template);
 * each possible CPU (MODEL_MAX_CPUS) has a copy of the section, and the
 * caller's simulated CPU id selects the copy. Simulated CPUs never migrate
 * (one thread each), so reading the id and then the copy is as safe as the
 * kernel's single %gs-relative instruction.
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

/*
 * Per-CPU variables as the kernel lays them out: DEFINE_PER_CPU puts the
 * variable in the model_percpu section, which is the template; the runtime
 * gives each CPU its own copy of the whole section (made when the CPUs are
 * first booted) and model_percpu_offset[cpu] is that copy's distance from
 * the template. So a per-CPU access is the variable's address plus the
 * CPU's offset, and member accesses (this_cpu_inc(stats.field)) work.
 */
extern long model_percpu_offset[MODEL_MAX_CPUS];

#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name
#define DEFINE_PER_CPU(type, name)                                             \
	__attribute__((__section__("model_percpu"))) __typeof__(type) name

/* The caller's CPU id; only simulated CPUs have per-CPU data. */
static __always_inline int model_this_cpu_id(void)
{
	int cpu = model_cpu_self.cpu;

	if (unlikely(cpu < 0))
		model_not_a_cpu("this_cpu_*");
	return cpu;
}

/*
 * As the kernel's RELOC_HIDE: the compiler must not reason about the sum
 * from the template variable it started at (UBSan's object-size check
 * would call the copy out of bounds), so the address goes through an asm.
 */
#define MODEL_RELOC_HIDE(ptr, off)                                             \
	({                                                                     \
		unsigned long __ptr;                                           \
		__asm__("" : "=r"(__ptr) : "0"(ptr));                          \
		(__typeof__(ptr))(__ptr + (off));                              \
	})
#define per_cpu_ptr(ptr, cpu) MODEL_RELOC_HIDE(ptr, model_percpu_offset[(cpu)])
#define per_cpu(var, cpu) (*per_cpu_ptr(&(var), (cpu)))
#define this_cpu_ptr(ptr) per_cpu_ptr(ptr, model_this_cpu_id())
#define raw_cpu_ptr(ptr) this_cpu_ptr(ptr)
#define model_this_cpu_lvalue(pcp) (*this_cpu_ptr(&(pcp)))

#define this_cpu_read(pcp) READ_ONCE(model_this_cpu_lvalue(pcp))
#define this_cpu_write(pcp, val) WRITE_ONCE(model_this_cpu_lvalue(pcp), (val))
#define this_cpu_add(pcp, val)                                                 \
	((void)__atomic_fetch_add(this_cpu_ptr(&(pcp)), (val),                 \
				  __ATOMIC_RELAXED))
#define this_cpu_sub(pcp, val)                                                 \
	((void)__atomic_fetch_sub(this_cpu_ptr(&(pcp)), (val),                 \
				  __ATOMIC_RELAXED))
#define this_cpu_inc(pcp) this_cpu_add(pcp, 1)
#define this_cpu_dec(pcp) this_cpu_sub(pcp, 1)
#define this_cpu_add_return(pcp, val)                                          \
	__atomic_add_fetch(this_cpu_ptr(&(pcp)), (val), __ATOMIC_RELAXED)
#define this_cpu_inc_return(pcp) this_cpu_add_return(pcp, 1)
#define this_cpu_dec_return(pcp) this_cpu_add_return(pcp, -1)
#define this_cpu_cmpxchg(pcp, oval, nval)                                      \
	({                                                                     \
		__typeof__(pcp) __old = (oval);                                \
		__atomic_compare_exchange_n(this_cpu_ptr(&(pcp)), &__old,      \
					    (nval), 0, __ATOMIC_RELAXED,       \
					    __ATOMIC_RELAXED);                 \
		__old;                                                         \
	})

#endif /* _MODEL_LINUX_PERCPU_H */
