/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/debug.h: assertion failure entry points and the misuse reporter.
 *
 * Misuse (an API called in a context its Context: line forbids, a lock
 * recursion, a bad cookie) is never silent and never a hang: the
 * implementation calls solcompat_misuse(), which prints one loud report
 * naming the API, the problem and the caller (the first few per kind; after
 * that it only counts), and increments a per-kind counter that tests read.
 */
#ifndef _SOLCOMPAT_IMPL_DEBUG_H
#define _SOLCOMPAT_IMPL_DEBUG_H

#include <impl/types.h>

/* Kinds of misuse; each has its own counter. ABI: values never change. */
enum solcompat_misuse_kind {
	SOLCOMPAT_MISUSE_CONTEXT = 0,	/* called from a forbidden context */
	SOLCOMPAT_MISUSE_SPL_COOKIE = 1,	/* splx/interrupt cookie invalid here */
	SOLCOMPAT_MISUSE_LOCK_RECURSION = 2,	/* owner re-entered a lock */
	SOLCOMPAT_MISUSE_LOCK_NOT_OWNER = 3,	/* exit by a non-owner */
	SOLCOMPAT_MISUSE_LOCK_INTERRUPTED = 4,	/* lock held by interrupted code */
	SOLCOMPAT_MISUSE_MEMORY = 5,	/* bad free, wrong size, double free */
	SOLCOMPAT_MISUSE_CONTAINER = 6,	/* list/AVL tree used against its contract */
	SOLCOMPAT_MISUSE_ARGUMENT = 7,	/* an argument outside the API's domain */
	SOLCOMPAT_MISUSE_KINDS
};

/*
 * Report a misuse. api is the Solaris name ("splx"), problem a constant
 * string, caller the return address of the API's caller.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_misuse(enum solcompat_misuse_kind kind,
					 const char *api, const char *problem,
					 const void *caller);

/*
 * Number of misuse reports of one kind since load (or the last reset).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C unsigned long
solcompat_misuse_count(enum solcompat_misuse_kind kind);

/*
 * How long a lock spins where it may not sleep before it reports a misuse
 * (SOLCOMPAT_MISUSE_CONTEXT, once per spin), in ms; 0: never. Module
 * parameter spin_report_ms, default 1000.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C unsigned int solcompat_spin_report_ms(void);

/*
 * Assertion failures (ASSERT, VERIFY, VERIFY3*): print and panic, as Solaris
 * assfail() does.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_assfail(const char *expr, const char *file,
					  int line) __attribute__((__noreturn__));

/*
 * VERIFY3* failure: also prints both operands.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_assfail3(const char *expr,
					   solcompat_uint64_t left,
					   solcompat_uint64_t right,
					   const char *file, int line)
	__attribute__((__noreturn__));

#endif /* _SOLCOMPAT_IMPL_DEBUG_H */
