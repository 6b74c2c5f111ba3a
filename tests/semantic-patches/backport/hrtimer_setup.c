// SPDX-License-Identifier: GPL-2.0
/* Fixture for semantic-patches/backport/hrtimer_setup.cocci. */
#include <linux/hrtimer.h>
#include <linux/printk.h>

struct fixture_tick {
	struct hrtimer timer;
	int ticks;
};

static struct hrtimer fixture_timer;

static enum hrtimer_restart fixture_tick_fn(struct hrtimer *t)
{
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart fixture_other_fn(struct hrtimer *t)
{
	return HRTIMER_RESTART;
}

/* The pattern of tests/kernel/sctest_kmod.c. */
void fixture_hrtimer_global(void);
void fixture_hrtimer_global(void)
{
	hrtimer_setup(&fixture_timer, fixture_tick_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_PINNED_HARD);
}

void fixture_hrtimer_member(struct fixture_tick *t);
void fixture_hrtimer_member(struct fixture_tick *t)
{
	hrtimer_setup(&t->timer, fixture_tick_fn, CLOCK_BOOTTIME,
		      HRTIMER_MODE_ABS);
	t->ticks = 0;
	pr_debug("tick timer ready\n");
}

void fixture_hrtimer_pointer(struct hrtimer *timer);
void fixture_hrtimer_pointer(struct hrtimer *timer)
{
	hrtimer_setup(timer, fixture_other_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL);
}

int fixture_hrtimer_start(struct fixture_tick *t);
int fixture_hrtimer_start(struct fixture_tick *t)
{
	hrtimer_setup(&t->timer, fixture_other_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL);
	hrtimer_start(&t->timer, ms_to_ktime(1), HRTIMER_MODE_REL);
	return 0;
}

/* Callback set on one path only: left for a hand conversion. */
void fixture_hrtimer_conditional(struct hrtimer *timer, bool tick);
void fixture_hrtimer_conditional(struct hrtimer *timer, bool tick)
{
	hrtimer_init(timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	if (tick)
		timer->function = fixture_tick_fn;
}
