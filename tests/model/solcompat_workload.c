// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt workloads for the conformance runner, written against the
 * Solaris API as a probe or interrupt handler would be.
 *
 * The runner registers them with model_set_workloads(): every random and
 * every single-stepped interrupt or NMI then runs them on top of whatever
 * its CPU was doing, very often the middle of linux/ code that a case is
 * exercising on that CPU. They run balanced spl and interrupt-cookie pairs,
 * and the hardirq one also fires a probe, which runs its own pairs (a timer
 * interrupt with a probe on top, on top of the case). linux/spl.c's Big
 * Theory Statement argues that such nested pairs leave the interrupted code
 * undisturbed; the cases then check the interrupted code's view, and the
 * workloads check their own. They never cause a misuse report, so cases
 * that count reports are not disturbed.
 *
 * Compiled with the Solaris headers and no libc, like the cases.
 */
#include <sys/dtrace_subr.h>
#include <sys/systm.h>
#include <sys/types.h>

#include "include/model/abi.h"

void solcompat_workload_hardirq(void *arg);
void solcompat_workload_nmi(void *arg);
int solcompat_workload_pil(void);

static void spl_pairs(const char *who)
{
	int pil = getpil();
	int s1, s2;
	dtrace_icookie_t c;

	s1 = splhigh();
	c = dtrace_interrupt_disable();
	s2 = splr(LOCK_LEVEL);
	if (getpil() != PIL_MAX)
		model_violation(who, "getpil() is %d under splhigh", getpil());
	splx(s2);
	dtrace_interrupt_enable(c);
	splx(s1);
	if (getpil() != pil)
		model_violation(who, "spl pairs left the level at %d, found %d",
				getpil(), pil);
}

static void probe_workload(void *arg)
{
	spl_pairs("probe workload");
}

void solcompat_workload_hardirq(void *arg)
{
	spl_pairs("hardirq workload");
	model_probe(probe_workload, arg);
}

void solcompat_workload_nmi(void *arg)
{
	spl_pairs("nmi workload");
}

int solcompat_workload_pil(void)
{
	return getpil();
}
