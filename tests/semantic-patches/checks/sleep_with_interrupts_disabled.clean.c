// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for semantic-patches/checks/sleep_with_interrupts_disabled.cocci:
 * correct code, nothing to report.
 */
#include <sys/dtrace_subr.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/systm.h>

struct fixture_state {
	kmutex_t st_spin;	/* spin */
	kmutex_t st_lock;	/* adaptive */
	uint64_t st_count;
	void *st_buf;
};

void fixture_state_init(struct fixture_state *st)
{
	mutex_init(&st->st_spin, NULL, MUTEX_SPIN, (void *)ipltospl(PIL_MAX));
	mutex_init(&st->st_lock, NULL, MUTEX_DEFAULT, NULL);
}

/* Allocate and lock before raising; only a spin mutex at high level. */
void fixture_count(struct fixture_state *st, size_t len)
{
	void *buf = kmem_alloc(len, KM_SLEEP);
	int s;

	mutex_enter(&st->st_lock);
	s = splhigh();
	mutex_enter(&st->st_spin);
	st->st_count++;
	mutex_exit(&st->st_spin);
	st->st_buf = kmem_alloc(len, KM_NOSLEEP);
	splx(s);
	mutex_exit(&st->st_lock);
	kmem_free(buf, len);
}

void fixture_probe_safe(struct fixture_state *st)
{
	dtrace_icookie_t cookie = dtrace_interrupt_disable();

	st->st_count++;
	dtrace_interrupt_enable(cookie);
	mutex_enter(&st->st_lock);
	mutex_exit(&st->st_lock);
}
