// SPDX-License-Identifier: GPL-2.0
/*
 * Assertion failures (sys/debug.h) and the misuse reporter.
 *
 * Big Theory Statement
 * --------------------
 * The porting layer's promise is that misuse is loud and never a hang: an
 * API called in a context its Context: line forbids, a recursive lock, a
 * foreign interrupt cookie. Each detection site calls solcompat_misuse(),
 * which
 *   - increments a per-kind counter (atomic, lock-free: callable from NMI and
 *     from probe context), which the conformance suite reads to prove the
 *     detection fired;
 *   - prints one report naming the API, the problem and the caller, for the
 *     first SOLCOMPAT_MISUSE_REPORTS of each kind; later ones are only
 *     counted, so a misuse in a hot path cannot flood the console.
 * printk is safe in NMI on the supported kernels (it defers console output),
 * so no hand-off of our own is needed here; outside plain task context
 * the report goes through printk_deferred's path (solcompat_printk), since
 * the code below may hold a console driver's lock. solcompat_misuse is not in
 * the probe-context tier (printk is traceable): it is the cold path taken only
 * when a caller is already wrong, and the tier check allowlists it.
 *
 * The report deliberately does not use WARN(): the test rig boots with
 * panic_on_warn=1, and the negative conformance tests trigger misuse on
 * purpose. It does not say "BUG:" either, which the rig treats as a crash.
 *
 * A lock that may not sleep where it is entered spins until it is free;
 * after spin_report_ms of spinning (module parameter, default 1000, 0
 * never) it reports once (linux/sleepq.c). Only time the spinning CPU ran
 * counts: a stretch in which the whole machine was stopped is left out
 * there. The limit is a parameter, not a constant, because what is "too
 * long" depends on the machine: a host that deschedules the owner's
 * simulated CPU (the userspace model under load) or a hypervisor that
 * deschedules the owner's vCPU stretches a short hold, and the report is
 * a misuse that fails the conformance suite.
 *
 * assfail/assfail3 follow Solaris: print the failed expression and panic.
 *
 * Panics from NMI context (an NMI handler's or an int3 probe's frame) go
 * through nmi_panic(), not panic(): a CPU that lost the race to panic then
 * stops the way an NMI must (its registers kept for a crash dump). An NMI
 * on the CPU that is panicking already (nmi_panic returns there) calls
 * panic() again, which runs its path once more on that CPU, as a nested
 * panic there would. nmi_panic takes a finished string, so the message
 * is formatted into a per-CPU buffer first (192 bytes; longer messages are
 * cut). cmn_err(CE_PANIC) and panic() use the same path (linux/cmn_err.c).
 *
 * Contexts: every function here is "Any context".
 */
#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/panic.h>
#include <linux/percpu.h>
#include <linux/printk.h>

#include <impl/debug.h>
#include "solcompat_init.h"

#define SOLCOMPAT_MISUSE_REPORTS 10

static unsigned int spin_report_ms __read_mostly = 1000;
module_param(spin_report_ms, uint, 0644);
MODULE_PARM_DESC(spin_report_ms,
		 "Report a lock that spins this long where sleeping is not allowed, in ms (default 1000; 0: never)");

static atomic_long_t solcompat_misuse_counts[SOLCOMPAT_MISUSE_KINDS];

void solcompat_misuse(enum solcompat_misuse_kind kind, const char *api,
		      const char *problem, const void *caller)
{
	long n;

	if ((unsigned int)kind >= SOLCOMPAT_MISUSE_KINDS)
		kind = SOLCOMPAT_MISUSE_CONTEXT;
	n = atomic_long_inc_return(&solcompat_misuse_counts[kind]);
	if (n <= SOLCOMPAT_MISUSE_REPORTS)
		solcompat_printk(
			KERN_ERR
			"solcompat: misuse: %s: %s (caller %pS, report %ld of kind %d%s)\n",
			api, problem, caller, n, (int)kind,
			n == SOLCOMPAT_MISUSE_REPORTS
				? "; further reports of this kind only counted"
				: "");
}
EXPORT_SYMBOL_GPL(solcompat_misuse);

void solcompat_printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (preempt_count() || irqs_disabled())
		vprintk_emit(0, LOGLEVEL_SCHED, NULL, fmt, ap);
	else
		vprintk(fmt, ap);
	va_end(ap);
}

notrace unsigned long solcompat_misuse_count(enum solcompat_misuse_kind kind)
{
	if ((unsigned int)kind >= SOLCOMPAT_MISUSE_KINDS)
		return 0;
	return atomic_long_read(&solcompat_misuse_counts[kind]);
}
EXPORT_SYMBOL_GPL(solcompat_misuse_count);
NOKPROBE_SYMBOL(solcompat_misuse_count);

notrace unsigned int solcompat_spin_report_ms(void)
{
	return READ_ONCE(spin_report_ms);
}
EXPORT_SYMBOL_GPL(solcompat_spin_report_ms);
NOKPROBE_SYMBOL(solcompat_spin_report_ms);

DEFINE_PER_CPU(struct solcompat_panic_msg, solcompat_panic_msg);

static __printf(1, 2) __noreturn void solcompat_panic_any(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	solcompat_vpanic_any(fmt, ap);
}

void solcompat_assfail(const char *expr, const char *file, int line)
{
	solcompat_panic_any("assertion failed: %s, file: %s, line: %d\n", expr,
			    file, line);
}
EXPORT_SYMBOL_GPL(solcompat_assfail);

void solcompat_assfail3(const char *expr, solcompat_uint64_t left,
			solcompat_uint64_t right,
			const char *file, int line)
{
	solcompat_panic_any(
		"assertion failed: %s (0x%llx vs 0x%llx), file: %s, line: %d\n",
		expr, left, right, file, line);
}
EXPORT_SYMBOL_GPL(solcompat_assfail3);
