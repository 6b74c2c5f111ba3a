/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model stand-in for include/linux/hrtimer.h: high-resolution timers on
 * the model's clock (tests/model/model_timer.cc). A timer is pinned to the
 * CPU that starts it. When it expires, a _HARD timer's callback runs there
 * in hard interrupt context (an interrupt raised on that CPU); a _SOFT
 * timer's runs in that CPU's softirq thread with bottom halves disabled
 * (softirq context, interrupts on), as PREEMPT_RT runs them. The callback
 * never runs concurrently with itself; HRTIMER_RESTART re-arms at the
 * (forwarded) expiry; hrtimer_cancel() waits for a running callback.
 * Also schedule_hrtimeout_range(), on the model's scheduler (the slack is
 * ignored; CPU threads have a host timer slack of 1 us).
 */
#ifndef _MODEL_LINUX_HRTIMER_H
#define _MODEL_LINUX_HRTIMER_H

#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/sched.h>

#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC 1
#endif

enum hrtimer_mode {
	HRTIMER_MODE_ABS = 0x00,
	HRTIMER_MODE_REL = 0x01,
	HRTIMER_MODE_PINNED = 0x02,
	HRTIMER_MODE_SOFT = 0x04,
	HRTIMER_MODE_HARD = 0x08,
	HRTIMER_MODE_ABS_PINNED = HRTIMER_MODE_ABS | HRTIMER_MODE_PINNED,
	HRTIMER_MODE_REL_PINNED = HRTIMER_MODE_REL | HRTIMER_MODE_PINNED,
	HRTIMER_MODE_ABS_SOFT = HRTIMER_MODE_ABS | HRTIMER_MODE_SOFT,
	HRTIMER_MODE_REL_SOFT = HRTIMER_MODE_REL | HRTIMER_MODE_SOFT,
	HRTIMER_MODE_ABS_PINNED_SOFT =
		HRTIMER_MODE_ABS_PINNED | HRTIMER_MODE_SOFT,
	HRTIMER_MODE_REL_PINNED_SOFT =
		HRTIMER_MODE_REL_PINNED | HRTIMER_MODE_SOFT,
	HRTIMER_MODE_ABS_HARD = HRTIMER_MODE_ABS | HRTIMER_MODE_HARD,
	HRTIMER_MODE_REL_HARD = HRTIMER_MODE_REL | HRTIMER_MODE_HARD,
	HRTIMER_MODE_ABS_PINNED_HARD =
		HRTIMER_MODE_ABS_PINNED | HRTIMER_MODE_HARD,
	HRTIMER_MODE_REL_PINNED_HARD =
		HRTIMER_MODE_REL_PINNED | HRTIMER_MODE_HARD,
};

enum hrtimer_restart {
	HRTIMER_NORESTART,
	HRTIMER_RESTART,
};

struct hrtimer {
	enum hrtimer_restart (*function)(struct hrtimer *timer);
	struct model_hrtimer model; /* the runtime's, model/abi.h */
};

static inline int model_hrtimer_call(void *owner)
{
	struct hrtimer *timer = (struct hrtimer *)owner;

	return (int)timer->function(timer);
}

static inline void hrtimer_init(struct hrtimer *timer, int clock_id,
				enum hrtimer_mode mode)
{
	(void)clock_id;
	model_hrtimer_init(&timer->model, (int)mode, timer, model_hrtimer_call);
}

static inline void hrtimer_start(struct hrtimer *timer, ktime_t tim,
				 const enum hrtimer_mode mode)
{
	s64 expires = (mode & HRTIMER_MODE_REL) ? ktime_get() + tim : tim;

	model_hrtimer_start(&timer->model, expires, (int)mode);
}

static inline int hrtimer_try_to_cancel(struct hrtimer *timer)
{
	return model_hrtimer_try_to_cancel(&timer->model);
}

static inline int hrtimer_cancel(struct hrtimer *timer)
{
	return model_hrtimer_cancel(&timer->model);
}

/*
 * The kernel keeps a queued timer in a tree sorted by expiry: moving the
 * expiry of one that is queued corrupts it (hrtimer_forward warns). The
 * model reports both.
 */
static inline void model_hrtimer_check_unqueued(const struct hrtimer *timer,
						const char *api)
{
	if (model_hrtimer_state(&timer->model) & MODEL_HRTIMER_ENQUEUED)
		model_violation(
			api,
			"timer %p is queued: its expiry may only change "
			"through hrtimer_start, or in its callback",
			(const void *)timer);
}

/* Queued: started and not yet expired (not while its callback runs). */
static inline bool hrtimer_is_queued(struct hrtimer *timer)
{
	return model_hrtimer_state(&timer->model) & MODEL_HRTIMER_ENQUEUED;
}

static inline void hrtimer_set_expires(struct hrtimer *timer, ktime_t time)
{
	model_hrtimer_check_unqueued(timer, "hrtimer_set_expires");
	WRITE_ONCE(timer->model.expires, time);
}

static inline ktime_t hrtimer_get_expires(const struct hrtimer *timer)
{
	return READ_ONCE(timer->model.expires);
}

/* Move the expiry past now in steps of interval; the steps taken. */
static inline u64 hrtimer_forward(struct hrtimer *timer, ktime_t now,
				  ktime_t interval)
{
	s64 expires = READ_ONCE(timer->model.expires);
	u64 n;

	model_hrtimer_check_unqueued(timer, "hrtimer_forward");
	if (now < expires || interval <= 0)
		return 0;
	n = (u64)((now - expires) / interval) + 1;
	WRITE_ONCE(timer->model.expires, expires + (s64)n * interval);
	return n;
}

static inline u64 hrtimer_forward_now(struct hrtimer *timer, ktime_t interval)
{
	return hrtimer_forward(timer, ktime_get(), interval);
}

static inline int hrtimer_active(const struct hrtimer *timer)
{
	return model_hrtimer_active(&timer->model);
}

/* 0 when the time was reached, -EINTR when woken before. */
static inline int schedule_hrtimeout_range(ktime_t *expires, u64 delta,
					   const enum hrtimer_mode mode)
{
	s64 ns = (mode & HRTIMER_MODE_REL) ? *expires : *expires - ktime_get();

	(void)delta;
	if (ns < 0)
		ns = 0;
	return model_schedule(ns, "schedule_hrtimeout_range") ? -EINTR : 0;
}

static inline int schedule_hrtimeout(ktime_t *expires,
				     const enum hrtimer_mode mode)
{
	return schedule_hrtimeout_range(expires, 0, mode);
}

#endif /* _MODEL_LINUX_HRTIMER_H */
