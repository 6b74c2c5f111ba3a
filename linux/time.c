// SPDX-License-Identifier: GPL-2.0
/*
 * Time: gethrtime, gethrestime, lbolt, tick conversions and delays.
 *
 * Big Theory Statement
 * --------------------
 * Probe timestamps are taken in any context, NMI included, so the clock must
 * not use a seqlock (a reader in an NMI that interrupted the writer would
 * spin forever). Linux's NMI-safe clocks are ktime_get_mono_fast_ns() and
 * ktime_get_real_fast_ns() (GPL exports): lock-free reads of a pair of
 * timekeeper copies. OpenZFS's gethrtime uses a seqlock-based clock and is
 * not NMI-safe; this is one of the rows CONTRACTS.md asks us to win.
 *
 * Monotonicity: the fast monotonic clock may step back by a few
 * nanoseconds when an NMI reads it during a timekeeping update. gethrtime
 * clamps per CPU: each CPU remembers the last value it returned and never
 * returns less, updated with this_cpu_cmpxchg (a single instruction, safe
 * against an NMI on the same CPU). Across CPUs the clock is as monotonic as
 * the TSC-backed monotonic clock itself.
 *
 * drv_usecwait polls the same fast clock until the time has passed (see
 * solcompat_usecwait for why not udelay).
 *
 * lbolt is jiffies since boot (jiffies minus INITIAL_JIFFIES) at HZ per
 * second; on Debian's kernels HZ is 250, so one tick is 4 ms.
 *
 * Contexts:
 *   function                          process atomic hardirq nmi probe
 *   gethrtime, gethrestime            yes     yes    yes     yes yes
 *   lbolt, hz, conversions, usecwait  yes     yes    yes     yes yes
 *   delay                             yes     no     no      no  no  (reported, busy-waits)
 */
#include <linux/compiler.h>
#include <linux/jiffies.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>

#include <impl/debug.h>
#include <impl/time.h>

static DEFINE_PER_CPU(u64, last_hrtime);

/* gethrtime's clamp when its one attempt lost a race or time stood still. */
static noinline notrace u64 gethrtime_clamp(u64 now)
{
	u64 last = this_cpu_read(last_hrtime);

	while (now > last) {
		u64 seen = this_cpu_cmpxchg(last_hrtime, last, now);

		if (seen == last)
			return now;
		last = seen;
	}
	return last;
}
NOKPROBE_SYMBOL(gethrtime_clamp);

notrace solcompat_hrtime_t solcompat_gethrtime(void)
{
	u64 now = ktime_get_mono_fast_ns();
	u64 last = this_cpu_read(last_hrtime);

	/* The common case: time moved on and nothing raced on this CPU. */
	if (likely(now > last &&
		   this_cpu_cmpxchg(last_hrtime, last, now) == last))
		return now;
	return gethrtime_clamp(now);
}
EXPORT_SYMBOL_GPL(solcompat_gethrtime);
NOKPROBE_SYMBOL(solcompat_gethrtime);

notrace void solcompat_gethrestime(solcompat_timespec_t *ts)
{
	u64 ns = ktime_get_real_fast_ns();

	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
}
EXPORT_SYMBOL_GPL(solcompat_gethrestime);
NOKPROBE_SYMBOL(solcompat_gethrestime);

notrace solcompat_int64_t solcompat_lbolt(void)
{
	return (solcompat_int64_t)(get_jiffies_64() - INITIAL_JIFFIES);
}
EXPORT_SYMBOL_GPL(solcompat_lbolt);
NOKPROBE_SYMBOL(solcompat_lbolt);

notrace int solcompat_hz(void)
{
	return HZ;
}
EXPORT_SYMBOL_GPL(solcompat_hz);

/*
 * Tick conversions in 64 bits, whole seconds first, so no input overflows
 * (Linux's usecs_to_jiffies and jiffies_to_usecs take and return 32-bit
 * values: past about 71 minutes they wrapped or saturated).
 */
long solcompat_usec_to_ticks(long usec)
{
	if (usec <= 0)
		return 0;
	/* Rounded up: at least usec. */
	return usec / USEC_PER_SEC * HZ +
	       DIV_ROUND_UP((usec % USEC_PER_SEC) * HZ, USEC_PER_SEC);
}
EXPORT_SYMBOL_GPL(solcompat_usec_to_ticks);

long solcompat_ticks_to_usec(long ticks)
{
	if (ticks <= 0)
		return 0;
	if (ticks / HZ > LONG_MAX / USEC_PER_SEC - 1)
		return LONG_MAX;
	return ticks / HZ * USEC_PER_SEC + ticks % HZ * USEC_PER_SEC / HZ;
}
EXPORT_SYMBOL_GPL(solcompat_ticks_to_usec);

notrace void solcompat_usecwait(long usec)
{
	u64 end;

	if (usec <= 0)
		return;
	/*
	 * Poll the clock rather than trust udelay()'s calibrated loop: under
	 * emulation (and on CPUs whose TSC is unusable for delays) udelay can
	 * return early, and drv_usecwait promises "at least".
	 */
	end = ktime_get_mono_fast_ns() + (u64)usec * NSEC_PER_USEC;
	while (ktime_get_mono_fast_ns() < end)
		cpu_relax();
}
EXPORT_SYMBOL_GPL(solcompat_usecwait);

void solcompat_delay(long ticks)
{
	u64 end, now;

	if (ticks <= 0)
		return;
	if (unlikely(!in_task() || preempt_count() || irqs_disabled())) {
		solcompat_misuse(SOLCOMPAT_MISUSE_CONTEXT, "delay",
				 "sleeps: only process context may call it; busy-waiting instead",
				 __builtin_return_address(0));
		solcompat_usecwait(solcompat_ticks_to_usec(ticks));
		return;
	}
	/*
	 * At least `ticks` ticks: a stray wake-up (a deferred sleep-queue wake
	 * that arrives after its wait ended, linux/sleepq.c) ends
	 * schedule_timeout early, so sleep again for what is left. The model
	 * caught delay(2) returning after no tick at all.
	 */
	end = get_jiffies_64() + (u64)ticks;
	for (;;) {
		now = get_jiffies_64();
		if (now >= end)
			break;
		schedule_timeout_uninterruptible((long)(end - now));
	}
}
EXPORT_SYMBOL_GPL(solcompat_delay);
