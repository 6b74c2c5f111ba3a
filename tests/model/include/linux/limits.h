/* SPDX-License-Identifier: GPL-2.0 */
/* Model stand-in for include/linux/limits.h (vdso/limits.h). */
#ifndef _MODEL_LINUX_LIMITS_H
#define _MODEL_LINUX_LIMITS_H

#define INT_MAX __INT_MAX__
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX (INT_MAX * 2U + 1)
#define LONG_MAX __LONG_MAX__
#define UINTPTR_MAX __UINTPTR_MAX__
#define LONG_MIN (-LONG_MAX - 1)
#define ULONG_MAX (LONG_MAX * 2UL + 1)
#define LLONG_MAX __LONG_LONG_MAX__
#define ULLONG_MAX (LLONG_MAX * 2ULL + 1)
#define S64_MAX LLONG_MAX
#define U64_MAX ULLONG_MAX
#define U32_MAX ((u32)~0U)

#endif /* _MODEL_LINUX_LIMITS_H */
