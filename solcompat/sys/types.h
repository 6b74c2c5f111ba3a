/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/types.h: the Solaris basic types.
 *
 * Built only on compiler-provided macros (__SIZE_TYPE__ ...), never on libc or
 * Linux headers, so the same header serves ported code in the kernel and in
 * the userspace model, where a translation unit sees no other type source.
 * The layouts are the LP64 ones of illumos/amd64; ABI.md lists them.
 */
#ifndef _SOLCOMPAT_SYS_TYPES_H
#define _SOLCOMPAT_SYS_TYPES_H

#include <impl/types.h>

typedef solcompat_int8_t int8_t;
typedef solcompat_int16_t int16_t;
typedef solcompat_int32_t int32_t;
typedef solcompat_int64_t int64_t;
typedef solcompat_uint8_t uint8_t;
typedef solcompat_uint16_t uint16_t;
typedef solcompat_uint32_t uint32_t;
typedef solcompat_uint64_t uint64_t;
typedef solcompat_uintptr_t uintptr_t;
typedef solcompat_intptr_t intptr_t;
typedef solcompat_size_t size_t;
typedef solcompat_ssize_t ssize_t;

typedef unsigned char uchar_t;
typedef unsigned short ushort_t;
typedef unsigned int uint_t;
typedef unsigned long ulong_t;
typedef long long longlong_t;
typedef unsigned long long u_longlong_t;
typedef char *caddr_t;
typedef long off_t;
typedef long clock_t;
typedef long time_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef int processorid_t;
typedef int major_t;
typedef int minor_t;

typedef solcompat_hrtime_t hrtime_t;
typedef solcompat_boolean_t boolean_t;
#define B_FALSE SOLCOMPAT_B_FALSE
#define B_TRUE SOLCOMPAT_B_TRUE

#ifndef NULL
#define NULL ((void *)0)
#endif

#endif /* _SOLCOMPAT_SYS_TYPES_H */
