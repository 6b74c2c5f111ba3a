/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/types.h (and the bool/false/true of
 * include/linux/stddef.h). Built on compiler-provided macros only: linux/
 * code in the model sees no libc header, as in the kernel.
 */
#ifndef _MODEL_LINUX_TYPES_H
#define _MODEL_LINUX_TYPES_H

typedef __INT8_TYPE__ s8;
typedef __UINT8_TYPE__ u8;
typedef __INT16_TYPE__ s16;
typedef __UINT16_TYPE__ u16;
typedef __INT32_TYPE__ s32;
typedef __UINT32_TYPE__ u32;
/* asm-generic/int-ll64.h: 64-bit types are long long on every arch. */
typedef long long s64;
typedef unsigned long long u64;

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ssize_t;
typedef __UINTPTR_TYPE__ uintptr_t;

typedef _Bool bool;
enum { false = 0, true = 1 };

#ifndef NULL
#define NULL ((void *)0)
#endif

/* include/linux/types.h: file mode bits. */
typedef unsigned short umode_t;

/* include/linux/types.h: the allocator's flag word and atomic_t. */
typedef unsigned int __bitwise gfp_t;

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	s64 counter;
} atomic64_t;

/* include/linux/types.h: list node types other headers embed. */
struct hlist_node {
	struct hlist_node *next, **pprev;
};

#endif /* _MODEL_LINUX_TYPES_H */
