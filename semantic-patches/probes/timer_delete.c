// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe: timer_delete
 *
 * Kernel:   6.2, "timers: Rename del_timer() to timer_delete()" and the same
 *           for del_timer_sync(). Debian backported both into 6.1 (with
 *           timer_shutdown[_sync]()), so 6.1.0-56 says "yes": decide by this
 *           probe, never by the version number.
 * Yes:      timer_delete() and timer_delete_sync() exist.
 * Selects:  backport/timer_delete when "no".
 */
#include <linux/timer.h>

int solcompat_probe_timer_delete(struct timer_list *timer);
int solcompat_probe_timer_delete(struct timer_list *timer)
{
	return timer_delete(timer) + timer_delete_sync(timer);
}
