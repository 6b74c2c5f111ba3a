// SPDX-License-Identifier: GPL-2.0
/* Fixture for semantic-patches/forward/timer_delete.cocci. */
#include <linux/timer.h>

struct fixture_watchdog {
	struct timer_list timer;
	struct timer_list backup;
};

int fixture_watchdog_stop(struct fixture_watchdog *w, bool wait);
int fixture_watchdog_stop(struct fixture_watchdog *w, bool wait)
{
	int was_pending = wait ? del_timer_sync(&w->timer) :
				 del_timer(&w->timer);

	if (!del_timer(&w->backup))
		return was_pending;
	del_timer_sync(&w->backup);
	return try_to_del_timer_sync(&w->timer);
}
