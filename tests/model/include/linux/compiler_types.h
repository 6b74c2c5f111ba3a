/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/compiler_types.h and the parts of
 * include/linux/compiler_attributes.h that linux/ uses.
 *
 * Kbuild force-includes compiler_types.h into every translation unit
 * (-include), so kernel code never includes it; the model's CMake does the
 * same for the kernel code it builds, and so no other stand-in includes it
 * either.
 */
#ifndef _MODEL_LINUX_COMPILER_TYPES_H
#define _MODEL_LINUX_COMPILER_TYPES_H

#include <linux/kconfig.h>

/* The kernel keeps these out of the function tracer; the model has none. */
#define notrace __attribute__((__no_instrument_function__))
#define __always_inline inline __attribute__((__always_inline__))
#define noinline __attribute__((__noinline__))
/* Deliberate accesses AddressSanitizer must not check (KASAN's exemption). */
#define __no_sanitize_address __attribute__((__no_sanitize_address__))
#define __cold __attribute__((__cold__))
#define __noreturn __attribute__((__noreturn__))
#define fallthrough __attribute__((__fallthrough__))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define __used __attribute__((__used__))
#define __maybe_unused __attribute__((__unused__))
#define __section(s) __attribute__((__section__(s)))
#define __aligned(x) __attribute__((__aligned__(x)))

/* sparse annotations: no meaning to the compiler. */
#define __bitwise
#define __force
#define __percpu
#define __user
#define __iomem

#endif /* _MODEL_LINUX_COMPILER_TYPES_H */
