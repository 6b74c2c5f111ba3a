/* SPDX-License-Identifier: GPL-2.0 */
/*
 * impl/cmn_err.h: console and log messages, panic (prefixed ABI). Solaris
 * names in sys/cmn_err.h; design in linux/cmn_err.c.
 */
#ifndef _SOLCOMPAT_IMPL_CMN_ERR_H
#define _SOLCOMPAT_IMPL_CMN_ERR_H

#include <impl/types.h>

#define SOLCOMPAT_CE_CONT 0
#define SOLCOMPAT_CE_NOTE 1
#define SOLCOMPAT_CE_WARN 2
#define SOLCOMPAT_CE_PANIC 3
#define SOLCOMPAT_CE_IGNORE 4

/*
 * Print a message at a Solaris level, honouring the "!", "^" and "?"
 * prefixes. CE_PANIC panics. Safe in NMI (printk defers console output there).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_vcmn_err(int level, const char *fmt,
					   solcompat_va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * Number of messages cmn_err has emitted since load (tests use it).
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C unsigned long solcompat_cmn_err_count(void);

/*
 * Print the message and panic the system.
 * Context: Any context.
 */
SOLCOMPAT_EXTERN_C void solcompat_vpanic(const char *fmt, solcompat_va_list ap)
	__attribute__((__noreturn__, format(printf, 1, 0)));

#endif /* _SOLCOMPAT_IMPL_CMN_ERR_H */
