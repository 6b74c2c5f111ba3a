// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for the spl family (sys/systm.h) and interrupt cookies
 * (sys/dtrace_subr.h): CONTRACTS.md 2.5 and section 3 "Time, CPUs, levels".
 * Each runs in every context class: nested pairs restore exactly, and the
 * Linux context is a floor that no spl call lowers.
 */
#include <sys/dtrace_subr.h>
#include <sys/mutex.h>
#include <sys/systm.h>
#include <sys/types.h>
#include <impl/debug.h>

#include "sctest.h"

SCTEST_CASE(spl, nested_splhigh_restores_exactly)
{
	int before = sctest_irqs_disabled();
	int pil = getpil();
	int s1, s2;

	s1 = splhigh();
	SCT_CHECK(sctest_irqs_disabled());
	SCT_EQ(getpil(), PIL_MAX);
	s2 = splhigh();
	SCT_CHECK(sctest_irqs_disabled());
	splx(s2);
	SCT_CHECK(sctest_irqs_disabled()); /* still masked by s1 */
	SCT_EQ(getpil(), PIL_MAX);
	splx(s1);
	SCT_EQ(sctest_irqs_disabled(), before);
	SCT_EQ(getpil(), pil);
}

SCTEST_CASE(spl, splr_never_lowers)
{
	int before = sctest_irqs_disabled();
	int s1, s2;

	s1 = splhigh();
	s2 = splr(LOCK_LEVEL);
	SCT_EQ(getpil(), PIL_MAX);
	splx(s2);
	SCT_EQ(getpil(), PIL_MAX);
	splx(s1);
	SCT_EQ(sctest_irqs_disabled(), before);
}

SCTEST_CASE(spl, spl7_and_splhi_mask)
{
	int before = sctest_irqs_disabled();
	int s1 = spl7();
	int s2;

	SCT_CHECK(sctest_irqs_disabled());
	splx(s1);
	SCT_EQ(sctest_irqs_disabled(), before);
	s2 = splhi();
	SCT_CHECK(sctest_irqs_disabled());
	SCT_GE(getpil(), DISP_LEVEL);
	splx(s2);
	SCT_EQ(sctest_irqs_disabled(), before);
}

/* The Linux context is a floor for getpil() (hardirq and NMI). */
SCTEST_CASE(spl, context_floor)
{
	if (SCTEST_CONTEXT() == SCTEST_NMI)
		SCT_EQ(getpil(), PIL_MAX);
	else if (SCTEST_CONTEXT() == SCTEST_HARDIRQ)
		SCT_EQ(getpil(), 14); /* SOLCOMPAT_HARDIRQ_LEVEL */
	else if (!sctest_irqs_disabled())
		SCT_EQ(getpil(), 0);
}

/* spl0 never re-enables interrupts that the context needs off. */
SCTEST_CASE(spl, spl0_respects_context)
{
	int s = splhigh();
	int z = spl0();

	if (SCTEST_CONTEXT() == SCTEST_PROCESS)
		SCT_CHECK(!sctest_irqs_disabled());
	else
		SCT_CHECK(sctest_irqs_disabled());
	splx(z);
	SCT_CHECK(sctest_irqs_disabled());
	SCT_EQ(getpil(), PIL_MAX);
	splx(s);
}

/* A cookie no spl function made is reported, not obeyed. */
SCTEST_CASE(spl, foreign_cookie_reported)
{
	int before = sctest_irqs_disabled();
	unsigned long n = solcompat_misuse_count(SOLCOMPAT_MISUSE_SPL_COOKIE);

	splx(0x7f000000);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_SPL_COOKIE), n + 1);
	splx(20); /* a level above PIL_MAX */
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_SPL_COOKIE), n + 2);
	/* Level 0 with linux/spl.c's "interrupts were on below" note. */
	splx(0x20);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_SPL_COOKIE), n + 3);
	SCT_EQ(sctest_irqs_disabled(), before);
}

SCTEST_CASE(spl, interrupt_cookies_nest)
{
	int before = sctest_irqs_disabled();
	dtrace_icookie_t c1, c2;

	c1 = dtrace_interrupt_disable();
	SCT_CHECK(sctest_irqs_disabled());
	c2 = dtrace_interrupt_disable();
	dtrace_interrupt_enable(c2);
	SCT_CHECK(sctest_irqs_disabled()); /* only c1 may re-enable */
	dtrace_interrupt_enable(c1);
	SCT_EQ(sctest_irqs_disabled(), before);
}

/* spl and interrupt cookies interleave without losing state. */
SCTEST_CASE(spl, spl_inside_interrupt_cookie)
{
	int before = sctest_irqs_disabled();
	dtrace_icookie_t c = dtrace_interrupt_disable();
	int s = splhigh();

	splx(s);
	SCT_CHECK(sctest_irqs_disabled()); /* the cookie still holds them */
	dtrace_interrupt_enable(c);
	SCT_EQ(sctest_irqs_disabled(), before);
}

/*
 * spl0 inside an interrupt cookie's section: the level drops, the
 * interrupts the cookie turned off stay off (the 2011 port turned them on).
 */
SCTEST_CASE(spl, spl0_inside_interrupt_cookie)
{
	int before = sctest_irqs_disabled();
	dtrace_icookie_t c = dtrace_interrupt_disable();
	int s = splhigh();
	int z = spl0();

	SCT_CHECK(sctest_irqs_disabled());
	/* Level 0 now; interrupts off (or hardirq) are the floor. */
	SCT_EQ(getpil(), SCTEST_CONTEXT() == SCTEST_HARDIRQ ? 14 : PIL_MAX);
	splx(z);
	SCT_CHECK(sctest_irqs_disabled());
	SCT_EQ(getpil(), PIL_MAX);
	splx(s);
	SCT_CHECK(sctest_irqs_disabled()); /* the cookie still holds them */
	dtrace_interrupt_enable(c);
	SCT_EQ(sctest_irqs_disabled(), before);
}

/* spl0 while holding a spin mutex leaves interrupts off: the holder's. */
SCTEST_CASE(spl, spl0_under_spin_mutex)
{
	int before = sctest_irqs_disabled();
	kmutex_t m;
	int z;

	mutex_init(&m, NULL, MUTEX_SPIN, NULL);
	mutex_enter(&m);
	z = spl0();
	SCT_CHECK(sctest_irqs_disabled());
	splx(z);
	SCT_CHECK(sctest_irqs_disabled());
	mutex_exit(&m);
	SCT_EQ(sctest_irqs_disabled(), before);
	mutex_destroy(&m);
}

SCTEST_FAMILY(spl,
	      SCTEST_ENTRY(spl, nested_splhigh_restores_exactly, SCTEST_ANY),
	      SCTEST_ENTRY(spl, splr_never_lowers, SCTEST_ANY),
	      SCTEST_ENTRY(spl, spl7_and_splhi_mask, SCTEST_ANY),
	      SCTEST_ENTRY(spl, context_floor, SCTEST_ANY),
	      SCTEST_ENTRY(spl, spl0_respects_context, SCTEST_ANY),
	      SCTEST_ENTRY(spl, foreign_cookie_reported, SCTEST_ANY),
	      SCTEST_ENTRY(spl, interrupt_cookies_nest, SCTEST_ANY),
	      SCTEST_ENTRY(spl, spl_inside_interrupt_cookie, SCTEST_ANY),
	      SCTEST_ENTRY(spl, spl0_inside_interrupt_cookie, SCTEST_ANY),
	      SCTEST_ENTRY(spl, spl0_under_spin_mutex, SCTEST_ANY));
