// SPDX-License-Identifier: GPL-2.0
/* Fixture for semantic-patches/backport/timer_delete.cocci. */
#include <linux/timer.h>

struct fixture_watchdog {
	struct timer_list timer;
	struct timer_list backup;
};

int fixture_watchdog_stop(struct fixture_watchdog *w, bool wait);
int fixture_watchdog_stop(struct fixture_watchdog *w, bool wait)
{
	int was_pending = wait ? timer_delete_sync(&w->timer) :
				 timer_delete(&w->timer);

	if (!timer_delete(&w->backup))
		return was_pending;
	timer_delete_sync(&w->backup);
	return 1;
}
