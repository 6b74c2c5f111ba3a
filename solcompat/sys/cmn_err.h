/* SPDX-License-Identifier: GPL-2.0 */
/* sys/cmn_err.h: cmn_err, vcmn_err, panic, vpanic. */
#ifndef _SOLCOMPAT_SYS_CMN_ERR_H
#define _SOLCOMPAT_SYS_CMN_ERR_H

#include <sys/types.h>
#include <sys/varargs.h>
#include <impl/cmn_err.h>

#define CE_CONT SOLCOMPAT_CE_CONT
#define CE_NOTE SOLCOMPAT_CE_NOTE
#define CE_WARN SOLCOMPAT_CE_WARN
#define CE_PANIC SOLCOMPAT_CE_PANIC
#define CE_IGNORE SOLCOMPAT_CE_IGNORE

/*
 * Print a message; see solcompat_vcmn_err() for levels and prefixes.
 * Context: Any context.
 */
static inline void vcmn_err(int level, const char *fmt, va_list ap)
{
	solcompat_vcmn_err(level, fmt, ap);
}

/*
 * Print a message.
 * Context: Any context.
 */
static inline __attribute__((format(printf, 2, 3))) void
cmn_err(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	solcompat_vcmn_err(level, fmt, ap);
	va_end(ap);
}

/*
 * Print the message and panic.
 * Context: Any context.
 */
static inline __attribute__((__noreturn__)) void vpanic(const char *fmt,
							va_list ap)
{
	solcompat_vpanic(fmt, ap);
}

/*
 * Print the message and panic.
 * Context: Any context.
 */
static inline __attribute__((__noreturn__, format(printf, 1, 2))) void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	solcompat_vpanic(fmt, ap);
}

#endif /* _SOLCOMPAT_SYS_CMN_ERR_H */
