// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe: hrtimer_update_function
 *
 * Kernel:   added upstream with the hrtimer_setup() conversion (after 6.12)
 *           and backported into Debian's 6.12 stable series; the callback of
 *           an initialised hrtimer is changed through it instead of an
 *           assignment to timer->function.
 * Yes:      hrtimer_update_function(timer, fn) exists.
 * Selects:  backport/hrtimer_update_function when "no".
 */
#include <linux/hrtimer.h>

void solcompat_probe_hrtimer_update_function(struct hrtimer *timer,
		enum hrtimer_restart (*fn)(struct hrtimer *));
void solcompat_probe_hrtimer_update_function(struct hrtimer *timer,
		enum hrtimer_restart (*fn)(struct hrtimer *))
{
	hrtimer_update_function(timer, fn);
}
