/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/types.h: the prefixed fixed-layout types of the solcompat ABI.
 *
 * Shared by the Solaris-name headers (sys/...) and by linux/, which includes
 * <linux/...> headers and therefore must never see Solaris names. Everything
 * is derived from compiler-provided macros, so it agrees with both the kernel's
 * and libc's definitions of the same types.
 */
#ifndef _SOLCOMPAT_IMPL_TYPES_H
#define _SOLCOMPAT_IMPL_TYPES_H

typedef __INT8_TYPE__ solcompat_int8_t;
typedef __INT16_TYPE__ solcompat_int16_t;
typedef __INT32_TYPE__ solcompat_int32_t;
typedef long long solcompat_int64_t; /* as the kernel's s64 */
typedef __UINT8_TYPE__ solcompat_uint8_t;
typedef __UINT16_TYPE__ solcompat_uint16_t;
typedef __UINT32_TYPE__ solcompat_uint32_t;
typedef unsigned long long solcompat_uint64_t; /* as the kernel's u64 */
typedef __UINTPTR_TYPE__ solcompat_uintptr_t;
typedef __INTPTR_TYPE__ solcompat_intptr_t;
typedef __SIZE_TYPE__ solcompat_size_t;
typedef __PTRDIFF_TYPE__ solcompat_ssize_t;

typedef __builtin_va_list solcompat_va_list;

typedef solcompat_int64_t solcompat_hrtime_t;
typedef enum { SOLCOMPAT_B_FALSE = 0, SOLCOMPAT_B_TRUE = 1 } solcompat_boolean_t;

#if defined(__cplusplus)
#define SOLCOMPAT_EXTERN_C extern "C"
#else
#define SOLCOMPAT_EXTERN_C extern
#endif

#endif /* _SOLCOMPAT_IMPL_TYPES_H */
