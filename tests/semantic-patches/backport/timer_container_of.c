// SPDX-License-Identifier: GPL-2.0
/* Fixture for semantic-patches/backport/timer_container_of.cocci. */
#include <linux/timer.h>

struct fixture_poller {
	int polls;
	struct timer_list timer;
};

void fixture_poll(struct timer_list *t);
void fixture_poll(struct timer_list *t)
{
	struct fixture_poller *p = timer_container_of(p, t, timer);

	p->polls++;
	mod_timer(&timer_container_of(p, t, timer)->timer, jiffies + 1);
}
