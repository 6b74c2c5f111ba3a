/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for arch/x86/include/asm/barrier.h and asm-generic's
 * smp_store_release/smp_load_acquire, as compiler atomics so that
 * ThreadSanitizer sees the ordering the kernel code relies on.
 */
#ifndef _MODEL_ASM_BARRIER_H
#define _MODEL_ASM_BARRIER_H

#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_mb() mb()
#define smp_rmb() rmb()
#define smp_wmb() wmb()
/* x86: locked operations are full barriers; as fences here, for TSan. */
#define smp_mb__before_atomic() mb()
#define smp_mb__after_atomic() mb()

#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)

#endif /* _MODEL_ASM_BARRIER_H */
