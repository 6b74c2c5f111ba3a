// SPDX-License-Identifier: GPL-2.0
/*
 * Messages: cmn_err, vcmn_err, panic (sys/cmn_err.h).
 *
 * Big Theory Statement
 * --------------------
 * Solaris levels and prefixes map onto printk levels:
 *   CE_CONT   continues the previous line (KERN_CONT), adds no newline
 *   CE_NOTE   KERN_NOTICE, "NOTICE: " + message + newline
 *   CE_WARN   KERN_WARNING, "WARNING: " + message + newline
 *   CE_PANIC  panic() with the message; in NMI context (an int3 probe's
 *             included) nmi_panic() (solcompat_vpanic_any, linux/debug.c)
 *   CE_IGNORE nothing
 * and the first character of the format:
 *   '!'  system log only: printed at KERN_DEBUG, which the log keeps and a
 *        console at the default level does not show
 *   '?'  verbose boot only: also KERN_DEBUG
 *   '^'  console only: Linux has no console-only path; printed normally
 * The message is formatted by printk itself through %pV, so there is no
 * buffer of ours to size or lock.
 *
 * Any context, NMI included: since the lockless printk ring buffer (5.10+),
 * printk from NMI stores the record without locks and defers console output
 * to irq_work; on PREEMPT_RT consoles print from their own threads. So the
 * "lockless hand-off" an NMI needs is printk's own, and this file adds none.
 * Outside plain task context the record is stored the printk_deferred
 * way (solcompat_printk): a probe may fire inside a console driver holding
 * its port lock, where printing at once would wait on that lock for ever.
 * Caveat for probe context: printk is traceable, so a probe core must not call
 * cmn_err from its firing path (fbt on printk would recurse); it records into
 * its buffers instead.
 *
 * Differences from Solaris: the %b bit-field conversion is not supported
 * (Linux's vsnprintf lacks it); the kernel's %p hashes pointers.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/panic.h>
#include <linux/printk.h>

#include <impl/cmn_err.h>
#include "solcompat_init.h"

static atomic_long_t cmn_err_messages;

void solcompat_vcmn_err(int level, const char *fmt, va_list ap)
{
	const char *loglevel = KERN_NOTICE;
	const char *label = "NOTICE: ";
	struct va_format vaf;
	va_list copy;

	if (!fmt || level == SOLCOMPAT_CE_IGNORE)
		return;
	if (level == SOLCOMPAT_CE_PANIC) {
		va_copy(copy, ap);
		solcompat_vpanic(fmt, copy);
	}
	if (level == SOLCOMPAT_CE_WARN) {
		loglevel = KERN_WARNING;
		label = "WARNING: ";
	}
	if (*fmt == '!' || *fmt == '?') {
		loglevel = KERN_DEBUG;
		fmt++;
	} else if (*fmt == '^') {
		fmt++;
	}
	va_copy(copy, ap);
	vaf.fmt = fmt;
	vaf.va = &copy;
	if (level == SOLCOMPAT_CE_CONT)
		solcompat_printk(KERN_CONT "%pV", &vaf);
	else
		solcompat_printk("%s%s%pV\n", loglevel, label, &vaf);
	va_end(copy);
	atomic_long_inc(&cmn_err_messages);
}
EXPORT_SYMBOL_GPL(solcompat_vcmn_err);

unsigned long solcompat_cmn_err_count(void)
{
	return atomic_long_read(&cmn_err_messages);
}
EXPORT_SYMBOL_GPL(solcompat_cmn_err_count);

void solcompat_vpanic(const char *fmt, va_list ap)
{
	solcompat_vpanic_any(fmt, ap);
}
EXPORT_SYMBOL_GPL(solcompat_vpanic);
