// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe: hrtimer_setup
 *
 * Kernel:   6.13, "hrtimer: Introduce hrtimer_setup() to replace
 *           hrtimer_init()": the callback is passed at initialisation;
 *           hrtimer_init() is removed in 6.15.
 * Yes:      hrtimer_setup(timer, fn, clock, mode) exists.
 * Selects:  forward/hrtimer_setup when "yes" (forward.sh), and
 *           backport/hrtimer_setup when "no".
 */
#include <linux/hrtimer.h>

void solcompat_probe_hrtimer_setup(struct hrtimer *timer,
		enum hrtimer_restart (*fn)(struct hrtimer *));
void solcompat_probe_hrtimer_setup(struct hrtimer *timer,
		enum hrtimer_restart (*fn)(struct hrtimer *))
{
	hrtimer_setup(timer, fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
}
