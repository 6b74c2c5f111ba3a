// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe: timer_container_of
 *
 * Kernel:   6.16, "timers: Rename from_timer() to timer_container_of()";
 *           from_timer() is gone in the same release.
 * Yes:      timer_container_of(var, timer, field) exists.
 * Selects:  forward/timer_container_of when "yes" (forward.sh), and
 *           backport/timer_container_of when "no".
 */
#include <linux/timer.h>

struct solcompat_probe_timer_owner {
	int cookie;
	struct timer_list timer;
};

int solcompat_probe_timer_container_of(struct timer_list *t);
int solcompat_probe_timer_container_of(struct timer_list *t)
{
	struct solcompat_probe_timer_owner *owner =
		timer_container_of(owner, t, timer);

	return owner->cookie;
}
