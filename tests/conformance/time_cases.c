// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance cases for sys/time.h and the tick routines of sys/sunddi.h
 * (CONTRACTS.md "Time, CPUs, levels").
 */
#include <sys/ddi.h>
#include <sys/dtrace_subr.h>
#include <sys/sunddi.h>
#include <sys/time.h>
#include <sys/types.h>
#include <impl/debug.h>

#include "sctest.h"

/* Monotonic and nanosecond-scale, in every context, interrupts on or off. */
SCTEST_CASE(time, gethrtime_monotonic)
{
	hrtime_t prev = gethrtime(), now, start = prev;
	dtrace_icookie_t c = dtrace_interrupt_disable();
	int i;

	SCT_GT(prev, 0);
	for (i = 0; i < 2000; i++) {
		now = gethrtime();
		SCT_GE(now, prev);
		prev = now;
	}
	dtrace_interrupt_enable(c);
	drv_usecwait(200);
	now = gethrtime();
	SCT_GE(now - start, 200 * 1000LL); /* at least the 200 us waited */
	SCT_LT(now - start, 10 * NANOSEC); /* and nanoseconds, not ticks */
}

SCTEST_CASE(time, gethrestime_is_wall_clock)
{
	timestruc_t ts;

	gethrestime(&ts);
	SCT_GT(ts.tv_sec, 1500000000LL); /* after 2017 */
	SCT_GE(ts.tv_nsec, 0);
	SCT_LT(ts.tv_nsec, NANOSEC);
}

/* drv_usectohz / drv_hztousec agree with hz. */
SCTEST_CASE(time, tick_conversions_match_hz)
{
	SCT_GE(hz, 100);
	SCT_LE(hz, 1000);
	SCT_EQ(drv_usectohz(MICROSEC), hz);
	SCT_EQ(drv_hztousec(hz), MICROSEC);
	SCT_EQ(drv_usectohz(1), 1); /* rounds up */
	SCT_EQ(drv_usectohz(0), 0);
	SCT_EQ(drv_hztousec(1), MICROSEC / hz);
	/* Past 32 bits of microseconds (about 71.6 minutes) too. */
	SCT_EQ(drv_hztousec(2000L * hz), 2000L * MICROSEC);
	SCT_EQ(drv_usectohz(10000L * MICROSEC), 10000L * hz);
	SCT_EQ(drv_usectohz(10000L * MICROSEC + 1), 10000L * hz + 1);
}

/*
 * ddi_get_lbolt() is ddi_get_lbolt64() truncated (no wrap yet): a tick may
 * land between two reads (the model's injected interrupts found that), so
 * the 32-bit value must lie between two 64-bit reads around it.
 */
SCTEST_CASE(time, lbolt_matches_lbolt64)
{
	int64_t before = ddi_get_lbolt64();
	clock_t lbolt = ddi_get_lbolt();
	int64_t after = ddi_get_lbolt64();

	SCT_GE(lbolt, (clock_t)before);
	SCT_LE(lbolt, (clock_t)after);
	SCT_GE(after, before);
}

/* delay(2) sleeps at least two ticks of lbolt. */
SCTEST_CASE(time, delay_advances_lbolt)
{
	clock_t before = ddi_get_lbolt();
	hrtime_t t0 = gethrtime();

	delay(2);
	SCT_GE(ddi_get_lbolt() - before, 2);
	/*
	 * Only "later": under QEMU TCG on a loaded host, ticks arrive in
	 * bursts, so two ticks of lbolt were seen to take 3.0 ms of the
	 * monotonic clock where HZ=250 says 8.
	 */
	SCT_GT(gethrtime(), t0);
}

/* delay outside process context is reported and still waits. */
SCTEST_CASE(time, delay_refused_outside_process)
{
	unsigned long n = solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT);
	hrtime_t t0 = gethrtime();

	delay(1);
	SCT_EQ(solcompat_misuse_count(SOLCOMPAT_MISUSE_CONTEXT), n + 1);
	SCT_GE(gethrtime() - t0, drv_hztousec(1) * 1000LL);
}

SCTEST_FAMILY(time,
	      SCTEST_ENTRY(time, gethrtime_monotonic, SCTEST_ANY),
	      SCTEST_ENTRY(time, gethrestime_is_wall_clock, SCTEST_ANY),
	      SCTEST_ENTRY(time, tick_conversions_match_hz, SCTEST_ANY),
	      SCTEST_ENTRY(time, lbolt_matches_lbolt64, SCTEST_ANY),
	      SCTEST_ENTRY(time, delay_advances_lbolt, SCTEST_PROCESS),
	      SCTEST_ENTRY(time, delay_refused_outside_process,
			   SCTEST_ATOMIC | SCTEST_HARDIRQ | SCTEST_NMI |
				   SCTEST_PROBE));
