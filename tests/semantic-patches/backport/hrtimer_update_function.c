// SPDX-License-Identifier: GPL-2.0
/* Fixture for semantic-patches/backport/hrtimer_update_function.cocci. */
#include <linux/hrtimer.h>

struct fixture_clock {
	struct hrtimer timer;
	int phase;
};

static enum hrtimer_restart fixture_second_phase(struct hrtimer *t)
{
	return HRTIMER_NORESTART;
}

enum hrtimer_restart fixture_first_phase(struct hrtimer *t);
enum hrtimer_restart fixture_first_phase(struct hrtimer *t)
{
	hrtimer_update_function(t, fixture_second_phase);
	return HRTIMER_NORESTART;
}

void fixture_clock_rewind(struct fixture_clock *c);
void fixture_clock_rewind(struct fixture_clock *c)
{
	hrtimer_update_function(&c->timer, c->phase ? fixture_second_phase :
						     fixture_first_phase);
}
