/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/printk.h (and kern_levels.h).
 *
 * _printk() is the model runtime's: it formats with the kernel's
 * conversions (%pS/%ps symbolise, %pV nests a struct va_format), stores the
 * record in a lock-free log that is safe from any context, NMI included, as
 * the kernel's lockless ring buffer is, and takes the log level from the
 * start of the formatted text (so a level passed as a "%s" argument works,
 * as in the kernel). The test harness collects each test's records and
 * prints them when the test fails.
 */
#ifndef _MODEL_LINUX_PRINTK_H
#define _MODEL_LINUX_PRINTK_H

#include <linux/compiler.h>
#include <linux/stdarg.h>

#define KERN_SOH "\001"
#define KERN_SOH_ASCII '\001'
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_DEFAULT ""
#define KERN_CONT KERN_SOH "c"

struct va_format {
	const char *fmt;
	va_list *va;
};

__printf(1, 2) __cold int _printk(const char *fmt, ...);
__printf(1, 0) int vprintk(const char *fmt, va_list args);

#define printk(fmt, ...) _printk(fmt, ##__VA_ARGS__)
__printf(1, 2) __cold int _printk_deferred(const char *fmt, ...);
#define printk_deferred(fmt, ...) _printk_deferred(fmt, ##__VA_ARGS__)
/* Exported; level LOGLEVEL_SCHED defers the console output. */
#define LOGLEVEL_SCHED -2
#define LOGLEVEL_DEFAULT -1
struct dev_printk_info;
__printf(4, 0) int vprintk_emit(int facility, int level,
				const struct dev_printk_info *dev_info,
				const char *fmt, va_list args);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

/* Type-checks the arguments of a message that is compiled out. */
#define no_printk(fmt, ...)                                                    \
	({                                                                     \
		if (0)                                                         \
			printk(fmt, ##__VA_ARGS__);                            \
		0;                                                             \
	})

#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)
#ifdef DEBUG
#define pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_debug(fmt, ...) no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#endif

#endif /* _MODEL_LINUX_PRINTK_H */
