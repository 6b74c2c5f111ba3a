/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sys/debug.h: ASSERT, VERIFY and the three-operand forms.
 *
 * VERIFY* are always compiled in and panic on failure. ASSERT* are compiled
 * in only when DEBUG is defined, as on illumos; without DEBUG their argument
 * is not evaluated, but still type-checked (sizeof), so a debug-only variable
 * never becomes an unused-variable error.
 */
#ifndef _SOLCOMPAT_SYS_DEBUG_H
#define _SOLCOMPAT_SYS_DEBUG_H

#include <sys/types.h>
#include <impl/debug.h>

/* An expression, as on illumos; written as ?: because sparse crashes on
 * a noreturn call inside a comma expression. */
#define VERIFY(EX)                                                             \
	((EX) ? (void)0 : solcompat_assfail(#EX, __FILE__, __LINE__))

#define SOLCOMPAT_VERIFY3_IMPL(LEFT, OP, RIGHT, TYPE)                          \
	do {                                                                   \
		const TYPE solcompat_left_ = (TYPE)(LEFT);                     \
		const TYPE solcompat_right_ = (TYPE)(RIGHT);                   \
		if (!(solcompat_left_ OP solcompat_right_))                    \
			solcompat_assfail3(#LEFT " " #OP " " #RIGHT,           \
					   (uint64_t)solcompat_left_,          \
					   (uint64_t)solcompat_right_,         \
					   __FILE__, __LINE__);                \
	} while (0)

#define VERIFY3S(x, y, z) SOLCOMPAT_VERIFY3_IMPL(x, y, z, int64_t)
#define VERIFY3U(x, y, z) SOLCOMPAT_VERIFY3_IMPL(x, y, z, uint64_t)
#define VERIFY3P(x, y, z) SOLCOMPAT_VERIFY3_IMPL(x, y, z, uintptr_t)
#define VERIFY0(x) SOLCOMPAT_VERIFY3_IMPL(x, ==, 0, uint64_t)

#ifdef DEBUG
#define ASSERT(EX) VERIFY(EX)
#define ASSERT3S(x, y, z) VERIFY3S(x, y, z)
#define ASSERT3U(x, y, z) VERIFY3U(x, y, z)
#define ASSERT3P(x, y, z) VERIFY3P(x, y, z)
#define ASSERT0(x) VERIFY0(x)
#else
#define ASSERT(EX) ((void)sizeof(EX))
#define ASSERT3S(x, y, z) ((void)sizeof((x) y (z)))
#define ASSERT3U(x, y, z) ((void)sizeof((x) y (z)))
#define ASSERT3P(x, y, z) ((void)sizeof((x) y (z)))
#define ASSERT0(x) ((void)sizeof(x))
#endif

#define CTASSERT(x) _Static_assert((x), #x)

#endif /* _SOLCOMPAT_SYS_DEBUG_H */
